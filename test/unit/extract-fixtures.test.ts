// Each fixture under test/fixtures/extract has an expected.json: exact servers, tools (names,
// descriptions, parameters, annotations, source lines) and notes.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFromDirectory, type ExtractOptions } from '../../crawler/extract/index.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/extract');

interface Expected {
  patterns: string[];
  options?: ExtractOptions;
  servers: unknown[];
  notes: unknown[];
}

const names = fs.readdirSync(FIXTURES).filter((n) => fs.existsSync(path.join(FIXTURES, n, 'expected.json')));

function load(name: string): Expected {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'expected.json'), 'utf8')) as Expected;
}

describe('extraction of each fixture matches its expected.json', () => {
  for (const name of names) {
    it(name, async () => {
      const expected = load(name);
      expect(expected.patterns.length).toBeGreaterThan(0);
      const result = await extractFromDirectory(path.join(FIXTURES, name), expected.options ?? {});
      expect(result.servers).toEqual(expected.servers);
      expect(result.notes).toEqual(expected.notes);
    });
  }
});

describe('fixture specifics', () => {
  it('reports the anchor-style docstring exactly as cleandoc leaves it', async () => {
    const result = await extractFromDirectory(path.join(FIXTURES, 'py-fastmcp'));
    const tool = result.servers[0]?.tools.find((t) => t.name === 'current_conditions');
    expect(tool?.description).toBe(
      'Report the current weather in a city.\n\nParameters:\n- city: City name, e.g. "Lisbon"',
    );
    expect(Object.keys(tool?.inputSchema.properties ?? {})).toEqual(['city']);
  });

  it('includes tests and examples only when asked', async () => {
    const withTests = await extractFromDirectory(path.join(FIXTURES, 'py-lowlevel'), { includeTests: true });
    expect(withTests.servers[0]?.tools.map((t) => t.name)).toContain('from_a_test');
    const withExamples = await extractFromDirectory(path.join(FIXTURES, 'monorepo'), {
      includeExamples: true,
    });
    const all = withExamples.servers.flatMap((s) => s.tools.map((t) => t.name));
    expect(all).toContain('from_an_example');
  });

  it('groups a monorepo per manifest with the manifest names', async () => {
    const result = await extractFromDirectory(path.join(FIXTURES, 'monorepo'));
    expect(result.servers.map((s) => [s.root, s.name, s.language])).toEqual([
      ['packages/notes-ts', '@fixture/notes-ts', 'typescript'],
      ['packages/py-helper', 'py-helper', 'python'],
    ]);
    const search = result.servers[0]?.tools.find((t) => t.name === 'search_notes');
    expect(search?.alsoAt).toEqual([{ path: 'packages/notes-ts/src/index.ts', line: 15 }]);
  });
});
