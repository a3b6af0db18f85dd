// Every generated policy set goes through the real Cedar engine: it must parse, and the engine's answer
// for ToolHive's request (Client → Action::"call_tool" → Tool::"<name>") must be the intended decision.
import { describe, expect, it } from 'vitest';
import { buildPolicy, renderPolicy, type PolicyModel } from '../../classifier/policy/index.ts';
import { BUILDER_OVERRIDES } from '../golden/policy/cases.ts';
import { authorizeCall, parseErrors } from '../golden/policy/cedar-engine.ts';
import {
  DESTRUCTIVE,
  EXECUTE,
  HOSTILE,
  MIXED,
  READ,
  SERVER,
  UNCLASSIFIED,
  WRITE,
} from '../golden/policy/fixtures.ts';

const cedar = (model: PolicyModel) => {
  const rendered = renderPolicy(model, 'cedar');
  expect(rendered).toMatchObject({ filename: 'policy.cedar', mediaType: 'text/plain; charset=utf-8' });
  expect(parseErrors(rendered.content)).toEqual([]);
  return rendered.content;
};

describe('Cedar for ToolHive', () => {
  it('parses in the real engine for every single tool, a whole server, overrides and hostile names', () => {
    for (const tool of [READ, WRITE, EXECUTE, DESTRUCTIVE, UNCLASSIFIED]) cedar(buildPolicy(SERVER, [tool]));
    cedar(buildPolicy(SERVER, MIXED));
    cedar(buildPolicy(SERVER, MIXED, BUILDER_OVERRIDES));
    cedar(buildPolicy(SERVER, HOSTILE));
    cedar(buildPolicy(SERVER, []));
  });

  it('the engine allows reads, denies destructive tools and denies tools the policy does not name', () => {
    const policies = cedar(buildPolicy(SERVER, MIXED));
    expect(authorizeCall(policies, 'get_track').decision).toBe('allow');
    expect(authorizeCall(policies, 'delete_track').decision).toBe('deny');
    expect(authorizeCall(policies, 'drop_project').decision).toBe('deny');
    expect(authorizeCall(policies, 'not_a_tool').decision).toBe('deny');
    expect(authorizeCall(policies, 'GET_TRACK').decision).toBe('deny');
  });

  it('marks approval on the policy that permits an execute or unclassified tool', () => {
    const policies = cedar(buildPolicy(SERVER, MIXED));
    for (const tool of ['run_command', 'execute_sql', 'mystery_tool']) {
      const answer = authorizeCall(policies, tool);
      expect(answer.decision).toBe('allow');
      expect(answer.annotations).toEqual([
        expect.objectContaining({ approval: 'required', decision: 'approve' }),
      ]);
    }
    const read = authorizeCall(policies, 'get_track');
    expect(read.annotations).toEqual([{ category: 'Read', risk: 'low', decision: 'allow' }]);
  });

  it('keeps the write limit as an annotation on the permit', () => {
    const answer = authorizeCall(cedar(buildPolicy(SERVER, [WRITE])), 'set_track_monitoring');
    expect(answer).toEqual({
      decision: 'allow',
      annotations: [{ category: 'Write', risk: 'medium', decision: 'rate-limit', rate_limit: '30/minute' }],
    });
  });

  it('denies with forbid, which beats any permit an operator adds', () => {
    const policies = cedar(buildPolicy(SERVER, MIXED));
    const widened = `${policies}\npermit (principal, action, resource);\n`;
    expect(authorizeCall(widened, 'delete_track').decision).toBe('deny');
    expect(authorizeCall(widened, 'not_a_tool').decision).toBe('allow');
  });

  it('follows the user overrides', () => {
    const policies = cedar(buildPolicy(SERVER, MIXED, BUILDER_OVERRIDES));
    expect(authorizeCall(policies, 'list_tracks').decision).toBe('deny');
    const optedIn = authorizeCall(policies, 'delete_track');
    expect(optedIn.decision).toBe('allow');
    expect(optedIn.annotations[0]?.['approval']).toBe('required');
  });

  it('under default allow, permits unnamed tools but still forbids denied ones', () => {
    const policies = cedar({ ...buildPolicy(SERVER, MIXED), default: 'allow' });
    expect(authorizeCall(policies, 'not_a_tool').decision).toBe('allow');
    expect(authorizeCall(policies, 'delete_track').decision).toBe('deny');
  });

  it('does not mix up principals: the policy applies to every client', () => {
    const policies = cedar(buildPolicy(SERVER, [READ]));
    expect(authorizeCall(policies, 'get_track', 'bob').decision).toBe('allow');
    expect(authorizeCall(policies, 'get_track', 'x" || true || "').decision).toBe('allow');
  });
});
