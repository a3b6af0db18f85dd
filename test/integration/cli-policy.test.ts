// `mcp-catalog policy` and `stats` over a real catalogue file.
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeCatalog, verdict } from '../helpers/site.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

const schema = { type: 'object' as const };

describe('mcp-catalog policy and stats', () => {
  const dir = tempDir();
  const db = path.join(dir, 'catalog.db');
  beforeAll(() => {
    writeCatalog(db, [
      {
        ref: { id: 'test/daw', name: 'Tiny DAW', source: 'config', packages: [] },
        tools: [
          { name: 'get_track', description: 'Read a track.', inputSchema: schema },
          {
            name: 'set_track_monitoring',
            description: 'Set the monitoring mode of a track.',
            inputSchema: schema,
          },
          { name: 'delete_track', description: 'Delete a track.', inputSchema: schema },
          { name: 'run_script', description: 'Run a script.', inputSchema: schema },
        ],
        verdicts: {
          get_track: verdict('Read', 'low'),
          set_track_monitoring: verdict('Write', 'medium'),
          delete_track: verdict('Destructive', 'high'),
          run_script: verdict('Execute', 'critical'),
        },
      },
    ]);
  });

  it('prints the recommended policy.json for a server', async () => {
    const res = await runCli(['policy', 'test/daw', '--db', db]);
    expect(res.code, res.stderr).toBe(0);
    const policy = JSON.parse(res.stdout) as {
      default: string;
      hide: string[];
      tools: Record<string, { limits?: { max: number }[] }>;
    };
    expect(policy.default).toBe('deny');
    expect(policy.hide).toEqual(['delete_track']);
    expect(policy.tools.get_track).toEqual({});
    expect(policy.tools.set_track_monitoring?.limits?.[0]?.max).toBe(30);
    expect(policy.tools.run_script?.limits?.[0]?.max).toBe(10);
    expect(policy.tools.delete_track).toBeUndefined();
  });

  it('renders other formats and a single tool', async () => {
    const claude = await runCli(['policy', 'test/daw', '--db', db, '--format', 'claude-code']);
    expect(JSON.parse(claude.stdout)).toMatchObject({
      permissions: { ask: ['mcp__Tiny_DAW__run_script'], deny: ['mcp__Tiny_DAW__delete_track'] },
    });
    const yaml = await runCli([
      'policy',
      'test/daw',
      '--db',
      db,
      '--format',
      'intercept',
      '--tool',
      'delete_track',
    ]);
    expect(parseYaml(yaml.stdout)).toMatchObject({ hide: ['delete_track'] });
  });

  it('names an unknown server or tool and exits 2', async () => {
    const server = await runCli(['policy', 'test/da', '--db', db]);
    expect(server.code).toBe(2);
    expect(server.stderr).toMatch(/no server "test\/da" in the catalogue; did you mean: test\/daw/);
    const tool = await runCli(['policy', 'test/daw', '--db', db, '--tool', 'nope']);
    expect(tool.code).toBe(2);
    expect(tool.stderr).toMatch(/server "test\/daw" has no tool "nope"/);
    const noDb = await runCli(['policy', 'test/daw', '--db', path.join(dir, 'missing.db')]);
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toMatch(/missing\.db does not exist; run `mcp-catalog crawl` first/);
  });

  it('stats prints totals', async () => {
    const res = await runCli(['stats', '--db', db, '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({
      servers: 1,
      tools: 4,
      byCategory: { Read: 1, Write: 1, Destructive: 1, Execute: 1 },
    });
  });
});

describe('mcp-catalog itself', () => {
  it('prints its version and help with exit 0, and names an unknown command with exit 2', async () => {
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['scan', 'classify', 'policy', 'crawl', 'serve', 'stats', 'start']) {
      expect(help.stdout).toContain(`  ${command} `);
    }
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });

  it('refuses a serve option it cannot use, naming it, before opening anything', async () => {
    const db = '/nonexistent/never-opened.db';
    const url = await runCli(['serve', '--db', db, '--site-url', 'ftp://catalog.example.org']);
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('site URL "ftp://catalog.example.org" must be a plain http(s) origin');
    const path = await runCli(['serve', '--db', db, '--site-url', 'https://example.org/catalog']);
    expect(path.code).toBe(2);
    const cache = await runCli(['serve', '--db', db, '--cache-mb', '-1']);
    expect(cache.code).toBe(2);
    expect(cache.stderr).toContain('--cache-mb must be a number, 0 or more, got "-1"');
    const env = await runCli(['serve', '--db', db], { env: { MCP_CATALOG_SITE_CACHE_MB: 'lots' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('MCP_CATALOG_SITE_CACHE_MB must be a number, 0 or more, got "lots"');
  });
});
