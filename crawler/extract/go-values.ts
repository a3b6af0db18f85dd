// Go: package-level constants and variables of one server, and a static evaluator for the
// expressions tool definitions use (strings, concatenation, Sprintf of constants, composite literals).
import path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { descendants, named, type Project } from './project.ts';
import { unescape } from './text.ts';
import type { SourceFile } from './types.ts';
import { CodeRef, Unresolved, type Value, type ValueObject } from './values.ts';

export interface GoDecl {
  node: Node;
  file: SourceFile;
  /** Index into a multi-name spec (`var a, b = 1, 2`). */
  index: number;
}

/** Top-level declarations of every Go file of a server, by package name then identifier. */
export class GoPackages {
  private readonly values = new Map<string, Map<string, GoDecl>>();
  private readonly types = new Map<string, Map<string, GoDecl>>();
  private readonly funcs = new Map<string, Map<string, GoDecl>>();
  private readonly importCache = new Map<string, Map<string, string>>();
  private readonly filesByDir = new Map<string, SourceFile[]>();
  private readonly loaded = new Set<string>();

  constructor(readonly project: Project) {
    for (const file of project.files) {
      if (file.language !== 'go') continue;
      const dir = this.packageOf(file);
      const list = this.filesByDir.get(dir);
      if (list) list.push(file);
      else this.filesByDir.set(dir, [file]);
    }
  }

  value(dir: string, name: string): GoDecl | undefined {
    this.load(dir);
    return this.values.get(dir)?.get(name);
  }

  type(dir: string, name: string): GoDecl | undefined {
    this.load(dir);
    return this.types.get(dir)?.get(name);
  }

  func(dir: string, name: string): GoDecl | undefined {
    this.load(dir);
    return this.funcs.get(dir)?.get(name);
  }

  /** Packages are parsed only when a lookup needs them. */
  private load(dir: string): void {
    if (this.loaded.has(dir)) return;
    this.loaded.add(dir);
    for (const file of this.filesByDir.get(dir) ?? []) this.index(file);
  }

  /** A package is identified by its directory. */
  packageOf(file: SourceFile): string {
    return path.posix.dirname(file.path);
  }

  /** The directory of the package an identifier like `defaults` names in a file's imports. */
  resolve(file: SourceFile, alias: string): string {
    let imports = this.importCache.get(file.path);
    if (!imports) {
      imports = new Map();
      const block = /^import\s*(?:\(([\s\S]*?)\)|([^\n]+))/gm;
      for (let m = block.exec(file.text); m; m = block.exec(file.text)) {
        const body = m[1] ?? m[2] ?? '';
        for (const spec of body.matchAll(/(?:^|\n|;)\s*([A-Za-z_]\w*|\.)?\s*"([^"]+)"/g)) {
          const importPath = spec[2] as string;
          const segs = importPath.split('/');
          let last = segs[segs.length - 1] as string;
          if (/^v\d+$/.test(last) && segs.length > 1) last = segs[segs.length - 2] as string;
          imports.set(spec[1] ?? last.replace(/^go-/, '').replace(/[.-]/g, '_'), importPath);
        }
      }
      this.importCache.set(file.path, imports);
    }
    const importPath = imports.get(alias);
    if (!importPath) return `?${alias}`;
    const root = this.project.root === '.' ? '' : `${this.project.root}/`;
    for (const dir of this.filesByDir.keys()) {
      const rel = root && dir.startsWith(root) ? dir.slice(root.length) : dir;
      if (rel !== '.' && (importPath === rel || importPath.endsWith(`/${rel}`))) return dir;
    }
    return `?${alias}`;
  }

  private index(file: SourceFile): void {
    // Only files that declare something worth finding are parsed.
    if (!/\b(const|var|type|func)\b/.test(file.text)) return;
    const pkg = this.packageOf(file);
    const root = this.project.tree(file).rootNode;
    const put = (kind: Map<string, Map<string, GoDecl>>, name: string, decl: GoDecl) => {
      let m = kind.get(pkg);
      if (!m) kind.set(pkg, (m = new Map()));
      if (!m.has(name)) m.set(name, decl);
    };
    for (const top of named(root)) {
      if (top.type === 'const_declaration' || top.type === 'var_declaration') {
        for (const spec of descendants(top)) {
          if (spec.type !== 'const_spec' && spec.type !== 'var_spec') continue;
          const value = spec.childForFieldName('value');
          if (!value) continue;
          spec.childrenForFieldName('name').forEach((n, i) => {
            if (n) put(this.values, n.text, { node: value, file, index: i });
          });
        }
      } else if (top.type === 'type_declaration') {
        for (const spec of named(top))
          if (spec.type === 'type_spec') {
            const name = spec.childForFieldName('name')?.text;
            const type = spec.childForFieldName('type');
            if (name && type) put(this.types, name, { node: type, file, index: 0 });
          }
      } else if (top.type === 'function_declaration') {
        const name = top.childForFieldName('name')?.text;
        if (name) put(this.funcs, name, { node: top, file, index: 0 });
      }
    }
  }
}

