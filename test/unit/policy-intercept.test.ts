// The YAML is parsed back with the `yaml` package and checked against the rules Intercept's own
// validator enforces (version "1", default allow|deny, non-blank unique hide entries, named rules,
// action evaluate|deny, rate_limit "N/minute|hour|day" never on a deny rule).
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as z from 'zod/v4';
import { buildPolicy, renderPolicy, type Decision } from '../../classifier/policy/index.ts';
import { BUILDER_OVERRIDES } from '../golden/policy/cases.ts';
import { HOSTILE, MIXED, READ, SERVER, type FixtureTool } from '../golden/policy/fixtures.ts';

const RuleSchema = z
  .strictObject({
    name: z.string().min(1),
    action: z.enum(['evaluate', 'deny']),
    rate_limit: z
      .string()
      .regex(/^[1-9][0-9]*\/(minute|hour|day)$/)
      .optional(),
    on_deny: z.string().optional(),
  })
  .refine((r) => !(r.action === 'deny' && r.rate_limit), 'rate_limit cannot be used with action deny')
  .refine(
    (r) => r.action === 'deny' || r.rate_limit,
    'an evaluate rule needs a condition (here: rate_limit)',
  );
const InterceptSchema = z.strictObject({
  version: z.literal('1'),
  description: z.string(),
  default: z.enum(['allow', 'deny']),
  hide: z
    .array(z.string().refine((s) => s.trim() !== '' && s !== '*'))
    .refine((list) => new Set(list).size === list.length, 'hide entries must be unique'),
  tools: z.record(z.string(), z.strictObject({ rules: z.array(RuleSchema) })),
});
type Intercept = z.infer<typeof InterceptSchema>;

const load = (tools: FixtureTool[], overrides?: Record<string, Decision>): Intercept => {
  const rendered = renderPolicy(buildPolicy(SERVER, tools, overrides), 'intercept');
  expect(rendered).toMatchObject({ filename: 'policy.yaml', mediaType: 'application/yaml' });
  const raw = parse(rendered.content) as Intercept;
  InterceptSchema.parse(raw);
  return raw; // what the parser built (zod would drop a `__proto__` key)
};

describe('Intercept-style YAML', () => {
  it('parses back with the fields DESIGN.md lists', () => {
    const policy = load(MIXED);
    expect(policy.version).toBe('1');
    expect(policy.default).toBe('deny');
    expect(policy.hide).toEqual(['delete_track', 'drop_project']);
    expect(policy.tools['get_track']).toEqual({ rules: [] });
    expect(policy.tools['set_track_monitoring']?.rules).toEqual([
      { name: '30 calls a minute', action: 'evaluate', rate_limit: '30/minute' },
    ]);
    expect(policy.tools['run_command']?.rules[0]).toMatchObject({
      action: 'evaluate',
      rate_limit: '10/minute',
    });
    expect(policy.tools['mystery_tool']?.rules[0]?.rate_limit).toBe('10/minute');
    expect(policy.tools['delete_track']?.rules).toEqual([
      expect.objectContaining({ action: 'deny', on_deny: expect.stringMatching(/denied/) }),
    ]);
  });

  it('follows overrides', () => {
    const policy = load(MIXED, BUILDER_OVERRIDES);
    expect(policy.hide).toEqual(['drop_project', 'list_tracks']);
    expect(policy.tools['delete_track']?.rules[0]?.rate_limit).toBe('10/minute');
    expect(policy.tools['run_command']?.rules[0]?.rate_limit).toBe('30/minute');
    expect(policy.tools['mystery_tool']?.rules).toEqual([]);
  });

  it('denies a limited tool whose dotted name Intercept cannot count, instead of emitting a file it rejects', () => {
    const policy = load([
      { name: 'tracks.update', verdict: { category: 'Write', risk: 'medium' } },
      { name: 'shell.run', verdict: { category: 'Execute', risk: 'critical' } },
      { name: 'tracks.list', verdict: READ.verdict },
    ]);
    expect(policy.hide).toEqual(['shell.run', 'tracks.update']);
    expect(policy.tools['tracks.update']?.rules).toEqual([
      expect.objectContaining({ action: 'deny', on_deny: expect.stringContaining('contains a dot') }),
    ]);
    expect(policy.tools['tracks.list']).toEqual({ rules: [] });
    // No rule anywhere may carry a rate limit for a dotted name: Intercept's validator refuses the file.
    for (const [name, tool] of Object.entries(policy.tools)) {
      if (name.includes('.')) expect(tool.rules.every((r) => r.rate_limit === undefined)).toBe(true);
    }
  });

  it('keeps YAML-looking names as exact strings', () => {
    const names = [
      'yes',
      'no',
      'null',
      '~',
      '1e3',
      '0x10',
      '- item',
      'a: b',
      '#c',
      '&anchor',
      '*alias',
      '!tag',
      '@x',
      '`y`',
    ];
    const policy = load(names.map((name) => ({ name, verdict: READ.verdict })));
    expect(Object.keys(policy.tools).sort()).toEqual([...names].sort());
  });

  it('round-trips hostile names exactly, except the ones Intercept cannot address', () => {
    const policy = load(HOSTILE);
    const expected = HOSTILE.map((t) => t.name).filter((n) => n !== '*' && n.trim() !== '');
    expect(Object.keys(policy.tools).sort()).toEqual(expected.sort());
    for (const name of policy.hide) expect(policy.tools[name]?.rules[0]?.action).toBe('deny');
  });
});
