// `npm run bench:site`: the site at catalogue scale. Builds the deterministic corpus (bench/corpus/) into a
// SQLite file through the real classifier and repository, then measures search in-process against the bare
// FTS5 query, search and page latency over HTTP at 10 connections, tool-page throughput at 50 connections
// against a bare node:http handler, and Pagefind over the same tools. The HTTP figures come twice: with the
// page cache off (every request rendered from SQLite) and as served (cache on, after one visit to every
// page). Prints the figures, a `site-bench, cache off:` line, and ends with the `site-bench:` line (as
// served). Options: --servers N (default 43000), --db FILE, --reuse (keep an existing corpus
// database), --seconds N (autocannon run length, default 10), --pagefind N (tools to index, default 50000;
// 0 skips), --requests N (timed requests per latency figure, default 2000), --workers N (site processes,
// default 1).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase, upgradeDatabase } from '../data/db.ts';
import { searchIdsOnly } from '../data/search.ts';
import { searchModel } from '../site/src/lib/search.ts';
import { serveSite } from '../site/cluster.ts';
import { DEFAULT_CACHE_MB } from '../site/serve.ts';
import { DEFAULT_CORPUS, generateCorpus, rng } from './corpus/generate.ts';
import { ingestCorpus, type IngestResult } from './corpus/ingest.ts';
import {
  fmtMs,
  measureLatency,
  measureThroughput,
  percentiles,
  startBareHandler,
  type Percentiles,
} from './corpus/load.ts';
import { buildPagefind, queryPagefind } from './corpus/pagefind.ts';
import { readSeedServers, readVocabulary, type Vocabulary } from './corpus/vocabulary.ts';

const SHARED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared');
const SELF = fileURLToPath(import.meta.url);

const argv = process.argv.slice(2);

function startChild(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, child });
    });
    child.on('exit', (code) => reject(new Error(`benchmark child exited (${code}) before it was ready`)));
  });
}

/** The fixed query mix, drawn from the corpus vocabulary with a fixed seed. */
function queryMix(vocab: Vocabulary): { kind: string; q: string; filters: string }[] {
  const random = rng(42);
  const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)]!;
  const words = vocab.nameTails.filter((w) => w.length >= 4);
  const mix: { kind: string; q: string; filters: string }[] = [];
  for (let i = 0; i < 6; i++) mix.push({ kind: 'word', q: pick(words), filters: '' });
  for (let i = 0; i < 6; i++) mix.push({ kind: 'prefix', q: pick(words).slice(0, 3), filters: '' });
  for (let i = 0; i < 6; i++)
    mix.push({ kind: 'multi', q: `${pick(vocab.nameHeads)} ${pick(words)}`, filters: '' });
  for (let i = 0; i < 6; i++) {
    const filter = pick(['category=Execute', 'risk=high', 'category=Read&risk=low', 'category=Destructive']);
    mix.push({ kind: 'filtered', q: pick(words), filters: filter });
  }
  for (let i = 0; i < 3; i++) mix.push({ kind: 'no-hit', q: `zq${i}xv${pick(words)}qz`, filters: '' });
  return mix;
}