export interface GoCtx {
  pkgs: GoPackages;
  file: SourceFile;
  env?: ReadonlyMap<string, Value>;
  depth: number;
}

export function evalGo(node: Node | null | undefined, c: GoCtx): Value {
  if (!node) return new Unresolved('missing');
  if (c.depth > 30) return new Unresolved('too deep');
  const d: GoCtx = { ...c, depth: c.depth + 1 };
  switch (node.type) {
    case 'interpreted_string_literal':
      return named(node)
        .map((p) => (p.type === 'escape_sequence' ? unescape(p.text, 'go') : p.text))
        .join('');
    case 'raw_string_literal':
      return node.text.slice(1, -1).replace(/\r/g, '');
    case 'int_literal':
    case 'float_literal':
      return Number(node.text.replace(/_/g, ''));
    case 'true':
      return true;
    case 'false':
      return false;
    case 'nil':
      return null;
    case 'parenthesized_expression':
    case 'literal_element':
      return evalGo(node.namedChild(0), d);
    case 'expression_list':
      return evalGo(node.namedChild(0), d);
    case 'unary_expression': {
      const op = node.childForFieldName('operator')?.text;
      const v = evalGo(node.childForFieldName('operand'), d);
      if (op === '&') return v;
      if (op === '-' && typeof v === 'number') return -v;
      if (op === '!' && typeof v === 'boolean') return !v;
      return new Unresolved(node.text);
    }
    case 'binary_expression': {
      const l = evalGo(node.childForFieldName('left'), d);
      const r = evalGo(node.childForFieldName('right'), d);
      if (node.childForFieldName('operator')?.text === '+' && typeof l === 'string' && typeof r === 'string')
        return l + r;
      return new Unresolved(node.text);
    }
    case 'identifier':
      return lookup(node.text, node, d);
    case 'selector_expression': {
      // pkg.Name: a constant of another package of this server.
      const pkg = c.pkgs.resolve(c.file, node.childForFieldName('operand')?.text ?? '');
      const name = node.childForFieldName('field')?.text ?? '';
      const decl = c.pkgs.value(pkg, name);
      if (decl) return evalDecl(decl, d);
      return new Unresolved(node.text);
    }
    case 'composite_literal':
    case 'literal_value':
      return evalComposite(node, d);
    case 'call_expression':
      return evalCall(node, d);
    case 'func_literal':
      return new CodeRef(node);
    default:
      return new Unresolved(node.text);
  }
}

function evalDecl(decl: GoDecl, c: GoCtx): Value {
  const value = decl.node.type === 'expression_list' ? decl.node.namedChild(decl.index) : decl.node;
  return evalGo(value, { ...c, file: decl.file, env: undefined });
}

function lookup(name: string, at: Node, c: GoCtx): Value {
  if (c.env?.has(name)) return c.env.get(name) as Value;
  // Local `x := …` / `var x = …` in enclosing blocks, nearest first, declared before use.
  for (let n: Node | null = at.parent; n; n = n.parent) {
    if (n.type !== 'block' && n.type !== 'statement_list') continue;
    for (const stmt of named(n)) {
      if (stmt.startIndex >= at.startIndex) break;
      if (stmt.type === 'short_var_declaration') {
        const left = named(stmt.childForFieldName('left'));
        const idx = left.findIndex((l) => l.text === name);
        if (idx >= 0) return evalGo(stmt.childForFieldName('right')?.namedChild(idx), c);
      } else if (stmt.type === 'var_declaration' || stmt.type === 'const_declaration') {
        for (const spec of descendants(stmt)) {
          if (spec.type !== 'var_spec' && spec.type !== 'const_spec') continue;
          const idx = spec.childrenForFieldName('name').findIndex((x) => x?.text === name);
          if (idx >= 0) return evalGo(spec.childForFieldName('value')?.namedChild(idx), c);
        }
      }
    }
  }
  const decl = c.pkgs.value(c.pkgs.packageOf(c.file), name);
  if (decl) return evalDecl(decl, c);
  return new Unresolved(name);
}

function evalComposite(node: Node, c: GoCtx): Value {
  const body = node.type === 'literal_value' ? node : node.childForFieldName('body');
  const items = named(body).filter((x) => x.type !== 'comment');
  if (items.length > 0 && items.every((x) => x.type === 'keyed_element')) {
    const out: ValueObject = {};
    for (const item of items) {
      const keyNode = item.childForFieldName('key') ?? item.namedChild(0);
      const valueNode = item.childForFieldName('value') ?? item.namedChild(1);
      const inner = keyNode?.type === 'literal_element' ? keyNode.namedChild(0) : keyNode;
      const key =
        inner?.type === 'identifier' || inner?.type === 'field_identifier' ? inner.text : evalGo(inner, c);
      if (typeof key === 'string') out[key] = evalGo(valueNode, c);
    }
    return out;
  }
  if (items.length === 0) {
    const type = node.childForFieldName('type')?.type;
    return type === 'slice_type' || type === 'array_type' ? [] : {};
  }
  return items.map((x) => evalGo(x, c));
}

