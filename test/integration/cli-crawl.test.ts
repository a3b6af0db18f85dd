// `mcp-catalog crawl` as a user runs it: a config file of servers, change detection across crawls (a rug
// pull is reported), the optional LLM judge through the real openai client against a local
// OpenAI-compatible endpoint, and Ctrl+C stopping the crawl and its servers.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listToolChanges } from '../../data/changes.ts';
import { openDatabase } from '../../data/db.ts';
import { getTool, listServerToolDetails } from '../../data/queries.ts';
import { PROJECT_ROOT } from '../../data/config.ts';
import { jsonReply, startFakeOpenAI, type FakeOpenAI } from '../fakes/openai.ts';
import { runCli } from '../helpers/cli.ts';
import { fixtureRef } from '../helpers/servers.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
const writeConfig = (name: string, servers: unknown[]): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify({ servers }));
  return file;
};

describe('mcp-catalog crawl', () => {
  let fake: FakeOpenAI | undefined;
  afterAll(() => fake?.close());

  it('records a changed tool and reports a rug pull when its risk rose', async () => {
    const db = path.join(dir, 'rug.db');
    const v1 = writeConfig('v1.json', [
      fixtureRef('notebook', 'mutable.mjs', { env: { FIXTURE_VERSION: '1' } }),
    ]);
    const v2 = writeConfig('v2.json', [
      fixtureRef('notebook', 'mutable.mjs', { env: { FIXTURE_VERSION: '2' } }),
    ]);
    const first = await runCli(['crawl', '--config', v1, '--db', db]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).not.toContain('RISK ROSE');
    const second = await runCli(['crawl', '--config', v2, '--db', db]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/tools: 0 added, 1 changed, 0 removed, 0 unchanged/);
    expect(second.stderr).toMatch(/RISK ROSE fixture\/notebook tidy_notes: /);

    const catalogue = openDatabase(db, { readonly: true });
    const changes = listToolChanges(catalogue, 'fixture/notebook', 'tidy_notes');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      kind: 'changed',
      rugPull: true,
      oldCategory: 'Read',
      newCategory: 'Destructive',
    });
    expect(getTool(catalogue, 'fixture/notebook', 'tidy_notes')?.history.map((h) => h.category)).toEqual([
      'Read',
      'Destructive',
    ]);
    catalogue.close();
  });

  it('asks the LLM judge when configured; the judge never lowers a rules verdict', async () => {
    // A judge that calls everything harmless: it may refine, but must not talk a Destructive tool down.
    fake = await startFakeOpenAI(() =>
      jsonReply({
        category: 'Read',
        risk: 'low',
        confidence: 0.9,
        rationale: 'Looks harmless to this judge.',
        evidence: [],
        injection_suspected: false,
      }),
    );
    const db = path.join(dir, 'judge.db');
    const config = writeConfig('daw.json', [fixtureRef('daw', 'good-daw.mjs')]);
    const env = {
      MCP_CATALOG_LLM_BASE_URL: fake.baseURL,
      MCP_CATALOG_LLM_MODEL: 'fake-judge',
      MCP_CATALOG_LLM_API_KEY: 'k',
    };
    const res = await runCli(['crawl', '--config', config, '--db', db], { env });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('LLM judge on: fake-judge');

    const catalogue = openDatabase(db, { readonly: true });
    const tools = listServerToolDetails(catalogue, 'fixture/daw');
    expect(fake.requests).toHaveLength(tools.length);
    for (const t of tools) expect(t.verdict?.classifier.name, t.name).toMatch(/\+llm$/);
    const del = tools.find((t) => t.name === 'delete_track');
    expect(del?.verdict).toMatchObject({ category: 'Destructive' });
    expect(del?.verdict?.flags.map((f) => f.kind)).toContain('judge-disagrees');
    catalogue.close();

    // A second crawl of the unchanged server answers from the cache: no new calls.
    const again = await runCli(['crawl', '--config', config, '--db', db], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(fake.requests).toHaveLength(tools.length);
  });

  it('stops on Ctrl+C: exit 130, its servers killed, earlier rows kept', async () => {
    const db = path.join(dir, 'interrupt.db');
    const token = `interrupt-${process.pid}-${Date.now()}`;
    const config = writeConfig('hang.json', [
      fixtureRef('daw', 'good-daw.mjs'),
      fixtureRef('hang', 'never-answers.mjs', { args: [token] }),
    ]);
    const child = spawn(
      process.execPath,
      [
        path.join(PROJECT_ROOT, 'bin/mcp-catalog.js'),
        'crawl',
        '--config',
        config,
        '--db',
        db,
        '--timeout',
        '120',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const running = (): boolean => {
      try {
        return execFileSync('pgrep', ['-f', token]).toString().trim() !== '';
      } catch {
        return false;
      }
    };
    // Wait until the daw server is stored and the hanging one runs, then interrupt.
    for (let i = 0; i < 600 && !(running() && /daw: ok/.test(stderr)); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(running()).toBe(true);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/SIGINT: stopping the crawl/);
    expect(stderr).toMatch(/crawl interrupted/);
    expect(running()).toBe(false);
    const catalogue = openDatabase(db, { readonly: true });
    expect(listServerToolDetails(catalogue, 'fixture/daw').length).toBeGreaterThan(0);
    catalogue.close();
  });
});
