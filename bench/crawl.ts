// `npm run bench:crawl`: crawl the seed list's GitHub repositories (12,200) through the real octokit
// client and GitHub fetcher against the local fake GitHub, which enforces GitHub's accounting (5,000 REST
// requests and 5,000 GraphQL points an hour per token, free 304s) on a simulated clock, with a generated
// source tree per repository and a realistic share of deleted, renamed, DMCA'd, empty and archived ones.
// Then push 5% of the repositories and recrawl incrementally.
//
// What is simulated: (1) the hourly rate-limit windows: when a budget is spent the fake's clock jumps to
// the reset instead of the process sleeping, and the jump is counted as waiting time; (2) network latency:
// requests are answered at once and each is charged LATENCY_MS on a model of the crawl (GraphQL batches
// one after another, downloads CONCURRENCY at a time, each download = API request + codeload request).
// CPU time (gzip, tar parsing, writing files) is real and measured.
//
// Usage: npm run bench:crawl [-- --limit N] [-- --extract] (MCP_CATALOG_SEED overrides the seed path).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../data/config.ts';
import type { ServerRef } from '../data/model.ts';
import { createGitHubClient } from '../crawler/github/client.ts';
import { GitHubFetcher, fetchAll } from '../crawler/github/fetcher.ts';
import type { FetchOutcome } from '../crawler/github/outcome.ts';
import { discoverSeed } from '../crawler/sources/seed.ts';
import { startFakeGitHub, type FakeGitHub } from '../test/fakes/github.ts';
import { populate, unit } from '../test/fakes/github-seeded.ts';

const LATENCY_MS = 150;
const CONCURRENCY = 8;
const BATCH = 100;
const CHANGED_SHARE = 0.05;
const TARGET = 43_000;
const BUDGET_PER_HOUR = 5000;

const seedFile =
  process.env.MCP_CATALOG_SEED ?? path.join(PROJECT_ROOT, '..', 'shared', 'data', 'servers-seed.jsonl');
const limitArg = process.argv.indexOf('--limit');
const limit = limitArg > 0 ? Number(process.argv[limitArg + 1]) : undefined;
/** `--extract`: also run the static extractor on every fetched tree (the next stage), counting tools. */
const extract = process.argv.includes('--extract');
type Extractor = (dir: string) => Promise<{ servers: { tools: unknown[] }[] }>;

interface Phase {
  label: string;
  outcomes: Map<string, FetchOutcome>;
  rest: number;
  graphqlQueries: number;
  graphqlPoints: number;
  downloads: number;
  notModified: number;
  primaryLimited: number;
  waitedMs: number;
  cpuMs: number;
  tools: number;
  simulatedMs: number;
}

async function crawl(
  label: string,
  fake: FakeGitHub,
  clock: { now: number; waited: number },
  refs: ServerRef[],
  known: Map<string, string>,
  workDir: string,
): Promise<Phase> {
  fake.resetStats();
  const waitedBefore = clock.waited;
  const client = createGitHubClient({
    baseUrl: fake.url,
    token: 'bench-token',
    timeUnitMs: 0,
    graphqlMinTimeMs: 0,
    maxConcurrent: CONCURRENCY,
    // A spent budget: move the simulated clock to the window's reset (that is the wait) and retry.
    onRateLimit: (e) => {
      const reset = fake.resetAt(e.url.endsWith('/graphql') ? 'graphql' : 'core');
      if (reset > clock.now) {
        clock.waited += reset - clock.now;
        clock.now = reset;
      }
      return true;
    },
  });
  const fetcher = new GitHubFetcher({ client, workDir, batchSize: BATCH });
  const items = refs.map((r) => ({
    id: r.id,
    github: r.github!,
    ...(known.has(r.id) ? { known: known.get(r.id) } : {}),
  }));
  const outcomes = new Map<string, FetchOutcome>();
  const started = performance.now();
  let n = 0;
  let tools = 0;
  const extractor: Extractor | undefined = extract
    ? ((await import('../crawler/extract/index.ts')).extractFromDirectory as unknown as Extractor)
    : undefined;
  for await (const { item, outcome } of fetchAll(fetcher, items, {
    concurrency: CONCURRENCY,
    batchSize: BATCH,
  })) {
    outcomes.set(item.id, outcome);
    if (outcome.status === 'fetched' || outcome.status === 'unchanged' || outcome.status === 'gone') {
      if (outcome.version) known.set(item.id, outcome.version);
    }
    if (outcome.status === 'fetched' && extractor) {
      for (const server of (await extractor(outcome.dir)).servers) tools += server.tools.length;
    }
    if (outcome.status === 'fetched' && !outcome.dir.includes(`${path.sep}_repos${path.sep}`)) {
      fs.rmSync(outcome.dir, { recursive: true, force: true });
    }
    if (++n % 2000 === 0) process.stderr.write(`  ${label}: ${n}/${items.length}\n`);
  }
  const cpuMs = performance.now() - started;
  const s = fake.stats;
  const batches = Math.ceil(items.length / BATCH);
  // Latency model: each batch's GraphQL query, then its REST requests and codeload downloads 8 at a time.
  const simulatedMs =
    batches * LATENCY_MS + Math.ceil((s.rest + s.codeloadDownloads) / CONCURRENCY) * LATENCY_MS;
  return {
    label,
    outcomes,
    rest: s.rest,
    graphqlQueries: s.graphqlQueries,
    graphqlPoints: s.graphqlPoints,
    downloads: s.codeloadDownloads,
    notModified: s.notModified,
    primaryLimited: s.primaryLimited,
    waitedMs: clock.waited - waitedBefore,
    cpuMs,
    tools,
    simulatedMs: simulatedMs + (clock.waited - waitedBefore),
  };
}

