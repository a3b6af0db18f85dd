// Reads a rendered policy back, with each format's own parser, into the decision it gives one tool, as
// far as the format's vocabulary can say it. The cross-format and hostile-name tests compare these.
import { parse as parseYaml } from 'yaml';
import { claudeCodeName, type Decision, type PolicyFormat } from '../../../classifier/policy/index.ts';
import { authorizeCall } from './cedar-engine.ts';

/**
 * What a format can say: Claude Code has no rate limit, so a rate-limited tool reads back as allowed;
 * Intercept cannot count calls of a dotted tool name, so a limited one reads back as denied.
 */
export function expressible(format: PolicyFormat, decision: Decision, tool = ''): Decision {
  if (format === 'claude-code' && decision === 'rate-limit') return 'allow';
  const limited = decision === 'rate-limit' || decision === 'approve';
  if (format === 'intercept' && limited && tool.includes('.')) return 'deny';
  return decision;
}

interface Limits {
  limits?: { max: number; window: string }[];
}

function fromLimit(max: number | undefined, window: string | undefined): Decision {
  if (max === 30 && window === 'minute') return 'rate-limit';
  if (max === 10 && window === 'minute') return 'approve'; // the approval stand-in
  throw new Error(`unexpected limit ${String(max)}/${String(window)}`);
}

export function readBack(format: PolicyFormat, content: string, tool: string, server = 'reaper'): Decision {
  switch (format) {
    case 'policy.json': {
      const p = JSON.parse(content) as { default: string; hide: string[]; tools: Record<string, Limits> };
      if (p.hide.includes(tool)) return 'deny';
      if (!Object.hasOwn(p.tools, tool)) return p.default === 'deny' ? 'deny' : 'allow';
      const limit = p.tools[tool]?.limits?.[0];
      return limit ? fromLimit(limit.max, limit.window) : 'allow';
    }
    case 'claude-code': {
      const p = JSON.parse(content) as { permissions: Record<'allow' | 'ask' | 'deny', string[]> };
      const rule = `mcp__${claudeCodeName(server)}__${claudeCodeName(tool)}`;
      if (p.permissions.deny.includes(rule)) return 'deny';
      if (p.permissions.ask.includes(rule)) return 'approve';
      if (p.permissions.allow.includes(rule)) return 'allow';
      return 'approve'; // not named: Claude Code asks
    }
    case 'cedar': {
      const answer = authorizeCall(content, tool);
      if (answer.decision === 'deny') return 'deny';
      if (answer.annotations.some((a) => a['approval'] === 'required')) return 'approve';
      if (answer.annotations.some((a) => a['rate_limit'] === '30/minute')) return 'rate-limit';
      return 'allow';
    }
    case 'intercept': {
      type Rule = { action: string; rate_limit?: string };
      const p = parseYaml(content) as {
        default: string;
        hide: string[];
        tools: Record<string, { rules: Rule[] }>;
      };
      const rules = Object.hasOwn(p.tools, tool) ? p.tools[tool]!.rules : undefined;
      if (p.hide.includes(tool) || rules?.some((r) => r.action === 'deny')) return 'deny';
      if (!rules) return p.default === 'deny' ? 'deny' : 'allow';
      const [max, window] = rules[0]?.rate_limit?.split('/') ?? [];
      return rules.length === 0 ? 'allow' : fromLimit(Number(max), window);
    }
  }
}
