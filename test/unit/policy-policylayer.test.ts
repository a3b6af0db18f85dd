import { describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { buildPolicy, renderPolicy, type Decision } from '../../classifier/policy/index.ts';
import { HOSTILE, MIXED, READ, SERVER, type FixtureTool } from '../golden/policy/fixtures.ts';

// The documented PolicyLayer shape, strict: an unexpected key fails the test.
const LimitSchema = z.strictObject({
  counter: z.string(),
  window: z.enum(['minute', 'hour', 'day']),
  max: z.number().int().positive(),
  scope: z.literal('grant'),
});
const ToolSchema = z.strictObject({
  limits: z.array(LimitSchema).optional(),
  require: z.array(z.unknown()).optional(),
  deny_if: z.array(z.strictObject({ conditions: z.unknown(), on_deny: z.unknown() })).optional(),
});
const PolicyLayerSchema = z.strictObject({
  version: z.literal('1'),
  default: z.enum(['deny', 'allow']),
  hide: z.array(z.string().refine((s) => s.trim() !== '' && s !== '*', 'hide entry must name one tool')),
  all_tools: z.strictObject({ limits: z.array(LimitSchema) }),
  tools: z.record(z.string(), ToolSchema),
});

type PolicyLayer = z.infer<typeof PolicyLayerSchema>;

const parse = (tools: FixtureTool[], overrides?: Record<string, Decision>) => {
  const rendered = renderPolicy(buildPolicy(SERVER, tools, overrides), 'policy.json');
  expect(rendered).toMatchObject({
    format: 'policy.json',
    filename: 'policy.json',
    mediaType: 'application/json',
  });
  // Validate the shape with zod, but return what JSON.parse built: zod rebuilds records and drops a
  // `__proto__` key, and these tests must see exactly what a gateway would read.
  const raw = JSON.parse(rendered.content) as PolicyLayer;
  PolicyLayerSchema.parse(raw);
  return raw;
};

describe('PolicyLayer policy.json', () => {
  it('maps each category as DESIGN.md says', () => {
    const policy = parse(MIXED);
    expect(policy.default).toBe('deny');
    expect(policy.all_tools).toEqual({ limits: [] });
    expect(policy.tools['get_track']).toEqual({});
    expect(policy.tools['set_track_monitoring']?.limits).toEqual([
      { counter: 'set_track_monitoring_rate', window: 'minute', max: 30, scope: 'grant' },
    ]);
    expect(policy.tools['run_command']?.limits).toEqual([
      { counter: 'run_command_rate', window: 'minute', max: 10, scope: 'grant' },
    ]);
    expect(policy.tools['mystery_tool']?.limits?.[0]?.max).toBe(10);
    expect(policy.hide).toEqual(['delete_track', 'drop_project']);
    expect(Object.keys(policy.tools)).not.toContain('delete_track');
  });

  it('makes a one-tool policy for the tool page', () => {
    const policy = parse([READ]);
    expect(policy).toEqual({
      version: '1',
      default: 'deny',
      hide: [],
      all_tools: { limits: [] },
      tools: { get_track: {} },
    });
  });

  it('applies overrides: a destructive tool the user opts into leaves hide', () => {
    const policy = parse(MIXED, { delete_track: 'rate-limit', get_track: 'deny' });
    expect(policy.hide).toEqual(['drop_project', 'get_track']);
    expect(policy.tools['delete_track']?.limits?.[0]?.max).toBe(30);
    expect(Object.keys(policy.tools)).not.toContain('get_track');
  });

  it('keeps hostile names exact, as own keys, in valid JSON', () => {
    const policy = parse(HOSTILE);
    const names = [...policy.hide, ...Object.keys(policy.tools)].sort();
    const addressable = HOSTILE.map((t) => t.name).filter((n) => n !== '*' && n.trim() !== '');
    expect(names).toEqual(addressable.sort());
    expect(Object.hasOwn(policy.tools, '__proto__') || policy.hide.includes('__proto__')).toBe(true);
    expect(Object.getPrototypeOf(policy.tools)).toBe(Object.prototype);
  });

  it('never lets a tool named "*" stand for every tool, in tools or in hide', () => {
    for (const decision of ['allow', 'rate-limit', 'approve', 'deny'] as const) {
      const policy = parse([{ name: '*', verdict: READ.verdict }, READ], { '*': decision });
      expect(Object.keys(policy.tools)).toEqual(['get_track']);
      expect(policy.hide).toEqual([]);
    }
  });
});
