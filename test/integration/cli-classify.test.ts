// `mcp-catalog classify` follows the DESIGN.md contract for each input shape, with clear errors.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

const tools = [
  {
    name: 'set_track_monitoring',
    description: 'Set the monitoring mode of a track.',
    inputSchema: {
      type: 'object',
      properties: { track_index: { type: 'integer' }, monitoring: { type: 'integer', enum: [0, 1, 2] } },
      required: ['track_index', 'monitoring'],
    },
  },
  { name: 'list_clips', description: 'List the clips on a track.', inputSchema: { type: 'object' } },
  {
    name: 'run_shell',
    description: 'Run a shell command on the host and return its output.',
    inputSchema: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
  },
];

interface Out {
  tools: { name: string; category: string; risk: string; rationale: string; inputSchema: unknown }[];
}

describe('mcp-catalog classify', () => {
  const dir = tempDir();
  const shapes: [string, string][] = [
    ['a JSON array', JSON.stringify(tools)],
    ['a tools/list result', JSON.stringify({ tools, nextCursor: undefined })],
    ['JSON lines', tools.map((t) => JSON.stringify(t)).join('\n') + '\n'],
  ];

  for (const [shape, text] of shapes) {
    it(`reads ${shape} and answers one result per tool in the same order`, async () => {
      const file = path.join(dir, `${shape.replace(/\W+/g, '-')}.json`);
      fs.writeFileSync(file, text);
      const res = await runCli(['classify', file, '--json']);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const out = JSON.parse(res.stdout) as Out;
      expect(out.tools.map((t) => t.name)).toEqual(tools.map((t) => t.name));
      for (const t of out.tools) {
        expect(['Read', 'Write', 'Destructive', 'Execute']).toContain(t.category);
        expect(['low', 'medium', 'high', 'critical']).toContain(t.risk);
        expect(t.rationale.length).toBeGreaterThan(20);
      }
      expect(out.tools[0]).toMatchObject({ category: 'Write', risk: 'medium' });
      expect(out.tools[1]).toMatchObject({ category: 'Read' });
      expect(out.tools[2]).toMatchObject({ category: 'Execute' });
      expect(out.tools[0]?.inputSchema).toEqual(tools[0]?.inputSchema);
    });
  }

  it('reads standard input with -', async () => {
    const res = await runCli(['classify', '-', '--json'], { input: JSON.stringify([tools[1]]) });
    expect(res.code).toBe(0);
    expect((JSON.parse(res.stdout) as Out).tools.map((t) => t.name)).toEqual(['list_clips']);
  });

  it('prints a table without --json', async () => {
    const res = await runCli(['classify', '-'], { input: JSON.stringify(tools) });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^TOOL\s+CATEGORY\s+RISK\s+WHY/);
    expect(res.stdout).toMatch(/set_track_monitoring\s+Write\s+medium/);
    expect(res.stdout).toContain('3 tools:');
  });

  it('exits 1 with --fail-on when a tool reaches that risk, 0 when none does', async () => {
    const failing = await runCli(['classify', '-', '--fail-on', 'high'], { input: JSON.stringify(tools) });
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('run_shell');
    const passing = await runCli(['classify', '-', '--fail-on', 'critical'], {
      input: JSON.stringify([tools[1]]),
    });
    expect(passing.code).toBe(0);
  });

  it('exits 2 naming the problem for bad input', async () => {
    const notJson = await runCli(['classify', '-'], { input: '{"tools": [' });
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/stdin is not valid JSON/);

    const noName = await runCli(['classify', '-'], {
      input: JSON.stringify([tools[0], { description: 'x' }]),
    });
    expect(noName.code).toBe(2);
    expect(noName.stderr).toMatch(/stdin: tool 2: not an MCP tool definition \(name:/);

    const badLine = await runCli(['classify', '-'], { input: `${JSON.stringify(tools[0])}\nnot json\n` });
    expect(badLine.code).toBe(2);
    expect(badLine.stderr).toMatch(/line 2 is not valid JSON/);

    const missing = await runCli(['classify', path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.json: ENOENT/);

    const empty = await runCli(['classify', '-'], { input: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/stdin is empty/);

    const unknownOption = await runCli(['classify', '-', '--fail-on', 'extreme']);
    expect(unknownOption.code).toBe(2);
  });
});
