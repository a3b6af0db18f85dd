// Loads web-tree-sitter once and the grammars from @vscode/tree-sitter-wasm on first use.
// After `loadGrammars`, parsing is synchronous, which keeps the extractors simple.
import { createRequire } from 'node:module';
import path from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';

export type Grammar = 'python' | 'typescript' | 'tsx' | 'javascript' | 'go' | 'c-sharp' | 'rust' | 'java';

const require = createRequire(import.meta.url);
let initialised: Promise<void> | undefined;
const loading = new Map<Grammar, Promise<Parser>>();
const ready = new Map<Grammar, Parser>();

function wasmDir(): string {
  return path.join(path.dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
}

async function load(grammar: Grammar): Promise<Parser> {
  initialised ??= Parser.init();
  await initialised;
  const language = await Language.load(path.join(wasmDir(), `tree-sitter-${grammar}.wasm`));
  const parser = new Parser();
  parser.setLanguage(language);
  ready.set(grammar, parser);
  return parser;
}

export async function loadGrammars(grammars: Iterable<Grammar>): Promise<void> {
  const pending: Promise<Parser>[] = [];
  for (const grammar of grammars) {
    let p = loading.get(grammar);
    if (!p) {
      p = load(grammar);
      loading.set(grammar, p);
    }
    pending.push(p);
  }
  await Promise.all(pending);
}

/** Parses with a grammar loaded earlier by `loadGrammars`. */
export function parseSync(grammar: Grammar, text: string): Tree {
  const parser = ready.get(grammar);
  if (!parser) throw new Error(`grammar ${grammar} is not loaded`);
  const tree = parser.parse(text);
  if (!tree) throw new Error(`tree-sitter returned no tree for ${grammar}`);
  return tree;
}

export async function parse(grammar: Grammar, text: string): Promise<Tree> {
  await loadGrammars([grammar]);
  return parseSync(grammar, text);
}
