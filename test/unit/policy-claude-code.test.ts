import { describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import {
  buildPolicy,
  claudeCodeName,
  renderPolicy,
  type PolicyModel,
} from '../../classifier/policy/index.ts';
import { DESTRUCTIVE, EXECUTE, MIXED, READ, SERVER, UNCLASSIFIED, WRITE } from '../golden/policy/fixtures.ts';

const RULE = /^mcp__[A-Za-z0-9_-]+(__[A-Za-z0-9_-]+)?$/;
const SettingsSchema = z.strictObject({
  permissions: z.strictObject({
    allow: z.array(z.string().regex(RULE)),
    ask: z.array(z.string().regex(RULE)),
    deny: z.array(z.string().regex(RULE)),
  }),
});

const settings = (model: PolicyModel, claudeServerName?: string) => {
  const rendered = renderPolicy(model, 'claude-code', { claudeServerName });
  expect(rendered).toMatchObject({ filename: 'settings.json', mediaType: 'application/json' });
  return SettingsSchema.parse(JSON.parse(rendered.content)).permissions;
};

describe('Claude Code settings.json', () => {
  it('puts read and write in allow, execute and unclassified in ask, destructive in deny', () => {
    expect(settings(buildPolicy(SERVER, [READ, WRITE, EXECUTE, UNCLASSIFIED, DESTRUCTIVE]))).toEqual({
      allow: ['mcp__reaper__get_track', 'mcp__reaper__set_track_monitoring'],
      ask: ['mcp__reaper__mystery_tool', 'mcp__reaper__run_command'],
      deny: ['mcp__reaper__delete_track'],
    });
  });

  it('sanitises server and tool names as Claude Code does', () => {
    expect(claudeCodeName('@modelcontextprotocol/server-memory')).toBe('_modelcontextprotocol_server-memory');
    expect(claudeCodeName('my server.v2')).toBe('my_server_v2');
    // Per UTF-16 unit, like Claude Code's JavaScript: an astral character becomes two underscores.
    expect(claudeCodeName('fire🔥')).toBe('fire__');
    const model = buildPolicy({ id: 'x', name: 'My Server' }, [{ name: 'get.track', verdict: READ.verdict }]);
    expect(settings(model).allow).toEqual(['mcp__My_Server__get_track']);
  });

  it('uses the name the user gave the server in Claude Code when told it', () => {
    expect(settings(buildPolicy(SERVER, [READ]), 'daw').allow).toEqual(['mcp__daw__get_track']);
  });

  it('keeps the stricter rule when two tool names normalise to the same one', () => {
    const model = buildPolicy(SERVER, [
      { name: 'a.b', verdict: READ.verdict },
      { name: 'a_b', verdict: DESTRUCTIVE.verdict },
      { name: 'c d', verdict: EXECUTE.verdict },
      { name: 'c-d', verdict: READ.verdict },
      { name: 'c_d', verdict: WRITE.verdict },
    ]);
    expect(settings(model)).toEqual({
      allow: ['mcp__reaper__c-d'],
      ask: ['mcp__reaper__c_d'],
      deny: ['mcp__reaper__a_b'],
    });
  });

  it('never writes a server-wide rule for a tool with an empty name', () => {
    const p = settings(buildPolicy(SERVER, [{ name: '', verdict: READ.verdict }, READ]));
    expect(p.allow).toEqual(['mcp__reaper__get_track']);
  });

  it('under default allow, allows the server and still denies and asks per tool', () => {
    const model: PolicyModel = { ...buildPolicy(SERVER, MIXED), default: 'allow' };
    const p = settings(model);
    expect(p.allow).toContain('mcp__reaper');
    expect(p.deny).toEqual(['mcp__reaper__delete_track', 'mcp__reaper__drop_project']);
  });
});
