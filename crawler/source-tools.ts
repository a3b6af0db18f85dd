// From a fetched source tree to the tools of the one server a ServerRef names, classified. Shared by the
// source crawl and `scan github:…`, so both read a repository the same way.
//
// What a ref means when its folder holds several servers: the ref names a folder (the repository root or
// its monorepo subfolder). A server whose manifest sits at that folder's top is the ref's server, and
// servers nested below it (examples, test fixtures with their own package.json) are not. When no server
// sits at the top but several sit below (a monorepo listed as a whole), the ref stands for all of them:
// their tools are listed together, in folder order, each with its source path; where two define the same
// tool name the first is kept (the store keeps one tool per name).
import { classifyTool } from '../classifier/index.ts';
import { createHash } from 'node:crypto';
import { definitionHash } from '../data/hash.ts';
import { capToolDefinition } from '../data/limits.ts';
import type { ClassifiedDefinition } from '../data/repository.ts';
import type { ExtractedTool, ExtractResult } from './extract/index.ts';

export interface PickedServer {
  /** The server's own name (from its manifest), when the pick is one server. */
  name?: string | undefined;
  /** Folders (relative to the fetched tree) the tools came from. */
  roots: string[];
  tools: ExtractedTool[];
}

/** The ref's server among the extracted ones; undefined when the tree holds no tools at all. */
export function pickServer(result: ExtractResult): PickedServer | undefined {
  const withTools = result.servers.filter((s) => s.tools.length > 0);
  const top = withTools.find((s) => s.root === '.' || s.root === '');
  if (top) return { name: top.name, roots: [top.root], tools: top.tools };
  if (withTools.length === 0) return undefined;
  const sorted = [...withTools].sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
  const seen = new Set<string>();
  const tools: ExtractedTool[] = [];
  for (const server of sorted) {
    for (const tool of server.tools) {
      if (seen.has(tool.name)) continue;
      seen.add(tool.name);
      tools.push(tool);
    }
  }
  return { name: sorted.length === 1 ? sorted[0]?.name : undefined, roots: sorted.map((s) => s.root), tools };
}

/** Classify what will be stored (the capped definition), so verdict and row agree. */
export function classifyTools(
  tools: ExtractedTool[],
  context: { serverName?: string | undefined; serverDescription?: string | undefined },
): ClassifiedDefinition[] {
  return tools.map((tool) => {
    const definition = capToolDefinition(tool);
    return { definition, verdict: classifyTool(definition, context) };
  });
}

/** One hash for a whole tool set (order and source locations aside): equal sets, equal hashes. */
export function toolsetHash(tools: ClassifiedDefinition[]): string {
  const hashes = [...new Set(tools.map((t) => definitionHash(t.definition)))].sort();
  return createHash('sha256').update(hashes.join('\n')).digest('hex');
}
