// `mcp-catalog scan github:owner/repo[/subdir][@ref]` as a user runs it, against the fake GitHub: the
// crawler's fetch → extract path for one repository, a monorepo folder, a tag, and clear errors for a
// deleted repository, a bad target and a missing token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github.ts';
import { runCli } from '../helpers/cli.ts';

let gh: FakeGitHub;
let env: Record<string, string>;

const server = (tools: string[]) =>
  `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n` +
  `const server = new McpServer({ name: 'x', version: '1.0.0' });\n` +
  tools.map((t) => `server.tool('${t}', 'Does ${t}.', {}, async () => ({ content: [] }));\n`).join('');

beforeAll(async () => {
  gh = await startFakeGitHub();
  gh.addRepo({
    owner: 'acme',
    name: 'tracks',
    files: {
      'package.json': '{"name":"tracks"}',
      'src/index.ts': server(['list_tracks', 'delete_track']),
    },
    refs: { 'v1.0': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' },
  });
  gh.addRepo({
    owner: 'acme',
    name: 'mono',
    files: {
      'README.md': '# mono\n',
      'servers/notes/package.json': '{"name":"notes"}',
      'servers/notes/index.ts': server(['read_note']),
      'servers/shell/package.json': '{"name":"shell"}',
      'servers/shell/index.ts': server(['run_command']),
    },
  });
  gh.addRepo({ owner: 'acme', name: 'gone', state: 'deleted', files: {} });
  env = { GITHUB_API_URL: gh.url, GITHUB_TOKEN: 'test-token' };
});
afterAll(() => gh.close());

const names = (stdout: string): string[] =>
  (JSON.parse(stdout) as { tools: { name: string }[] }).tools.map((t) => t.name);

describe('scan github:', () => {
  it('fetches, extracts and classifies a repository', async () => {
    const res = await runCli(['scan', 'github:acme/tracks', '--json'], { env });
    expect(res.code, res.stderr).toBe(0);
    const tools = (JSON.parse(res.stdout) as { tools: { name: string; category: string; source: unknown }[] })
      .tools;
    expect(tools.map((t) => [t.name, t.category])).toEqual([
      ['list_tracks', 'Read'],
      ['delete_track', 'Destructive'],
    ]);
    expect(tools[0]?.source).toEqual({ path: 'src/index.ts', line: 3 });
    const tagged = await runCli(['scan', 'github:acme/tracks@v1.0'], { env });
    expect(tagged.code, tagged.stderr).toBe(0);
    expect(tagged.stderr).toMatch(/acme\/tracks@aaaaaaa: 2 tools/);
  });

  it('reads only the named monorepo folder; the whole repository lists every server in it', async () => {
    const one = await runCli(['scan', 'github:acme/mono/servers/shell', '--json'], { env });
    expect(one.code, one.stderr).toBe(0);
    expect(names(one.stdout)).toEqual(['run_command']);
    const all = await runCli(['scan', 'github:acme/mono'], { env });
    expect(all.code, all.stderr).toBe(0);
    expect(all.stderr).toMatch(/acme\/mono@[0-9a-f]{7}: 2 tools from servers\/notes, servers\/shell/);
    expect(all.stdout).toContain('read_note');
    expect(all.stdout).toContain('run_command');
  });

  it('fails with exit 2 and a reason for a deleted repository, a bad target or no token', async () => {
    const gone = await runCli(['scan', 'github:acme/gone'], { env });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/cannot scan .*acme\/gone.*not found/);
    const bad = await runCli(['scan', 'github:acme'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expected github:owner\/repo/);
    const anonymous = await runCli(['scan', 'github:acme/tracks'], { env: { ...env, GITHUB_TOKEN: '' } });
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toMatch(/needs GITHUB_TOKEN/);
  });
});
