// Acceptance 2 of issue 5: `mcp-catalog crawl --source seed --limit 200` against the fake GitHub (filled
// from the first 200 GitHub servers of a seed list) fills the catalogue and the site shows the servers;
// a crawl killed with SIGKILL halfway and run again ends with exactly the rows of an uninterrupted crawl.
// The seed list is ../shared/data/servers-seed.jsonl when it is beside the project (read at run time,
// never copied into the repository), else a generated one of the same format.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverSeed, seedRecordToRefs } from '../../crawler/sources/seed.ts';
import { PROJECT_ROOT } from '../../data/config.ts';
import { openDatabase } from '../../data/db.ts';
import type { ServerRef } from '../../data/model.ts';
import { listQueueItems } from '../../data/queue.ts';
import { startSite } from '../../site/serve.ts';
import { serverHref } from '../../site/src/lib/urls.ts';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github.ts';
import { generatedTree, populate } from '../fakes/github-seeded.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

const LIMIT = 200;
const KILL_AFTER = 70;
const SHARED_SEED = path.join(PROJECT_ROOT, '..', 'shared', 'data', 'servers-seed.jsonl');
const dir = tempDir('crawl-resume-');
const seedFile = path.join(dir, 'seed.jsonl');
let fake: FakeGitHub;
const refs: ServerRef[] = [];
let env: Record<string, string>;
const args = (db: string) => [
  'crawl',
  '--source',
  'seed',
  '--seed-file',
  seedFile,
  '--limit',
  `${LIMIT}`,
  '--db',
  db,
];

/** Records with a GitHub repository, from the shared seed list or generated, enough for LIMIT servers. */
function writeSeedFixture(): void {
  const lines: string[] = [];
  let servers = 0;
  if (fs.existsSync(SHARED_SEED)) {
    const text = fs.readFileSync(SHARED_SEED, 'utf8');
    for (const line of text.split('\n')) {
      if (servers >= LIMIT + 20) break;
      if (!line.trim()) continue;
      const made = seedRecordToRefs(JSON.parse(line));
      if (made.length === 0 || !made.every((r) => r.github)) continue;
      lines.push(line);
      servers += made.length;
    }
  } else {
    for (let i = 0; servers < LIMIT + 20; i++) {
      const mono = i % 15 === 0;
      const record = {
        id: `org${i % 37}/server-${i}`,
        repo: `org${i % 37}/server-${i}`,
        name: `Server ${i}`,
        description: `Generated test server ${i}.`,
        ...(mono ? { subfolders: ['packages/alpha', 'packages/beta', 'packages/gamma'] } : {}),
      };
      lines.push(JSON.stringify(record));
      servers += mono ? 3 : 1;
    }
  }
  fs.writeFileSync(seedFile, `${lines.join('\n')}\n`);
}

function queueItems(file: string) {
  const db = openDatabase(file, { readonly: true });
  try {
    return listQueueItems(db);
  } finally {
    db.close();
  }
}

/** Every catalogue row a crawl writes, without timestamps or row ids, in a stable order. */
function catalogueRows(file: string) {
  const db = openDatabase(file, { readonly: true });
  try {
    const all = (sql: string) => db.prepare(sql).all();
    return {
      servers: all(`SELECT id, name, description, repository_url, homepage_url, source, ref_json, info_json,
        tool_count, last_status, last_error FROM servers ORDER BY id`),
      tools: all(`SELECT server_id, name, position, title, description, definition, def_hash, source_path,
        source_line, truncated FROM tools ORDER BY server_id, name`),
      verdicts: all(`SELECT t.server_id, t.name, v.classifier, v.classifier_version, v.def_hash, v.category,
        v.risk, v.confidence, v.verdict FROM verdicts v JOIN tools t ON t.id = v.tool_id
        ORDER BY t.server_id, t.name, v.classifier`),
      history: all(`SELECT t.server_id, t.name, h.def_hash, h.category, h.risk FROM tool_history h
        JOIN tools t ON t.id = h.tool_id ORDER BY t.server_id, t.name, h.def_hash`),
      changes: all(`SELECT server_id, tool_name, kind FROM tool_changes ORDER BY server_id, tool_name`),
      failures: all(`SELECT server_id, kind, reason FROM crawl_failures ORDER BY server_id, reason`),
      versions: all(`SELECT server_id, version, commit_sha FROM source_versions ORDER BY server_id`),
    };
  } finally {
    db.close();
  }
}

