// The real Cedar engine (@cedar-policy/cedar-wasm, Node build), wrapped for the policy tests: parse a
// generated policy set, and ask for ToolHive's request shape (Client → call_tool → Tool::"<name>").
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';

export function parseErrors(policies: string): string[] {
  const answer = cedar.checkParsePolicySet({ staticPolicies: policies });
  return answer.type === 'success' ? [] : answer.errors.map((e) => e.message);
}

export interface EngineAnswer {
  decision: 'allow' | 'deny';
  /** Annotations of the policies that determined the decision. */
  annotations: Record<string, string>[];
}

/**
 * The name a gateway sees: a lone surrogate cannot cross UTF-8, and Go's JSON decoder (ToolHive) reads it
 * as U+FFFD. The engine's own JS binding rejects it outright, so the tests ask with what the gateway sees.
 */
export function asGatewaySees(tool: string): string {
  return tool.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export function authorizeCall(policies: string, tool: string, client = 'alice'): EngineAnswer {
  const parts = cedar.policySetTextToParts(policies);
  if (parts.type !== 'success') throw new Error(parts.errors.map((e) => e.message).join('; '));
  const byId = Object.fromEntries(parts.policies.map((text, i) => [`p${i}`, text]));
  const answer = cedar.isAuthorized({
    principal: { type: 'Client', id: client },
    action: { type: 'Action', id: 'call_tool' },
    resource: { type: 'Tool', id: asGatewaySees(tool) },
    context: {},
    policies: { staticPolicies: byId },
    entities: [],
  });
  if (answer.type !== 'success') throw new Error(answer.errors.map((e) => e.message).join('; '));
  const annotations = answer.response.diagnostics.reason.map((id) => {
    const json = cedar.policyToJson(byId[id]!);
    if (json.type !== 'success') throw new Error(`policy ${id} does not convert to JSON`);
    return { ...(json.json.annotations ?? {}) } as Record<string, string>;
  });
  return { decision: answer.response.decision, annotations };
}