function evalCall(node: Node, c: GoCtx): Value {
  const fn = node.childForFieldName('function');
  const args = named(node.childForFieldName('arguments')).filter((a) => a.type !== 'comment');
  const fname = fn?.type === 'selector_expression' ? fn.childForFieldName('field')?.text : fn?.text;
  if (fname === 'Sprintf' && args[0]) {
    const format = evalGo(args[0], c);
    const rest = args.slice(1).map((a) => evalGo(a, c));
    if (typeof format !== 'string' || rest.some((v) => typeof v !== 'string' && typeof v !== 'number'))
      return new Unresolved(node.text);
    let i = 0;
    return format.replace(/%[-+# 0]*\d*(?:\.\d+)?([svdqf%])/g, (all, verb: string) => {
      if (verb === '%') return '%';
      const v = rest[i++];
      return verb === 'q' ? JSON.stringify(v) : String(v);
    });
  }
  if (
    (fname === 'Ptr' || fname === 'ToBoolPtr' || fname === 'BoolPtr' || fname === 'Bool') &&
    args.length === 1
  )
    return evalGo(args[0], c);
  if ((fname === 'RawMessage' || fname === '[]byte') && args.length === 1) {
    const text = evalGo(args[0], c);
    if (typeof text !== 'string') return new Unresolved(node.text);
    try {
      return JSON.parse(text) as Value;
    } catch {
      return new Unresolved(node.text);
    }
  }
  // A parameterless function whose result is fixed at build time: `func ToolsetName() string { … }`.
  if (args.length === 0 && fn && (fn.type === 'identifier' || fn.type === 'selector_expression')) {
    const pkg =
      fn.type === 'selector_expression'
        ? c.pkgs.resolve(c.file, fn.childForFieldName('operand')?.text ?? '')
        : c.pkgs.packageOf(c.file);
    const decl = fname ? c.pkgs.func(pkg, fname) : undefined;
    if (decl && named(decl.node.childForFieldName('parameters')).length === 0) {
      const v = runBody(decl.node.childForFieldName('body'), { ...c, file: decl.file, env: new Map() });
      if (v !== undefined) return v;
    }
  }
  // Translation helpers such as t("KEY", "default text") serve the default unless configured.
  if (args.length === 2 && /^"[A-Z0-9_]+"/.test(args[0]?.text ?? '')) {
    const fallback = evalGo(args[1], c);
    if (typeof fallback === 'string') return fallback;
  }
  return new Unresolved(node.text);
}

/**
 * Runs a function body made only of local assignments, `if` on comparable constants and `return`.
 * Anything else gives up (undefined): this reads constants, it does not execute programs.
 */
function runBody(block: Node | null, c: GoCtx, steps = 0): Value | undefined {
  const env = new Map(c.env ?? []);
  const stmts = named(block).flatMap((b) => (b.type === 'statement_list' ? named(b) : [b]));
  for (const stmt of stmts) {
    if (++steps > 50) return undefined;
    const here: GoCtx = { ...c, env };
    if (stmt.type === 'comment') continue;
    if (stmt.type === 'return_statement') {
      const v = evalGo(stmt.namedChild(0), here);
      return v instanceof Unresolved ? undefined : v;
    }
    if (stmt.type === 'short_var_declaration') {
      const left = named(stmt.childForFieldName('left'));
      const right = named(stmt.childForFieldName('right'));
      if (left.length !== 1 || right.length !== 1) return undefined;
      env.set((left[0] as Node).text, evalGo(right[0], here));
      continue;
    }
    if (stmt.type === 'if_statement' && !stmt.childForFieldName('initializer')) {
      const cond = stmt.childForFieldName('condition');
      const op = cond?.childForFieldName('operator')?.text;
      if (cond?.type !== 'binary_expression' || (op !== '==' && op !== '!=')) return undefined;
      const l = evalGo(cond.childForFieldName('left'), here);
      const r = evalGo(cond.childForFieldName('right'), here);
      if (
        l instanceof Unresolved ||
        r instanceof Unresolved ||
        typeof l === 'object' ||
        typeof r === 'object'
      )
        return undefined;
      const taken =
        (l === r) === (op === '==')
          ? stmt.childForFieldName('consequence')
          : stmt.childForFieldName('alternative');
      if (taken) {
        const v = runBody(taken, { ...c, env }, steps);
        if (v !== undefined) return v;
      }
      continue;
    }
    return undefined;
  }
  return undefined;
}
