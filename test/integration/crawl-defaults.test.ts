// The embedded default: the installed reference servers, crawled live over stdio into a temporary
// database. Every tool of every default server gets a verdict; crawling again adds no rows.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crawl, type CrawlSummary } from '../../crawler/crawl.ts';
import { defaultServers, normalizeRepositoryUrl } from '../../crawler/defaults.ts';
import { openDatabase, type Db } from '../../data/db.ts';
import { ServerRefSchema, VerdictSchema } from '../../data/model.ts';
import { tempDir } from '../helpers/tmp.ts';

const OPTIONS = {
  source: 'default',
  concurrency: 2,
  connectTimeoutS: 30,
  listTimeoutS: 60,
  maxReadBytes: 256e6,
};
const DEFAULT_IDS = [
  'npm/@modelcontextprotocol/server-everything',
  'npm/@modelcontextprotocol/server-memory',
  'npm/@modelcontextprotocol/server-filesystem',
  'npm/@modelcontextprotocol/server-sequential-thinking',
];
const TABLES = ['servers', 'tools', 'verdicts', 'tool_history', 'crawl_failures', 'tools_fts', 'servers_fts'];

function rowCounts(db: Db): Record<string, number> {
  return Object.fromEntries(
    TABLES.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]),
  );
}

describe('default servers', () => {
  const dir = tempDir();
  const scratchDir = path.join(dir, 'scratch');
  let db: Db;
  let first: CrawlSummary;

  beforeAll(async () => {
    db = openDatabase(path.join(dir, 'catalog.db'));
    first = await crawl(db, defaultServers({ scratchDir }), OPTIONS);
  });

  it('are valid refs that launch node directly on each package’s bin entry', () => {
    const refs = defaultServers({ scratchDir });
    expect(refs.map((r) => r.id)).toEqual(DEFAULT_IDS);
    for (const ref of refs) {
      expect(ServerRefSchema.parse(ref)).toEqual(ref);
      expect(ref.launch).toMatchObject({ transport: 'stdio', command: process.execPath, cwd: scratchDir });
      const entry = ref.launch?.transport === 'stdio' ? ref.launch.args[0] : undefined;
      expect(entry).toContain(path.join('node_modules', ...(ref.packages[0]?.name.split('/') ?? [])));
      expect(ref.packages[0]?.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(ref.repositoryUrl).toBe('https://github.com/modelcontextprotocol/servers');
    }
    const memory = refs.find((r) => r.id.endsWith('server-memory'));
    expect(memory?.launch?.transport === 'stdio' && memory.launch.env).toEqual({
      MEMORY_FILE_PATH: path.join(scratchDir, 'memory.jsonl'),
    });
    const filesystem = refs.find((r) => r.id.endsWith('server-filesystem'));
    expect(filesystem?.launch?.transport === 'stdio' && filesystem.launch.args[1]).toBe(
      path.join(scratchDir, 'filesystem'),
    );
  });

  it('all crawl, each with tools, and every tool has a valid verdict', () => {
    expect(first.failures).toEqual([]);
    expect(first.ok).toBe(4);
    for (const id of DEFAULT_IDS) {
      const rows = db
        .prepare(
          `SELECT t.name, v.verdict FROM tools t LEFT JOIN verdicts v ON v.tool_id = t.id WHERE t.server_id = ?`,
        )
        .all(id) as { name: string; verdict: string | null }[];
      expect({ id, some: rows.length > 0 }).toEqual({ id, some: true });
      for (const row of rows) {
        expect({ tool: row.name, hasVerdict: row.verdict !== null }).toEqual({
          tool: row.name,
          hasVerdict: true,
        });
        const verdict = VerdictSchema.parse(JSON.parse(row.verdict as string));
        expect(verdict.rationale.length).toBeGreaterThan(0);
      }
      const server = db
        .prepare(`SELECT last_status, info_json, tool_count FROM servers WHERE id = ?`)
        .get(id) as {
        last_status: string;
        info_json: string;
        tool_count: number;
      };
      expect(server.last_status).toBe('ok');
      expect(server.tool_count).toBe(rows.length);
      expect(JSON.parse(server.info_json).name).toMatch(/\S/);
    }
    const total = db.prepare(`SELECT count(*) AS n FROM tools`).get() as { n: number };
    expect(first.tools).toBe(total.n);
  });

  it('re-crawled adds no rows and changes nothing', async () => {
    const before = rowCounts(db);
    const again = await crawl(db, defaultServers({ scratchDir }), OPTIONS);
    expect(again.failures).toEqual([]);
    expect(again.changes).toEqual({ added: 0, changed: 0, unchanged: first.tools, removed: 0 });
    expect(rowCounts(db)).toEqual(before);
  });

  it('normalizes package repository URLs to https, and refuses anything else', () => {
    expect(normalizeRepositoryUrl({ url: 'git+https://github.com/o/r.git' })).toBe('https://github.com/o/r');
    expect(normalizeRepositoryUrl('github:o/r')).toBe('https://github.com/o/r');
    expect(normalizeRepositoryUrl('o/r')).toBe('https://github.com/o/r');
    expect(normalizeRepositoryUrl('javascript:alert(1)')).toBeUndefined();
  });
});
