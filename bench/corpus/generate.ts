// The deterministic scale corpus: 43,000 servers (the real identities from the seed list, topped up with
// generated ones) and ~700,000 generated tools whose names, description lengths and words are drawn from
// the evaluation tools. Same options, same corpus, byte for byte. For benchmarks only: generated tools are
// never real data, and every generated server says so in its description.
import type { ServerRef, ToolDefinition } from '../../data/model.ts';
import type { SeedServer, Vocabulary } from './vocabulary.ts';

export interface CorpusOptions {
  servers: number;
  /** Mean tools per server before the few very large ones; the default gives ~700,000 tools for 43,000. */
  meanTools: number;
  seed: number;
}

export const DEFAULT_CORPUS: CorpusOptions = { servers: 43_000, meanTools: 15.2, seed: 6 };

export interface CorpusServer {
  ref: ServerRef;
  tools: ToolDefinition[];
  language: string | null;
}

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EXT: Record<string, string> = {
  python: 'py',
  typescript: 'ts',
  go: 'go',
  rust: 'rs',
  java: 'java',
  csharp: 'cs',
};

export function* generateCorpus(
  seeds: readonly SeedServer[],
  vocab: Vocabulary,
  options: CorpusOptions = DEFAULT_CORPUS,
): Generator<CorpusServer> {
  const random = rng(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  // Tools per server: mostly a handful to a few dozen (geometric), a few very large servers.
  const toolCount = () => {
    if (random() < 0.001) return 300 + Math.floor(random() * 1_700);
    const p = 1 / options.meanTools;
    return Math.max(1, Math.ceil(Math.log(1 - random()) / Math.log(1 - p)));
  };
  const description = () => {
    const target = pick(vocab.descriptionLengths);
    const out: string[] = [];
    let length = 0;
    while (length < target) {
      const w = pick(vocab.descriptionWords);
      out.push(w);
      length += w.length + 1;
    }
    const text = out.join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  const usedIds = new Set<string>();
  for (let i = 0; i < options.servers; i++) {
    const seed = i < seeds.length ? seeds[i]! : null;
    let id = seed ? seed.id : `generated/server-${i}`;
    if (usedIds.has(id)) id = `${id}-${i}`;
    usedIds.add(id);
    const language = seed?.lang ?? pick(['typescript', 'python', 'go', 'typescript', 'python', 'rust']);
    const ref: ServerRef = {
      id,
      name: seed?.name ?? `${pick(vocab.nameTails)} ${pick(vocab.nameTails)} server ${i}`,
      description: `[benchmark corpus] ${seed?.description ?? description()}`,
      ...(seed?.repo ? { repositoryUrl: `https://github.com/${seed.repo}` } : {}),
      source: seed ? (seed.sources[0] ?? 'seed') : 'generated',
      packages: seed?.npm ? [{ registry: 'npm', name: seed.npm }] : [],
    };
    const n = toolCount();
    const names = new Set<string>();
    const tools: ToolDefinition[] = [];
    const ext = EXT[language] ?? 'ts';
    while (tools.length < n) {
      let name = `${pick(vocab.nameHeads)}_${pick(vocab.nameTails)}`;
      if (random() < 0.3) name += `_${pick(vocab.nameTails)}`;
      if (names.has(name)) name += `_${tools.length}`;
      names.add(name);
      const params = Math.floor(random() * 4);
      const properties: Record<string, object> = {};
      for (let p = 0; p < params; p++) {
        properties[pick(vocab.paramNames)] = { type: random() < 0.8 ? 'string' : 'number' };
      }
      tools.push({
        name,
        description: description(),
        inputSchema: { type: 'object', properties },
        source: { path: `src/tools/${name}.${ext}`, line: 1 + Math.floor(random() * 400) },
      } as ToolDefinition);
    }
    yield { ref, tools, language };
  }
}
