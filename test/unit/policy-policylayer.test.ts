// Golden files end in .golden so prettier leaves their bytes alone: they pin exactly what we emit.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { buildPolicy, decisionFor, renderPolicy } from '../../classifier/policy/index.ts';
import {
  DESTRUCTIVE,
  EXECUTE,
  HOSTILE,
  MIXED,
  READ,
  SERVER,
  UNCLASSIFIED,
  WRITE,
  type FixtureTool,
} from '../golden/policy/fixtures.ts';

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
  hide: z.array(z.string()),
  all_tools: z.strictObject({ limits: z.array(LimitSchema) }),
  tools: z.record(z.string(), ToolSchema),
});

const golden = (name: string) =>
  readFileSync(new URL(`../golden/policy/policylayer/${name}.golden`, import.meta.url), 'utf8');
const render = (
  tools: FixtureTool[],
  overrides?: Record<string, 'allow' | 'rate-limit' | 'approve' | 'deny'>,
) => renderPolicy(buildPolicy(SERVER, tools, overrides), 'policy.json');

describe('PolicyLayer policy.json', () => {
  it.each([
    ['read.json', READ],
    ['write.json', WRITE],
    ['execute.json', EXECUTE],
    ['destructive.json', DESTRUCTIVE],
    ['unclassified.json', UNCLASSIFIED],
  ])('one tool matches the golden file %s', (file, tool) => {
    const out = render([tool]);
    expect(out.content).toBe(golden(file));
    expect(out.filename).toBe('policy.json');
    expect(out.mediaType).toBe('application/json');
    PolicyLayerSchema.parse(JSON.parse(out.content));
  });

  it('a whole mixed server matches the golden file, whatever order the tools came in', () => {
    expect(render(MIXED).content).toBe(golden('mixed-server.json'));
    expect(render([...MIXED].reverse()).content).toBe(golden('mixed-server.json'));
  });

  it('maps each category as DESIGN.md says', () => {
    const policy = PolicyLayerSchema.parse(JSON.parse(render(MIXED).content));
    expect(policy.default).toBe('deny');
    expect(policy.tools['get_track']).toEqual({});
    expect(policy.tools['set_track_monitoring']?.limits).toEqual([
      { counter: 'set_track_monitoring_rate', window: 'minute', max: 30, scope: 'grant' },
    ]);
    expect(policy.tools['run_command']?.limits?.[0]?.max).toBe(10);
    expect(policy.tools['mystery_tool']?.limits?.[0]?.max).toBe(10);
    expect(policy.hide).toEqual(['delete_track', 'drop_project']);
    expect(Object.keys(policy.tools)).not.toContain('delete_track');
  });

  it('applies overrides: a destructive tool the user opts into leaves hide', () => {
    const policy = PolicyLayerSchema.parse(
      JSON.parse(
        render(MIXED, { delete_track: 'rate-limit', get_track: 'deny', absent_tool: 'allow' }).content,
      ),
    );
    expect(policy.hide).toEqual(['drop_project', 'get_track']);
    expect(policy.tools['delete_track']?.limits?.[0]?.max).toBe(30);
    expect(Object.keys(policy.tools)).not.toContain('absent_tool');
  });

  it('is byte-for-byte deterministic and ends with one newline', () => {
    const a = render(MIXED).content;
    expect(render(MIXED).content).toBe(a);
    expect(a.endsWith('}\n')).toBe(true);
    expect(a.endsWith('\n\n')).toBe(false);
  });

  it('keeps hostile names exact and valid JSON, with no own-property surprises', () => {
    const content = render(HOSTILE).content;
    const policy = PolicyLayerSchema.parse(JSON.parse(content));
    const names = [...policy.hide, ...Object.keys(policy.tools)].sort();
    expect(names).toEqual(HOSTILE.map((t) => t.name).sort());
    expect(Object.hasOwn(policy.tools, '__proto__') || policy.hide.includes('__proto__')).toBe(true);
    // JSON.stringify escapes quotes, backslashes and control characters; it leaves "</script>" as is,
    // which is the embedding page's job (it must escape "<" when it inlines this).
    expect(content).not.toMatch(/[\u0000-\u0009\u000B-\u001F]/);
  });
});

describe('decisionFor', () => {
  it('follows the default decision per category, and approves when there is no verdict', () => {
    expect(decisionFor({ category: 'Read', risk: 'high' })).toEqual({ decision: 'allow' });
    expect(decisionFor({ category: 'Write', risk: 'low' })).toEqual({
      decision: 'rate-limit',
      limit: { max: 30, window: 'minute' },
    });
    expect(decisionFor({ category: 'Execute', risk: 'critical' })).toEqual({
      decision: 'approve',
      limit: { max: 10, window: 'minute' },
    });
    expect(decisionFor({ category: 'Destructive', risk: 'medium' })).toEqual({ decision: 'deny' });
    expect(decisionFor(null)).toEqual({ decision: 'approve', limit: { max: 10, window: 'minute' } });
  });
});
