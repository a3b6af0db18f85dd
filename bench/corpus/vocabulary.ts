// What the scale corpus draws from, read at run time from ../shared (never committed): real server
// identities from the seed list, and tool-name words, description words and description lengths from the
// evaluation tools. Only statistics and single words are kept; no sentence is reproduced.
import fs from 'node:fs';
import path from 'node:path';

export interface SeedServer {
  id: string;
  name: string;
  description: string | null;
  url: string | null;
  npm: string | null;
  repo: string | null;
  sources: string[];
  lang: string | null;
}

export interface Vocabulary {
  /** First words of real tool names (mostly verbs: get, list, create, delete, run…). */
  nameHeads: string[];
  /** Other words of real tool names (nouns: issue, file, track…). */
  nameTails: string[];
  /** Words of real descriptions. */
  descriptionWords: string[];
  /** Real description lengths in characters. */
  descriptionLengths: number[];
  /** Real parameter names. */
  paramNames: string[];
}

const words = (s: string) => s.toLowerCase().match(/[a-z][a-z0-9]{1,20}/g) ?? [];

export function readVocabulary(evalDir: string): Vocabulary {
  const heads = new Set<string>();
  const tails = new Set<string>();
  const desc = new Set<string>();
  const lengths: number[] = [];
  const params = new Set<string>();
  for (const file of fs.readdirSync(evalDir).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of fs.readFileSync(path.join(evalDir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const t = JSON.parse(line) as {
        name?: string;
        description?: string;
        params?: { name?: string }[];
        inputSchema?: { properties?: Record<string, unknown> };
      };
      const parts = (t.name ?? '')
        .replace(/([a-z])([A-Z])/g, '$1_$2')
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter(Boolean);
      if (parts[0]) heads.add(parts[0]);
      for (const p of parts.slice(1)) tails.add(p);
      if (t.description) {
        lengths.push(t.description.length);
        for (const w of words(t.description)) desc.add(w);
      }
      for (const p of t.params ?? []) if (p.name) params.add(p.name);
      for (const p of Object.keys(t.inputSchema?.properties ?? {})) params.add(p);
    }
  }
  const sortedList = (s: Set<string>) => [...s].sort();
  return {
    nameHeads: sortedList(heads),
    nameTails: sortedList(tails),
    descriptionWords: sortedList(desc),
    descriptionLengths: lengths.sort((a, b) => a - b),
    paramNames: sortedList(params),
  };
}

const SAFE_ID = /[^A-Za-z0-9@._~:/+-]+/g;

export function readSeedServers(file: string): SeedServer[] {
  const out: SeedServer[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as {
      id: string;
      name?: string;
      description?: string;
      url?: string;
      npm?: string;
      repo?: string;
      sources?: string[];
      hints?: { lang?: string[] | string };
    };
    const lang = Array.isArray(r.hints?.lang) ? (r.hints.lang[0] ?? null) : (r.hints?.lang ?? null);
    out.push({
      id: r.id.replace(SAFE_ID, '-').slice(0, 280),
      name: r.name || r.id,
      description: r.description ?? null,
      url: r.url ?? null,
      npm: r.npm ?? null,
      repo: r.repo ?? null,
      sources: r.sources ?? [],
      lang,
    });
  }
  return out;
}
