// PolicyLayer `policy.json`. Under `default: "deny"` a tool must be listed to be callable; an empty `{}`
// allows it. The format has no approval field, so approval becomes the tight fallback limit (the site's
// page text says so). Denied tools are hidden: listed in `hide`, absent from `tools`.
import { stringifyJson } from './escape.ts';
import type { Limit, PolicyModel, ToolPolicy } from './model.ts';

export interface PolicyLayerLimit {
  counter: string;
  window: Limit['window'];
  max: number;
  scope: 'grant';
}
export interface PolicyLayerTool {
  limits?: PolicyLayerLimit[];
}
export interface PolicyLayerPolicy {
  version: '1';
  default: 'deny' | 'allow';
  hide: string[];
  all_tools: { limits: PolicyLayerLimit[] };
  tools: Record<string, PolicyLayerTool>;
}

/**
 * Whether PolicyLayer's formats (policy.json and Intercept YAML) can name this tool. `"*"` is their
 * wildcard (in `hide` it hides every tool, under `tools` its rules apply to every tool) and blank
 * entries are rejected, so such a tool is left out and the default decides; under `default: "deny"`
 * that means denied, never wider than intended.
 */
export function isAddressable(name: string): boolean {
  return name !== '*' && name.trim() !== '';
}

function toolEntry(policy: ToolPolicy): PolicyLayerTool {
  if ((policy.decision === 'rate-limit' || policy.decision === 'approve') && policy.limit) {
    const { max, window } = policy.limit;
    return { limits: [{ counter: `${policy.tool}_rate`, window, max, scope: 'grant' }] };
  }
  return {};
}

export function toPolicyLayer(model: PolicyModel): PolicyLayerPolicy {
  const hide: string[] = [];
  const entries: [string, PolicyLayerTool][] = [];
  for (const policy of model.tools) {
    if (!isAddressable(policy.tool)) continue;
    if (policy.decision === 'deny') hide.push(policy.tool);
    else entries.push([policy.tool, toolEntry(policy)]);
  }
  // Object.fromEntries defines own properties, so a tool called `__proto__` stays a plain key.
  return {
    version: '1',
    default: model.default,
    hide,
    all_tools: { limits: [] },
    tools: Object.fromEntries(entries),
  };
}

export function renderPolicyLayer(model: PolicyModel): string {
  return stringifyJson(toPolicyLayer(model));
}
