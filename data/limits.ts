// Caps on what we store from untrusted servers. Anything over a cap is stored shortened and the field is
// named in the tool's `truncated` list, which the site shows as a "truncated" flag.
import type { ToolDefinition } from './model.ts';

export const LIMITS = {
  /** Tool names are identities: longer ones are cut (rare; a name this long is itself suspicious). */
  nameChars: 256,
  titleChars: 1_000,
  /** Descriptions up to 64 KiB characters; a 5 MB description keeps its first 64 Ki characters. */
  descriptionChars: 65_536,
  /** JSON nesting kept in inputSchema/outputSchema/annotations; deeper values become a marker object. */
  schemaDepth: 32,
  /** Serialized size of a schema after depth capping; a larger one is replaced by a stub. */
  schemaBytes: 262_144,
  /** Tools kept per server. */
  toolsPerServer: 50_000,
} as const;

export const TRUNCATED_MARKER = 'x-mcp-catalog-truncated';

/** Cut a string to `max` UTF-16 units without splitting a surrogate pair. */
export function cutString(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max;
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return s.slice(0, end);
}

/** Copy a JSON value keeping at most `maxDepth` levels; returns whether anything was cut. */
export function capDepth(value: unknown, maxDepth: number): { value: unknown; cut: boolean } {
  let cut = false;
  // Iterative-safe recursion: depth is bounded by maxDepth, so the stack stays small.
  const walk = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (depth >= maxDepth) {
      cut = true;
      return { [TRUNCATED_MARKER]: true };
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, depth + 1);
    return out;
  };
  const result = walk(value, 0);
  return { value: result, cut };
}

function capSchema(schema: unknown, field: string, truncated: string[]): Record<string, unknown> | undefined {
  if (schema === undefined || schema === null) return undefined;
  let { value, cut } = capDepth(schema, LIMITS.schemaDepth);
  if (JSON.stringify(value).length > LIMITS.schemaBytes) {
    value = { type: 'object', [TRUNCATED_MARKER]: true };
    cut = true;
  }
  if (cut) truncated.push(field);
  return value as Record<string, unknown>;
}

/** Apply every cap to one tool definition; the result's `truncated` lists what was cut. */
export function capToolDefinition(tool: ToolDefinition): ToolDefinition {
  const truncated: string[] = [...(tool.truncated ?? [])];
  const out: ToolDefinition = { ...tool };
  if (tool.name.length > LIMITS.nameChars) {
    out.name = cutString(tool.name, LIMITS.nameChars);
    truncated.push('name');
  }
  if (tool.title !== undefined && tool.title.length > LIMITS.titleChars) {
    out.title = cutString(tool.title, LIMITS.titleChars);
    truncated.push('title');
  }
  if (tool.description !== undefined && tool.description.length > LIMITS.descriptionChars) {
    out.description = cutString(tool.description, LIMITS.descriptionChars);
    truncated.push('description');
  }
  out.inputSchema = (capSchema(tool.inputSchema, 'inputSchema', truncated) ?? {
    type: 'object',
  }) as ToolDefinition['inputSchema'];
  if (tool.outputSchema !== undefined) {
    out.outputSchema = capSchema(
      tool.outputSchema,
      'outputSchema',
      truncated,
    ) as ToolDefinition['outputSchema'];
  }
  if (tool.annotations !== undefined) {
    out.annotations = capSchema(tool.annotations, 'annotations', truncated) as ToolDefinition['annotations'];
  }
  if (truncated.length > 0) out.truncated = [...new Set(truncated)];
  return out;
}
