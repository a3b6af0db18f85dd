import { describe, expect, it } from 'vitest';
import { buildPolicy, decisionFor, type Decision } from '../../classifier/policy/index.ts';
import { DESTRUCTIVE, EXECUTE, MIXED, READ, SERVER, UNCLASSIFIED, WRITE } from '../golden/policy/fixtures.ts';

describe('decisionFor', () => {
  it('follows the default decision per category, whatever the risk', () => {
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
  });

  it('asks for approval when there is no verdict', () => {
    expect(decisionFor(null)).toEqual({ decision: 'approve', limit: { max: 10, window: 'minute' } });
  });

  it('returns a fresh limit each time, so callers cannot change the defaults', () => {
    const a = decisionFor({ category: 'Write', risk: 'low' });
    a.limit!.max = 1;
    expect(decisionFor({ category: 'Write', risk: 'low' }).limit?.max).toBe(30);
  });
});

describe('buildPolicy', () => {
  it('builds a single-tool policy', () => {
    expect(buildPolicy(SERVER, [WRITE])).toEqual({
      server: SERVER,
      default: 'deny',
      tools: [
        {
          tool: 'set_track_monitoring',
          category: 'Write',
          risk: 'medium',
          decision: 'rate-limit',
          limit: { max: 30, window: 'minute' },
          note: 'It changes state, so calls are limited to 30 a minute.',
        },
      ],
    });
  });

  it('sorts tools by code point, not by locale', () => {
    const tools = ['b', 'B', 'a', 'Ä', '_x'].map((name) => ({ name, verdict: READ.verdict }));
    expect(buildPolicy(SERVER, tools).tools.map((t) => t.tool)).toEqual(['B', '_x', 'a', 'b', 'Ä']);
  });

  it('records category and risk, and null for a tool with no verdict', () => {
    const model = buildPolicy(SERVER, [EXECUTE, UNCLASSIFIED]);
    expect(model.tools.map((t) => [t.tool, t.category, t.risk, t.decision])).toEqual([
      ['mystery_tool', null, null, 'approve'],
      ['run_command', 'Execute', 'critical', 'approve'],
    ]);
  });

  it('writes one plain sentence per tool, saying why', () => {
    for (const policy of buildPolicy(SERVER, MIXED).tools) {
      expect(policy.note).toMatch(/^[A-Z][^.]*\.$/);
    }
    expect(buildPolicy(SERVER, [DESTRUCTIVE]).tools[0]?.note).toContain('denied unless you opt in');
  });

  it('applies overrides and says the user chose them', () => {
    const model = buildPolicy(SERVER, [DESTRUCTIVE, READ], { delete_track: 'rate-limit', get_track: 'deny' });
    const byName = Object.fromEntries(model.tools.map((t) => [t.tool, t]));
    expect(byName['delete_track']).toMatchObject({
      category: 'Destructive',
      decision: 'rate-limit',
      limit: { max: 30, window: 'minute' },
      note: 'You chose to limit this tool to 30 calls a minute.',
    });
    expect(byName['get_track']).toMatchObject({ decision: 'deny', note: 'You chose to deny this tool.' });
    expect(byName['get_track']).not.toHaveProperty('limit');
  });

  it('ignores overrides for tools the server does not have, and inherited keys', () => {
    const overrides = Object.create({ get_track: 'deny' }) as Record<string, Decision>;
    overrides['ghost'] = 'allow';
    const model = buildPolicy(SERVER, [READ], overrides);
    expect(model.tools.map((t) => [t.tool, t.decision])).toEqual([['get_track', 'allow']]);
  });

  it('keeps the stricter decision when a server lists a name twice', () => {
    const twice = [READ, { name: 'get_track', verdict: DESTRUCTIVE.verdict }, READ];
    const model = buildPolicy(SERVER, twice);
    expect(model.tools).toHaveLength(1);
    expect(model.tools[0]).toMatchObject({ decision: 'deny', category: 'Destructive' });
  });

  it('handles prototype-looking names as ordinary tools', () => {
    const model = buildPolicy(SERVER, [{ name: '__proto__', verdict: READ.verdict }], {
      __proto__: 'deny',
    } as never);
    expect(model.tools.map((t) => t.decision)).toEqual(['allow']);
    const own = JSON.parse('{"__proto__":"deny"}') as Record<string, Decision>;
    expect(buildPolicy(SERVER, [{ name: '__proto__', verdict: READ.verdict }], own).tools[0]?.decision).toBe(
      'deny',
    );
  });

  it('copies the server, so later changes to the input do not leak in', () => {
    const server = { ...SERVER };
    const model = buildPolicy(server, [READ]);
    server.name = 'changed';
    expect(model.server.name).toBe('reaper');
  });
});

describe('an unsure Read verdict', () => {
  it('needs approval instead of being allowed, and says why', () => {
    expect(decisionFor({ category: 'Read', risk: 'low', confidence: 0.2 }).decision).toBe('approve');
    expect(decisionFor({ category: 'Read', risk: 'low', confidence: 0.9 }).decision).toBe('allow');
    expect(decisionFor({ category: 'Read', risk: 'low' }).decision).toBe('allow');
    const model = buildPolicy({ id: 's', name: 's' }, [
      { name: 'mystery', verdict: { category: 'Read', risk: 'low', confidence: 0.1 } },
    ]);
    expect(model.tools[0]).toMatchObject({ decision: 'approve', limit: { max: 10, window: 'minute' } });
    expect(model.tools[0]?.note).toMatch(/too little to be sure/);
  });
});