const line = (label: string, p: Percentiles) =>
  `  ${label.padEnd(34)} p50 ${fmtMs(p.p50).padStart(7)} ms   p95 ${fmtMs(p.p95).padStart(7)} ms   (n=${p.n})`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      servers: { type: 'string', default: String(DEFAULT_CORPUS.servers) },
      db: { type: 'string' },
      reuse: { type: 'boolean', default: false },
      seconds: { type: 'string', default: '10' },
      pagefind: { type: 'string', default: '50000' },
      requests: { type: 'string', default: '2000' },
      workers: { type: 'string', default: '1' },
    },
  });
  const servers = Number(values.servers);
  const dbPath = values.db ?? path.join(os.tmpdir(), `mcp-catalog-bench-site-${servers}.db`);
  const metaPath = `${dbPath}.ingest.json`;
  const requests = Number(values.requests);
  const seconds = Number(values.seconds);
  console.log(
    `site-bench on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}`,
  );

  const vocab = readVocabulary(path.join(SHARED, 'eval'));
  let ingest: IngestResult;
  if (values.reuse && fs.existsSync(dbPath) && fs.existsSync(metaPath)) {
    ingest = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as IngestResult;
    const t0 = performance.now();
    upgradeDatabase(dbPath); // a corpus built by older code gets the newer migrations, as `serve` does
    console.log(
      `corpus: reusing ${dbPath} (ingest figures from when it was built; schema brought up to date in ` +
        `${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
  } else {
    const seeds = readSeedServers(path.join(SHARED, 'data', 'servers-seed.jsonl'));
    console.log(
      `corpus: ${servers} servers (${Math.min(servers, seeds.length)} real identities) → ${dbPath}`,
    );
    ingest = ingestCorpus(dbPath, generateCorpus(seeds, vocab, { ...DEFAULT_CORPUS, servers }), {
      progress: (s, t) => {
        if (s % 5000 === 0) process.stderr.write(`  ingested ${s} servers, ${t} tools\n`);
      },
    });
    fs.writeFileSync(metaPath, JSON.stringify(ingest));
  }
  const dbMb = fs.statSync(dbPath).size / 1e6;
  console.log(
    `ingest + classify: ${ingest.servers} servers, ${ingest.tools} tools in ${ingest.seconds.toFixed(1)} s ` +
      `(classifier ${ingest.classifySeconds.toFixed(1)} s); database ${dbMb.toFixed(0)} MB`,
  );

  // Search in process: the full search model (faceted tools + servers) against the bare ranked FTS5 query.
  const mix = queryMix(vocab);
  const db = openDatabase(dbPath, { readonly: true });
  const model: number[] = [];
  const floor: number[] = [];
  const byKind = new Map<string, number[]>();
  for (let round = 0; round < 5; round++) {
    for (const m of mix) {
      const filters = Object.fromEntries([...new URLSearchParams(m.filters)].map(([k, v]) => [k, [v]]));
      let t0 = performance.now();
      searchModel(db, m.q, 1, filters);
      const ms = performance.now() - t0;
      if (round > 0) {
        model.push(ms);
        byKind.set(m.kind, [...(byKind.get(m.kind) ?? []), ms]);
      }
      t0 = performance.now();
      searchIdsOnly(db, m.q, 50);
      if (round > 0) floor.push(performance.now() - t0);
    }
  }
  console.log('search in process (first round is warm-up):');
  for (const [kind, samples] of byKind) console.log(line(`search model, ${kind}`, percentiles(samples)));
  const searchInProcess = percentiles(model);
  const floorP = percentiles(floor);
  console.log(line('search model, all', searchInProcess));
  console.log(line('bare FTS5 query (floor)', floorP));

  // Page samples: random tools and servers, fixed seed.
  const random = rng(7);
  const maxId = (db.prepare(`SELECT max(id) AS m FROM tools`).get() as { m: number }).m;
  const toolPaths: string[] = [];
  const getTool = db.prepare(`SELECT server_id AS s, name FROM tools WHERE id >= ? ORDER BY id LIMIT 1`);
  while (toolPaths.length < 2000) {
    const row = getTool.get(1 + Math.floor(random() * maxId)) as { s: string; name: string } | undefined;
    if (row)
      toolPaths.push(
        `/servers/${row.s.split('/').map(encodeURIComponent).join('/')}/tools/${encodeURIComponent(row.name)}`,
      );
  }
  const serverPaths = (
    db.prepare(`SELECT id FROM servers WHERE pk % 97 = 0 LIMIT 400`).pluck().all() as string[]
  ).map((id) => `/servers/${id.split('/').map(encodeURIComponent).join('/')}`);
  let summary: { searchHttp: Percentiles; toolHttp: Percentiles; ratio: number; cold: string };
  const searchPaths = mix.map(
    (m) => `/search?q=${encodeURIComponent(m.q)}${m.filters ? `&${m.filters}` : ''}`,
  );
  db.close();

  // Two sites over the same file: as served (the page cache on, default size) and with the cache off, so
  // every request is rendered from SQLite. The cached figures are taken after one visit to every page.
  const workers = values.workers;
  console.log(`site served by ${workers} process${workers === '1' ? '' : 'es'} (--workers)`);
  const site = await startChild(['--child-site', dbPath, String(DEFAULT_CACHE_MB), workers]);
  const rendered = await startChild(['--child-site', dbPath, '0', workers]);
  try {
    await measureLatency(rendered.url, [...searchPaths, ...toolPaths.slice(0, 100)], 300); // warm-up
    console.log('over HTTP, 10 connections, cache off (every request rendered):');
    const searchCold = await measureLatency(rendered.url, searchPaths, requests / 2);
    console.log(line('search page', searchCold));
    const toolCold = await measureLatency(rendered.url, toolPaths, requests);
    console.log(line('tool page', toolCold));
    const serverCold = await measureLatency(rendered.url, serverPaths, requests / 2);
    console.log(line('server page', serverCold));

    const allPaths = [...searchPaths, ...toolPaths, ...serverPaths];
    const t0 = performance.now();
    await measureLatency(site.url, allPaths, allPaths.length);
    console.log(
      `over HTTP, 10 connections, as served (page cache on; first visit to all ${allPaths.length} pages took ` +
        `${((performance.now() - t0) / 1000).toFixed(1)} s):`,
    );
    const searchHttp = await measureLatency(site.url, searchPaths, requests / 2);
    console.log(line('search page', searchHttp));
    const toolHttp = await measureLatency(site.url, toolPaths, requests);
    console.log(line('tool page', toolHttp));
    const serverHttp = await measureLatency(site.url, serverPaths, requests / 2);
    console.log(line('server page', serverHttp));
    const errors = [searchCold, toolCold, serverCold, searchHttp, toolHttp, serverHttp].reduce(
      (n, p) => n + p.errors,
      0,
    );
    if (errors) console.log(`  non-200 answers: ${errors}`);

    const sample = await fetch(site.url + toolPaths[0]!).then((r) => r.text());
    const bodyFile = path.join(os.tmpdir(), `mcp-catalog-bench-page-${process.pid}.html`);
    fs.writeFileSync(bodyFile, sample);
    const bare = await startChild(['--child-bare', bodyFile]);
    let ratio = 0;
    let renderedRatio = 0;
    try {
      console.log(`throughput, 50 connections, ${seconds} s each (autocannon):`);
      const toolRendered = await measureThroughput(rendered.url, toolPaths, seconds);
      const serverRendered = await measureThroughput(rendered.url, serverPaths, seconds);
      const toolRps = await measureThroughput(site.url, toolPaths, seconds);
      const serverRps = await measureThroughput(site.url, serverPaths, seconds);
      const bareRps = await measureThroughput(bare.url, ['/'], seconds);
      const row = (label: string, t: typeof toolRps) =>
        `  ${label.padEnd(34)} ${t.rps.toFixed(0).padStart(7)} req/s   (${t.requests} requests, ${t.non2xx} non-2xx; load generator used ${t.generatorCores.toFixed(2)} cores)`;
      console.log(row('tool page, cache off', toolRendered));
      console.log(row('server page, cache off', serverRendered));
      console.log(row('tool page, as served', toolRps));
      console.log(row('server page, as served', serverRps));
      console.log(row(`bare node:http, same ${(sample.length / 1024).toFixed(0)} KB page`, bareRps));
      ratio = toolRps.rps / bareRps.rps;
      renderedRatio = toolRendered.rps / bareRps.rps;
      console.log(
        `  tool page / bare handler: ${(ratio * 100).toFixed(0)}% as served, ${(renderedRatio * 100).toFixed(1)}% with the cache off`,
      );
    } finally {
      bare.child.kill();
      fs.rmSync(bodyFile, { force: true });
    }
    summary = {
      searchHttp,
      toolHttp,
      ratio,
      cold: `site-bench, cache off: search p95 ${fmtMs(searchCold.p95)} ms, tool page p95 ${fmtMs(toolCold.p95)} ms, throughput ratio ${renderedRatio.toFixed(3)}`,
    };
  } finally {
    site.child.kill();
    rendered.child.kill();
  }

  const pfCount = Number(values.pagefind);
  if (pfCount > 0) {
    const out = path.join(os.tmpdir(), `mcp-catalog-bench-pagefind-${process.pid}`, 'pagefind');
    const pdb = openDatabase(dbPath, { readonly: true });
    try {
      const build = await buildPagefind(pdb, pfCount, out);
      console.log(
        `pagefind over the first ${build.records} tools: index built in ${build.seconds.toFixed(1)} s, ` +
          `${(build.bytes / 1e6).toFixed(1)} MB in ${build.files} files`,
      );
      if (fs.existsSync('/usr/bin/chromium')) {
        const words = [...new Set(mix.map((m) => m.q))];
        console.log(line('pagefind query in Chromium', await queryPagefind(out, words, 1)));
      } else console.log('  pagefind query time: skipped (no /usr/bin/chromium)');
    } finally {
      pdb.close();
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  }

  console.log(summary.cold);
  console.log(
    `site-bench: ingest ${ingest.seconds.toFixed(0)} s, db ${dbMb.toFixed(0)} MB, search p95 ${fmtMs(summary.searchHttp.p95)} ms ` +
      `(floor ${fmtMs(floorP.p95)} ms), tool page p95 ${fmtMs(summary.toolHttp.p95)} ms, throughput ratio ${summary.ratio.toFixed(2)}`,
  );
}

// Child modes: serve the site or the bare handler in their own process, so the load generator's CPU and
// event loop are its own. Each prints "READY <url>" and runs until killed.
if (argv[0] === '--child-site') {
  const options = {
    dbPath: argv[1]!,
    host: '127.0.0.1',
    port: 0,
    log: () => {},
    cacheMb: Number(argv[2] ?? DEFAULT_CACHE_MB),
  };
  const site = await serveSite({ ...options, workers: Number(argv[3] ?? 1) });
  process.stdout.write(`READY ${site.url}\n`);
  process.once('SIGTERM', () => void site.close().then(() => process.exit(0)));
} else if (argv[0] === '--child-bare') {
  const bare = await startBareHandler(fs.readFileSync(argv[1]!, 'utf8'));
  process.stdout.write(`READY ${bare.url}\n`);
} else {
  await main();
}
