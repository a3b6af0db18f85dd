// Claude Code `settings.json` permissions. Rules name tools as `mcp__<server>__<tool>`, where Claude Code
// has replaced every character outside [A-Za-z0-9_-] in both names with `_` (per UTF-16 unit, as its
// JavaScript does, so one emoji becomes `__`). Approval is native (`ask`); a rate limit is not
// expressible, so rate-limited tools are allowed (the limit is stated in FORMAT_INFO and the page text).
// Tools the policy does not name fall back to Claude Code's own behaviour, which is to ask.
import { stringifyJson } from './escape.ts';
import { byCodePoint, type Decision, type PolicyModel } from './model.ts';

export interface ClaudeCodeSettings {
  permissions: { allow: string[]; ask: string[]; deny: string[] };
}

export interface ClaudeCodeOptions {
  /** The name the user gave the server in Claude Code (`claude mcp add <name>`); default: the server's name. */
  serverName?: string | undefined;
}

type Bucket = keyof ClaudeCodeSettings['permissions'];
const BUCKET: Record<Decision, Bucket> = {
  allow: 'allow',
  'rate-limit': 'allow',
  approve: 'ask',
  deny: 'deny',
};
const RANK: Record<Bucket, number> = { allow: 0, ask: 1, deny: 2 };

/** What Claude Code does to a server or tool name before building `mcp__<server>__<tool>`. */
export function claudeCodeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_');
}

export function toClaudeCode(model: PolicyModel, options: ClaudeCodeOptions = {}): ClaudeCodeSettings {
  const server = claudeCodeName(options.serverName ?? model.server.name) || '_';
  // Two tool names can normalise to one rule (`a.b` and `a_b`); the stricter decision wins.
  const rules = new Map<string, Bucket>();
  for (const policy of model.tools) {
    const tool = claudeCodeName(policy.tool);
    // An empty tool name would make `mcp__<server>__`, which could read as a rule for the whole server.
    if (tool === '') continue;
    const rule = `mcp__${server}__${tool}`;
    const bucket = BUCKET[policy.decision];
    const previous = rules.get(rule);
    if (previous === undefined || RANK[bucket] > RANK[previous]) rules.set(rule, bucket);
  }
  const permissions: ClaudeCodeSettings['permissions'] = { allow: [], ask: [], deny: [] };
  // Under default allow, one server-wide allow rule; Claude Code applies deny and ask before allow.
  if (model.default === 'allow') permissions.allow.push(`mcp__${server}`);
  for (const [rule, bucket] of rules) permissions[bucket].push(rule);
  for (const list of Object.values(permissions)) list.sort(byCodePoint);
  return { permissions };
}

export function renderClaudeCode(model: PolicyModel, options: ClaudeCodeOptions = {}): string {
  return stringifyJson(toClaudeCode(model, options));
}
