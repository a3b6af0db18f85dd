// The definition hash: what a tool *is* to a client (name, description, inputSchema, annotations),
// canonicalised so key order does not matter. A changed hash means the tool changed.
import { createHash } from 'node:crypto';
import type { ToolDefinition } from './model.ts';

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
    }
    return v;
  });
}

export function definitionHash(
  tool: Pick<ToolDefinition, 'name' | 'description' | 'inputSchema' | 'annotations'>,
): string {
  const basis = {
    name: tool.name,
    description: tool.description ?? '',
    inputSchema: tool.inputSchema ?? null,
    annotations: tool.annotations ?? null,
  };
  return createHash('sha256').update(canonicalJson(basis)).digest('hex');
}