/** Run the crawl and send it `signal` once `after` servers are reported finished. */
function crawlUntilKilled(
  db: string,
  after: number,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<{ finished: number; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/mcp-catalog.js'), ...args(db)], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let finished = 0;
    let sent = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      finished = stderr.split('\n').filter((l) => /^\[\d+(\/\d+)?\] /.test(l)).length;
      if (finished >= after && !sent) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (!sent) reject(new Error(`crawl ended before it was stopped:\n${stderr}`));
      else resolve({ finished, stderr, code });
    });
  });
}

beforeAll(async () => {
  writeSeedFixture();
  for await (const ref of discoverSeed({ file: seedFile, limit: LIMIT })) refs.push(ref);
  // Latency so that the kill lands mid-crawl rather than after it.
  fake = await startFakeGitHub({ latencyMs: 25 });
  populate(fake, refs);
  // Make sure both kinds of vanished repository are among them, whatever the fates dealt.
  const repoOf = (r: ServerRef) => `${r.github!.owner}/${r.github!.repo}`;
  const singles = refs.filter((r) => !r.github?.subdir && fake.getRepo(repoOf(r))?.head);
  fake.getRepo(repoOf(singles[3]!))!.state = 'deleted';
  fake.getRepo(repoOf(singles[5]!))!.state = 'dmca';
  const toolless = fake.getRepo(repoOf(singles[7]!))!;
  toolless.files = { 'README.md': '# not a server\n' };
  env = {
    GITHUB_API_URL: fake.url,
    GITHUB_TOKEN: 'test-token',
    MCP_CATALOG_SCRATCH: path.join(dir, 'scratch'),
  };
}, 60_000);
afterAll(() => fake?.close());