function count(outcomes: Map<string, FetchOutcome>) {
  const by: Record<string, number> = {};
  for (const o of outcomes.values()) {
    const k =
      o.status === 'gone'
        ? `gone:${o.reason}`
        : o.status === 'failed'
          ? `failed:${o.error.message.slice(0, 40)}`
          : o.status;
    by[k] = (by[k] ?? 0) + 1;
  }
  return by;
}

const fmt = (n: number, d = 2) => n.toFixed(d);
const hours = (ms: number) => (ms >= 3_600_000 ? `${fmt(ms / 3_600_000)} h` : `${fmt(ms / 60_000, 1)} min`);

async function main() {
  if (!fs.existsSync(seedFile)) throw new Error(`seed list ${seedFile} not found (set MCP_CATALOG_SEED)`);
  const refs: ServerRef[] = [];
  for await (const ref of discoverSeed({ file: seedFile, kinds: ['github'], ...(limit ? { limit } : {}) }))
    refs.push(ref);
  const clock = { now: Date.parse('2026-01-01T00:00:00Z'), waited: 0 };
  const fake = await startFakeGitHub({ now: () => clock.now });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-crawl-'));
  try {
    const { repos, fates } = populate(fake, refs);
    console.log(`seed: ${refs.length} GitHub servers in ${repos.length} repositories (${seedFile})`);
    console.log(
      `fates: ${fates.deleted} deleted, ${fates.dmca} DMCA, ${fates.renamed} renamed, ${fates.empty} empty, ${fates.archived} archived`,
    );
    console.log(
      `model: ${LATENCY_MS} ms per request (simulated), concurrency ${CONCURRENCY}, ${BATCH} repos per GraphQL query`,
    );
    const known = new Map<string, string>();

    const full = await crawl('full', fake, clock, refs, known, workDir);
    // 5% of the live repositories get a new commit that touches every one of their servers.
    const live = repos.filter(
      (k) => fake.repos.has(k) && fake.repos.get(k)?.head && (fake.repos.get(k)?.state ?? 'ok') === 'ok',
    );
    const changed = live.filter((k) => unit(`${k}#push`) < CHANGED_SHARE);
    for (const k of changed) fake.push(k);
    const original = new Set(repos);
    for (const k of [...fake.repos.keys()])
      if (!original.has(k) && unit(`${k}#push`) < CHANGED_SHARE) fake.push(k);
    const inc = await crawl('incremental', fake, clock, refs, known, workDir);

    const perRepo = (x: number) => x / repos.length;
    const fullReqPerRepo = perRepo(full.rest + full.graphqlQueries);
    const byInc = count(inc.outcomes);
    const unchanged = byInc.unchanged ?? 0;
    const pointsPerUnchanged = inc.graphqlPoints / Math.max(1, unchanged);
    const scale = TARGET / refs.length;
    const fullHours = Math.max(
      (full.rest * scale) / BUDGET_PER_HOUR,
      (full.graphqlPoints * scale) / BUDGET_PER_HOUR,
    );
    const incHours = Math.max(
      (inc.rest * scale) / BUDGET_PER_HOUR,
      (inc.graphqlPoints * scale) / BUDGET_PER_HOUR,
    );

    for (const p of [full, inc]) {
      console.log(`\n${p.label} crawl`);
      console.log(`  outcomes: ${JSON.stringify(count(p.outcomes))}`);
      console.log(
        `  REST requests ${p.rest} (${fmt(perRepo(p.rest), 3)}/repo), GraphQL ${p.graphqlQueries} queries = ${p.graphqlPoints} points (${fmt(perRepo(p.graphqlPoints), 4)}/repo), tarballs ${p.downloads}, free 304s ${p.notModified}`,
      );
      if (extract) console.log(`  extracted ${p.tools} tools from the fetched trees`);
      console.log(
        `  wall: ${fmt(p.cpuMs / 1000, 1)} s real CPU; simulated ${hours(p.simulatedMs)} incl. ${hours(p.waitedMs)} waiting for rate-limit resets (${p.primaryLimited} limited answers)`,
      );
    }
    console.log(
      `\nextrapolated to ${TARGET} servers (budgets: ${BUDGET_PER_HOUR} REST requests and ${BUDGET_PER_HOUR} GraphQL points per token-hour)`,
    );
    console.log(
      `  full crawl: ${fmt(full.rest * scale, 0)} REST + ${fmt(full.graphqlPoints * scale, 0)} points = ${fmt(fullHours)} token-hours`,
    );
    console.log(
      `  recrawl (${CHANGED_SHARE * 100}% changed): ${fmt(inc.rest * scale, 0)} REST + ${fmt(inc.graphqlPoints * scale, 0)} points = ${fmt(incHours)} token-hours`,
    );
    console.log(
      `crawl-bench: full ${fmt(fullReqPerRepo)} requests/repo, incremental ${fmt(pointsPerUnchanged, 3)} points/unchanged server, recrawl of ${TARGET} servers = ${fmt(incHours)} token-hours`,
    );
  } finally {
    await fake.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
