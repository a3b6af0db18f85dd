// The README is a contract with users: its configuration table and command list must match the code.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, SETTINGS } from '../../data/config.ts';

const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it('lists every configuration variable with its default, in the order of the table in data/config.ts', () => {
    const table = readme.split('<!-- config-table:start -->')[1]?.split('<!-- config-table:end -->')[0] ?? '';
    const rows = [...table.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*(`[^`]*`|—)\s*\|/gm)].map((m) => [m[1], m[2]]);
    const expected = Object.values(SETTINGS).map((s) => [
      s.env,
      s.default === undefined ? '—' : `\`${s.default}\``,
    ]);
    expect(rows).toEqual(expected);
  });

  it('documents every subcommand and the quick-start commands', () => {
    const commands = fs
      .readdirSync(path.join(PROJECT_ROOT, 'cli/commands'))
      .filter((f) => !['options.ts'].includes(f));
    for (const file of commands) expect(readme).toContain(`\`${file.replace(/\.ts$/, '')}`);
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
    expect(readme).toContain('npm run test:e2e');
  });

  it('names only npm scripts that exist', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const named = [...readme.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!);
    const bare = [...readme.matchAll(/`(bench:\w+)`/g)].map((m) => m[1]!);
    for (const script of [...named, ...bare]) expect(Object.keys(pkg.scripts)).toContain(script);
  });
});
