// Turns raw definition sites into tools: one per name, with static duplicates listed in `alsoAt`.
import type { ExtractedTool, RawTool } from './types.ts';

export function merge(raw: RawTool[]): ExtractedTool[] {
  const byName = new Map<string, RawTool[]>();
  for (const tool of raw) {
    const list = byName.get(tool.name);
    if (list) list.push(tool);
    else byName.set(tool.name, [tool]);
  }
  const out: ExtractedTool[] = [];
  for (const sites of byName.values()) {
    // Prefer the most completely resolved definition; ties keep the first found.
    const best = [...sites].sort((a, b) => a.unresolved.length - b.unresolved.length)[0] as RawTool;
    const tool: ExtractedTool = {
      name: best.name,
      ...(best.title !== undefined ? { title: best.title } : {}),
      ...(best.description !== undefined ? { description: best.description } : {}),
      inputSchema: {
        type: 'object',
        properties: best.inputSchema.properties,
        required: best.inputSchema.required,
      },
      ...(best.outputSchema ? { outputSchema: best.outputSchema as ExtractedTool['outputSchema'] } : {}),
      ...(best.annotations ? { annotations: best.annotations } : {}),
      source: best.source,
    };
    if (best.unresolved.length > 0) tool.unresolved = [...new Set(best.unresolved)];
    const others = sites.filter((s) => s !== best).map((s) => s.source);
    const unique = others.filter(
      (s, i) =>
        !(s.path === best.source.path && s.line === best.source.line) &&
        others.findIndex((o) => o.path === s.path && o.line === s.line) === i,
    );
    if (unique.length > 0) tool.alsoAt = unique;
    out.push(tool);
  }
  return out;
}
