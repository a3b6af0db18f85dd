// Seed JSON lines and awesome markdown: monorepo fan-out, key kinds, skipped lines, GitHub link forms.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerRef } from '../../data/model.ts';
import { discoverSeed } from '../../crawler/sources/seed.ts';
import { discoverMarkdown } from '../../crawler/sources/markdown.ts';
import { parseGitHubTarget, parseGitHubUrl } from '../../crawler/sources/github-url.ts';
import { SOURCE_FIXTURES } from '../fakes/source-cases.ts';

async function all(it: AsyncIterable<ServerRef>) {
  const out: ServerRef[] = [];
  for await (const r of it) out.push(r);
  return out;
}

describe('seed source', () => {
  const file = path.join(SOURCE_FIXTURES, 'seed-sample.jsonl');

  it('fans a monorepo out per subfolder and keys the rest by package, registry name or URL', async () => {
    const skipped: string[] = [];
    const refs = await all(discoverSeed({ file, onSkip: (reason) => skipped.push(reason) }));
    expect(refs.map((r) => r.id)).toEqual([
      'github:acme-labs/weather-mcp',
      'github:acme-labs/tools/servers/notes',
      'github:acme-labs/tools/servers/calendar',
      'npm/@acme/only-npm',
      'pypi/acme-py-mcp',
      'url/mcp.acme.example/v1',
      'registry/com.acme/nothing-else',
    ]);
    expect(skipped).toEqual(['line 3 is not JSON']);
    const weather = refs[0];
    expect(weather?.github).toEqual({ owner: 'Acme-Labs', repo: 'weather-mcp' });
    expect(weather?.packages).toEqual([{ registry: 'npm', name: '@acme/weather-mcp' }]);
    expect(refs[2]).toMatchObject({ name: 'Acme Notes — calendar', github: { subdir: 'servers/calendar' } });
    expect(refs[5]?.launch).toEqual({ transport: 'http', url: 'https://mcp.acme.example/v1' });
  });

  it('filters by kind', async () => {
    const refs = await all(discoverSeed({ file, kinds: ['pypi', 'npm'] }));
    expect(refs.map((r) => r.id)).toEqual(['npm/@acme/only-npm', 'pypi/acme-py-mcp']);
  });
});

describe('markdown source', () => {
  it('reads list items and table rows, keeps tree/blob subfolders, ignores prose, TOC, topics and code', async () => {
    const refs = await all(
      discoverMarkdown({ file: path.join(SOURCE_FIXTURES, 'awesome-sample.md'), sourceName: 'awesome:test' }),
    );
    expect(refs.map((r) => [r.id, r.name])).toEqual([
      ['github:acme-labs/weather-mcp', 'acme-labs/weather-mcp'],
      ['github:acme-labs/tools/servers/notes', 'Notes'],
      ['github:acme-labs/tools/servers/calendar', 'Calendar'],
      ['github:acme-labs/files-mcp', 'files-mcp'],
    ]);
    expect(refs[0]?.description).toBe('📇 ☁️ - Forecasts from a made-up weather service.');
    expect(refs[2]?.github).toEqual({
      owner: 'acme-labs',
      repo: 'tools',
      ref: 'v2.0',
      subdir: 'servers/calendar',
    });
    expect(refs.every((r) => r.source === 'awesome:test')).toBe(true);
  });
});

describe('parseGitHubUrl', () => {
  it('understands the link forms lists and package manifests use', () => {
    expect(parseGitHubUrl('git+https://github.com/a/b.git')).toEqual({ owner: 'a', repo: 'b' });
    expect(parseGitHubUrl('git@github.com:a/b.git')).toEqual({ owner: 'a', repo: 'b' });
    expect(parseGitHubUrl('github.com/a/b/tree/main/src/x/')).toEqual({
      owner: 'a',
      repo: 'b',
      ref: 'main',
      subdir: 'src/x',
    });
    expect(parseGitHubUrl('https://github.com/a/b/tree/main/../../etc')).toEqual({ owner: 'a', repo: 'b' });
    expect(parseGitHubUrl('https://github.com/a/b/issues/3')).toEqual({ owner: 'a', repo: 'b' });
    expect(parseGitHubUrl('https://github.com/sponsors/a')).toBeUndefined();
    expect(parseGitHubUrl('https://gitlab.com/a/b')).toBeUndefined();
  });
});

describe('parseGitHubTarget', () => {
  it('reads the scan target form github:owner/repo[/subdir][@ref]', () => {
    expect(parseGitHubTarget('github:acme/tools')).toEqual({ owner: 'acme', repo: 'tools' });
    expect(parseGitHubTarget('github:acme/tools/servers/notes@v2.0')).toEqual({
      owner: 'acme',
      repo: 'tools',
      subdir: 'servers/notes',
      ref: 'v2.0',
    });
    expect(parseGitHubTarget('https://github.com/acme/tools/tree/main/x')).toEqual({
      owner: 'acme',
      repo: 'tools',
      ref: 'main',
      subdir: 'x',
    });
    expect(parseGitHubTarget('github:acme/tools/../../etc')).toBeUndefined();
    expect(parseGitHubTarget('github:acme')).toBeUndefined();
    expect(parseGitHubTarget('./local/dir')).toBeUndefined();
  });
});
