// One server's source files, parsed on demand and cached, with the notes extraction produces.
import path from 'node:path';
import type { Node, Tree } from 'web-tree-sitter';
import { parseSync, type Grammar } from './parser.ts';
import type { ExtractNote, SourceFile } from './types.ts';

export function grammarOf(file: SourceFile): Grammar {
  switch (file.language) {
    case 'python':
      return 'python';
    case 'typescript':
      return file.path.endsWith('.tsx') ? 'tsx' : 'typescript';
    case 'javascript':
      // The TSX grammar reads plain JS and JSX alike, and also tolerates stray type syntax.
      return 'tsx';
    case 'go':
      return 'go';
    case 'csharp':
      return 'c-sharp';
    case 'rust':
      return 'rust';
    case 'java':
      return 'java';
  }
}

export class Project {
  readonly byPath = new Map<string, SourceFile>();
  private readonly trees = new Map<string, Tree>();

  constructor(
    readonly root: string,
    readonly files: SourceFile[],
    readonly notes: ExtractNote[],
  ) {
    for (const file of files) this.byPath.set(file.path, file);
  }

  /** The parse tree of a file; a file with syntax errors still yields a tree, and one note. */
  tree(file: SourceFile): Tree {
    let tree = this.trees.get(file.path);
    if (!tree) {
      tree = parseSync(grammarOf(file), file.text);
      this.trees.set(file.path, tree);
      const bad = tree.rootNode.hasError ? firstError(tree.rootNode) : undefined;
      // tree-sitter-rust has no attributes on parameters (`#[tool(param)] x: T`): valid code, not an error.
      const paramAttrsOnly =
        bad?.isError && named(bad).length > 0 && named(bad).every((c) => c.type === 'attribute_item');
      if (bad && !paramAttrsOnly) {
        this.notes.push({
          path: file.path,
          line: bad ? bad.startPosition.row + 1 : undefined,
          level: 'warn',
          message: 'syntax error; tools outside the broken part are still read',
        });
      }
    }
    return tree;
  }

  /** A file of this server by path relative to the scanned directory, trying extensions in order. */
  find(relPath: string, extensions: string[]): SourceFile | undefined {
    const norm = path.posix.normalize(relPath);
    for (const ext of ['', ...extensions]) {
      const hit = this.byPath.get(norm + ext);
      if (hit) return hit;
    }
    return undefined;
  }

  note(file: SourceFile, node: Node | undefined, level: 'info' | 'warn', message: string): void {
    this.notes.push({ path: file.path, line: node ? node.startPosition.row + 1 : undefined, level, message });
  }

  dispose(): void {
    for (const tree of this.trees.values()) tree.delete();
    this.trees.clear();
  }
}

function firstError(node: Node): Node | undefined {
  if (node.isError || node.isMissing) return node;
  for (const child of node.children) {
    if (child && child.hasError) {
      const found = firstError(child);
      if (found) return found;
    }
  }
  return node.hasError ? node : undefined;
}

export function lineOf(node: Node): number {
  return node.startPosition.row + 1;
}

/** Named children, without the nulls the binding's types allow. */
export function named(node: Node | null | undefined): Node[] {
  if (!node) return [];
  return node.namedChildren.filter((c): c is Node => c !== null);
}

/** Walks every node under `node` (itself included) in document order. */
export function* descendants(node: Node): Generator<Node> {
  const cursor = node.walk();
  try {
    while (true) {
      yield cursor.currentNode;
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return;
    }
  } finally {
    cursor.delete();
  }
}

/**
 * The nearest ancestor (or self) of one of `types` around each match of `re` in the text, each once, in
 * document order. Extractors look only where the text says a tool may be, instead of walking every node.
 */
export function enclosingAt(root: Node, text: string, re: RegExp, types: ReadonlySet<string>): Node[] {
  const found = new Map<number, Node>();
  const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  for (const m of text.matchAll(global)) {
    const at = (m.index ?? 0) + (m[0].length - m[0].trimStart().length);
    for (let n: Node | null = root.descendantForIndex(at); n; n = n.parent) {
      if (n.isNamed && types.has(n.type)) {
        if (!found.has(n.id)) found.set(n.id, n);
        break;
      }
    }
  }
  return [...found.values()].sort((a, b) => a.startIndex - b.startIndex);
}
