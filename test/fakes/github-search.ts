// Search for the fake GitHub: `/search/repositories` (words, `topic:`, `created:a..b`, `fork:`) and
// `/search/code` (a quoted phrase or words in file content, `language:`, `size:a..b`, `path:`), paged with
// `per_page` ≤ 100 and a Link header, and GitHub's cap: only the first 1,000 results are reachable.
import { basicError, codeSearchItem, repoSearchItem, type FakeRepo } from './github-shapes.ts';
import crypto from 'node:crypto';

const EXT: Record<string, string[]> = {
  typescript: ['.ts', '.tsx', '.mts'],
  javascript: ['.js', '.mjs', '.cjs'],
  python: ['.py'],
  go: ['.go'],
  rust: ['.rs'],
  java: ['.java'],
  kotlin: ['.kt'],
  'c#': ['.cs'],
  csharp: ['.cs'],
  ruby: ['.rb'],
};

interface Parsed {
  words: string[];
  qualifiers: Map<string, string>;
}

function parse(q: string): Parsed {
  const qualifiers = new Map<string, string>();
  const words: string[] = [];
  for (const m of q.matchAll(/(\w+):("[^"]*"|\S+)|"([^"]*)"|(\S+)/g)) {
    if (m[1]) qualifiers.set(m[1].toLowerCase(), (m[2] ?? '').replace(/^"|"$/g, ''));
    else words.push((m[3] ?? m[4] ?? '').toLowerCase());
  }
  return { words, qualifiers };
}

function inRange(value: number | string, range: string): boolean {
  const [lo, hi] = range.split('..');
  if (hi === undefined) return String(value) === lo;
  return (
    (lo === '*' || value >= (typeof value === 'number' ? Number(lo) : (lo ?? ''))) &&
    (hi === '*' || value <= (typeof value === 'number' ? Number(hi) : `${hi}\uffff`))
  );
}

export function handleSearch(
  api: string,
  url: URL,
  repos: FakeRepo[],
  files: (r: FakeRepo) => Record<string, string>,
): { status: number; body: unknown; link?: string } {
  const q = url.searchParams.get('q');
  if (!q) return { status: 422, body: basicError('Validation Failed', 422) };
  const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
  const page = Number(url.searchParams.get('page') ?? 1);
  if (page * perPage > 1000) {
    return { status: 422, body: basicError('Only the first 1000 search results are available', 422) };
  }
  const { words, qualifiers } = parse(q);
  const live = repos.filter((r) => r.state === undefined || r.state === 'ok').sort((a, b) => a.id - b.id);
  // Hits are built into response items only for the page asked for.
  let items: (() => unknown)[];
  if (url.pathname === '/search/code') {
    const exts = EXT[(qualifiers.get('language') ?? '').toLowerCase()];
    const size = qualifiers.get('size');
    const pathQ = qualifiers.get('path');
    items = [];
    for (const r of live) {
      for (const [p, content] of Object.entries(files(r))) {
        if (exts && !exts.some((e) => p.endsWith(e))) continue;
        if (size && !inRange(Buffer.byteLength(content), size)) continue;
        if (pathQ && !p.startsWith(pathQ.replace(/^\//, ''))) continue;
        const lower = content.toLowerCase();
        if (!words.every((w) => lower.includes(w))) continue;
        items.push(() => codeSearchItem(api, r, p, crypto.createHash('sha1').update(content).digest('hex')));
      }
    }
  } else {
    const topic = qualifiers.get('topic');
    const created = qualifiers.get('created');
    const fork = qualifiers.get('fork');
    items = live
      .filter((r) => !topic || (r.topics ?? []).includes(topic))
      .filter((r) => !created || inRange((r.createdAt ?? '2026-01-01').slice(0, 10), created))
      .filter((r) => fork === 'true' || fork === 'only' || !r.fork)
      .filter((r) =>
        words.every((w) => `${r.owner}/${r.name} ${r.description ?? ''}`.toLowerCase().includes(w)),
      )
      .map((r) => () => repoSearchItem(api, r));
  }
  const total = items.length;
  const pageItems = items.slice((page - 1) * perPage, page * perPage).map((make) => make());
  const lastPage = Math.min(Math.ceil(total / perPage), Math.floor(1000 / perPage));
  const link = (p: number) => {
    const u = new URL(url.toString().replace(/^http:\/\/127\.0\.0\.1(:\d+)?/, api));
    u.searchParams.set('page', String(p));
    return u.toString();
  };
  const links: string[] = [];
  if (page < lastPage) links.push(`<${link(page + 1)}>; rel="next"`, `<${link(lastPage)}>; rel="last"`);
  if (page > 1) links.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
  return {
    status: 200,
    body: { total_count: total, incomplete_results: false, items: pageItems },
    ...(links.length ? { link: links.join(', ') } : {}),
  };
}
