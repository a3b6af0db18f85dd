// The policy module's public face: one model (model.ts), one renderer per format. The site, the CLI and
// the API page use only what this file exports.
import type { PolicyModel } from './model.ts';
import { renderPolicyLayer } from './policylayer.ts';

export type { Decision, Limit, LimitWindow, PolicyModel, ToolPolicy, VerdictLike } from './model.ts';
export { APPROVAL_FALLBACK_LIMIT, DECISIONS, WRITE_LIMIT, buildPolicy, decisionFor } from './model.ts';

export type PolicyFormat = 'policy.json' | 'claude-code' | 'cedar' | 'intercept';
export const POLICY_FORMATS: readonly PolicyFormat[] = ['policy.json', 'claude-code', 'cedar', 'intercept'];

export interface RenderedPolicy {
  format: PolicyFormat;
  filename: string;
  mediaType: string;
  content: string;
}

interface FormatSpec {
  filename: string;
  mediaType: string;
  render: (model: PolicyModel) => string;
}

function pending(format: PolicyFormat): (model: PolicyModel) => string {
  return () => {
    throw new Error(`policy format "${format}" is not implemented yet`);
  };
}

const SPECS: Record<PolicyFormat, FormatSpec> = {
  'policy.json': { filename: 'policy.json', mediaType: 'application/json', render: renderPolicyLayer },
  'claude-code': { filename: 'settings.json', mediaType: 'application/json', render: pending('claude-code') },
  cedar: { filename: 'policy.cedar', mediaType: 'text/plain; charset=utf-8', render: pending('cedar') },
  intercept: { filename: 'policy.yaml', mediaType: 'application/yaml', render: pending('intercept') },
};

/** Render the model in one format. Deterministic: same model, same bytes, ending in a newline. */
export function renderPolicy(model: PolicyModel, format: PolicyFormat): RenderedPolicy {
  const spec = SPECS[format];
  if (!spec)
    throw new Error(`unknown policy format "${String(format)}"; known: ${POLICY_FORMATS.join(', ')}`);
  return { format, filename: spec.filename, mediaType: spec.mediaType, content: spec.render(model) };
}

export function isPolicyFormat(value: string): value is PolicyFormat {
  return (POLICY_FORMATS as readonly string[]).includes(value);
}

export const FORMAT_INFO: Record<PolicyFormat, { label: string; approval: string; description: string }> = {
  'policy.json': {
    label: 'PolicyLayer policy.json',
    approval: 'No approval field: approval becomes a limit of 10 calls a minute.',
    description:
      'Default deny. Read tools are listed as {} (allowed); Write tools get a limit of 30 calls a minute; ' +
      'Execute tools 10 a minute; Destructive tools are listed in "hide" and left out of "tools".',
  },
  'claude-code': { label: 'Claude Code settings.json', approval: 'ask', description: 'Not implemented yet.' },
  cedar: {
    label: 'Cedar for ToolHive',
    approval: '@approval("required")',
    description: 'Not implemented yet.',
  },
  intercept: {
    label: 'Intercept-style YAML',
    approval: 'require_approval',
    description: 'Not implemented yet.',
  },
};