describe('crawl --source seed (acceptance 2)', () => {
  const whole = path.join(dir, 'whole.db');
  const resumed = path.join(dir, 'resumed.db');

  it('fills the catalogue from the seed list, recording vanished repositories as gone', async () => {
    const res = await runCli(args(whole), { env, timeoutMs: 240_000 });
    expect(res.code, res.stderr).toBe(0);
    expect(refs).toHaveLength(LIMIT);
    const items = queueItems(whole);
    expect(items).toHaveLength(LIMIT);
    const states = new Map(items.map((i) => [i.serverId, i]));
    const deleted = refs.find(
      (r) => fake.getRepo(`${r.github!.owner}/${r.github!.repo}`)?.state === 'deleted',
    );
    const dmca = refs.find((r) => fake.getRepo(`${r.github!.owner}/${r.github!.repo}`)?.state === 'dmca');
    expect(states.get(deleted!.id)).toMatchObject({ state: 'gone', lastKind: 'http' });
    expect(states.get(dmca!.id)).toMatchObject({ state: 'gone', lastKind: 'http' });
    expect(res.stderr).toMatch(/gone: not-found \(\d+\):/);
    expect(res.stderr).toMatch(/gone: dmca \(\d+\):/);
    expect(res.stderr).toMatch(/extract: no tools \(1\):/);
    const done = items.filter((i) => i.state === 'done').length;
    expect(done).toBeGreaterThan(LIMIT * 0.8);
    const rows = catalogueRows(whole);
    expect(rows.servers).toHaveLength(LIMIT);
    expect(rows.tools.length).toBeGreaterThanOrEqual(done * 2);
  }, 300_000);

  it('the site shows a crawled server and its tools', async () => {
    const db = openDatabase(whole, { readonly: true });
    const server = db.prepare(`SELECT id FROM servers WHERE tool_count > 0 ORDER BY id LIMIT 1`).get() as {
      id: string;
    };
    const tool = db
      .prepare(`SELECT name FROM tools WHERE server_id = ? ORDER BY position LIMIT 1`)
      .get(server.id) as {
      name: string;
    };
    db.close();
    const site = await startSite({ dbPath: whole, host: '127.0.0.1', port: 0, log: () => {} });
    try {
      const res = await fetch(site.url + serverHref(server.id));
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(tool.name);
    } finally {
      await site.close();
    }
  }, 300_000);

  it('killed with SIGKILL halfway and run again, ends with the same rows as the uninterrupted crawl', async () => {
    const killed = await crawlUntilKilled(resumed, KILL_AFTER);
    expect(killed.finished).toBeGreaterThanOrEqual(KILL_AFTER);
    const afterKill = queueItems(resumed);
    const doneAtKill = afterKill.filter((i) => ['done', 'gone', 'failed'].includes(i.state)).length;
    expect(doneAtKill).toBeGreaterThanOrEqual(KILL_AFTER - 10);
    expect(doneAtKill).toBeLessThan(LIMIT);

    const again = await runCli(args(resumed), { env, timeoutMs: 240_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/resumed pass #1/);
    // The resumed crawl did only what was left.
    expect(again.stderr).toMatch(new RegExp(`crawl #2: ${LIMIT - doneAtKill} servers`));
    if (afterKill.some((i) => i.state === 'running'))
      expect(again.stderr).toMatch(/taken back from a crawl that died/);
    expect(catalogueRows(resumed)).toEqual(catalogueRows(whole));
  }, 300_000);

  it('--retry-failed takes a failed server again once its source is fixed', async () => {
    const failed = queueItems(resumed).filter((i) => i.state === 'failed');
    expect(failed).toHaveLength(1);
    const g = failed[0]!.ref.github!;
    fake.push(`${g.owner}/${g.repo}`, generatedTree(`${g.owner}/${g.repo}`, 'fixed', []));
    const res = await runCli(['crawl', '--retry-failed', '--db', resumed], { env, timeoutMs: 120_000 });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/crawl #3: 1 servers, 1 ok, 0 failed/);
    const db = openDatabase(resumed, { readonly: true });
    const row = db
      .prepare(`SELECT tool_count, last_status FROM servers WHERE id = ?`)
      .get(failed[0]!.serverId);
    db.close();
    expect(row).toMatchObject({ last_status: 'ok' });
    expect((row as { tool_count: number }).tool_count).toBeGreaterThanOrEqual(2);
  }, 300_000);

  it('refuses bad crawl options with exit 2 and a reason', async () => {
    const db = path.join(dir, 'usage.db');
    const cases: [string[], RegExp][] = [
      [
        ['--source', 'seed,nope'],
        /unknown source "nope"; choose from registry, seed, markdown, github, npm, pypi/,
      ],
      [
        ['--source', 'seed', '--seed-file', path.join(dir, 'missing.jsonl')],
        /seed file .*missing\.jsonl does not exist/,
      ],
      [['--source', 'markdown'], /--source markdown needs --markdown-file/],
      [['--limit', '5'], /--limit needs --source/],
      [['--source', 'seed', '--since', 'last tuesday'], /--since must be a date/],
    ];
    for (const [extra, message] of cases) {
      const res = await runCli(['crawl', ...extra, '--db', db], { env });
      expect(res.code, extra.join(' ')).toBe(2);
      expect(res.stderr).toMatch(message);
    }
  }, 120_000);

  it('Ctrl+C stops the crawl with exit 130, holding nothing, and the next crawl resumes', async () => {
    const db = path.join(dir, 'interrupted.db');
    const stopped = await crawlUntilKilled(db, 20, 'SIGINT');
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/SIGINT: stopping the crawl/);
    expect(stopped.stderr).toMatch(/crawl interrupted; run it again to resume/);
    const items = queueItems(db);
    expect(items.filter((i) => i.state === 'running')).toEqual([]);
    expect(items.filter((i) => i.state === 'pending').length).toBeGreaterThan(0);
    const again = await runCli(args(db), { env, timeoutMs: 240_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/resumed pass #1/);
    expect(queueItems(db).filter((i) => i.state === 'pending' || i.state === 'running')).toEqual([]);
  }, 300_000);
});
