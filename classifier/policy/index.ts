// The policy module's public face: one model (model.ts), one renderer per format. The site, the CLI and
// the API page use only what this file exports.
import { renderCedar } from './cedar.ts';
import { renderClaudeCode } from './claude-code.ts';
import { renderIntercept } from './intercept.ts';
import type { PolicyModel } from './model.ts';
import { renderPolicyLayer } from './policylayer.ts';

export type { Decision, Limit, LimitWindow, PolicyModel, ToolPolicy, VerdictLike } from './model.ts';
export { APPROVAL_FALLBACK_LIMIT, DECISIONS, WRITE_LIMIT, buildPolicy, decisionFor } from './model.ts';
export { claudeCodeName } from './claude-code.ts';

export type PolicyFormat = 'policy.json' | 'claude-code' | 'cedar' | 'intercept';
export const POLICY_FORMATS: readonly PolicyFormat[] = ['policy.json', 'claude-code', 'cedar', 'intercept'];

export interface RenderedPolicy {
  format: PolicyFormat;
  filename: string;
  mediaType: string;
  content: string;
}

export interface RenderOptions {
  /** claude-code only: the name the user gave the server in Claude Code; default: the server's name. */
  claudeServerName?: string | undefined;
}

interface FormatSpec {
  filename: string;
  mediaType: string;
  render: (model: PolicyModel, options: RenderOptions) => string;
}

const SPECS: Record<PolicyFormat, FormatSpec> = {
  'policy.json': { filename: 'policy.json', mediaType: 'application/json', render: renderPolicyLayer },
  'claude-code': {
    filename: 'settings.json',
    mediaType: 'application/json',
    render: (model, options) => renderClaudeCode(model, { serverName: options.claudeServerName }),
  },
  cedar: { filename: 'policy.cedar', mediaType: 'text/plain; charset=utf-8', render: renderCedar },
  intercept: { filename: 'policy.yaml', mediaType: 'application/yaml', render: renderIntercept },
};

export function isPolicyFormat(value: string): value is PolicyFormat {
  return (POLICY_FORMATS as readonly string[]).includes(value);
}

/** Render the model in one format. Deterministic: same model, same bytes, ending in one newline. */
export function renderPolicy(
  model: PolicyModel,
  format: PolicyFormat,
  options: RenderOptions = {},
): RenderedPolicy {
  if (!isPolicyFormat(format)) {
    throw new Error(`unknown policy format "${String(format)}"; known: ${POLICY_FORMATS.join(', ')}`);
  }
  const spec = SPECS[format];
  return { format, filename: spec.filename, mediaType: spec.mediaType, content: spec.render(model, options) };
}

/** For the API page's mapping table: how each format expresses the four decisions. */
export const FORMAT_INFO: Record<PolicyFormat, { label: string; approval: string; description: string }> = {
  'policy.json': {
    label: 'PolicyLayer policy.json',
    approval: 'Not expressible: a limit of 10 calls a minute stands in for approval.',
    description:
      'Default deny. Allow: listed as {}. Rate-limit: a "limits" entry of 30 calls a minute (scope "grant"). ' +
      'Approve: the same entry with 10 a minute. Deny: named in "hide" and left out of "tools". ' +
      'A tool literally named "*" or with a blank name is left out (the format reads "*" as every tool), ' +
      'so the default denies it.',
  },
  'claude-code': {
    label: 'Claude Code settings.json',
    approval: 'Native: the rule goes in "ask".',
    description:
      'Rules are mcp__<server>__<tool>, with every character outside A-Z a-z 0-9 _ - in both names ' +
      'replaced by "_", as Claude Code does. Allow: "allow". Rate-limit: "allow" (Claude Code cannot limit ' +
      'calls). Approve: "ask". Deny: "deny". Tools not listed fall back to Claude Code asking. The server ' +
      "name is the catalogue's; use the name you gave the server in Claude Code if it differs.",
  },
  cedar: {
    label: 'Cedar for ToolHive',
    approval: 'A permit annotated @approval("required"); a gateway that supports approval holds the call.',
    description:
      'Action::"call_tool" on Tool::"<name>". Allow: permit. Rate-limit: permit annotated ' +
      '@rate_limit("30/minute") (Cedar cannot count calls). Approve: permit annotated @approval("required"). ' +
      'Deny: forbid. Unnamed tools are denied, as Cedar denies what no policy permits. Every policy carries ' +
      'a @decision annotation, and @category and @risk when the tool has a verdict.',
  },
  intercept: {
    label: 'Intercept-style YAML',
    approval: 'Not expressible: rate_limit "10/minute" stands in for approval.',
    description:
      'Default deny. Allow: rules: []. Rate-limit: a rule with rate_limit "30/minute". Approve: rate_limit ' +
      '"10/minute". Deny: named in "hide" and given a rule with action "deny". Tool names are always ' +
      'double-quoted; a tool literally named "*" or with a blank name is left out, so the default denies it. ' +
      'Intercept cannot count calls of a tool whose name contains a dot, so such a tool is denied rather ' +
      'than limited.',
  },
};
