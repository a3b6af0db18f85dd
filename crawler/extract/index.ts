// Static extraction: every tool of every server in a directory, read from source with tree-sitter.
// Nothing read here is ever executed.
import { performance } from 'node:perf_hooks';
import { merge } from './merge.ts';
import { grammarOf, Project } from './project.ts';
import { loadGrammars, type Grammar } from './parser.ts';
import { extractorFor } from './registry.ts';
import { groupServers } from './servers.ts';
import type { ExtractedServer, ExtractNote, ExtractOptions, ExtractResult, RawTool } from './types.ts';
import { walk } from './walk.ts';

export type {
  ExtractedServer,
  ExtractedTool,
  ExtractNote,
  ExtractOptions,
  ExtractResult,
  SourceLocation,
} from './types.ts';

export async function extractFromDirectory(
  dir: string,
  options: ExtractOptions = {},
): Promise<ExtractResult> {
  const started = performance.now();
  const walked = walk(dir, options);
  const notes: ExtractNote[] = walked.notes;
  const groups = groupServers(dir, walked.files, walked.manifests);

  const grammars = new Set<Grammar>();
  for (const group of groups)
    for (const file of group.files)
      if (extractorFor(file.language).mayHoldTools(file.text)) grammars.add(grammarOf(file));
  await loadGrammars(grammars);

  const servers: ExtractedServer[] = [];
  for (const group of groups) {
    options.signal?.throwIfAborted();
    const project = new Project(group.root, group.files, notes);
    const raw: RawTool[] = [];
    try {
      const contexts = new Map<object, unknown>();
      for (const file of group.files) {
        const extractor = extractorFor(file.language);
        if (!extractor.mayHoldTools(file.text)) continue;
        try {
          let ctx = contexts.get(extractor);
          if (ctx === undefined) {
            ctx = extractor.context(project);
            contexts.set(extractor, ctx);
          }
          raw.push(...extractor.extract(file, project, ctx));
        } catch (error) {
          notes.push({
            path: file.path,
            level: 'warn',
            message: `extraction failed: ${(error as Error).message}`,
          });
        }
      }
    } finally {
      project.dispose();
    }
    if (raw.length === 0) continue;
    const tools = merge(raw);
    servers.push({ root: group.root, name: group.name, language: majorityLanguage(raw, project), tools });
  }
  return {
    servers,
    notes,
    stats: { ...walked.stats, ms: Math.round(performance.now() - started) },
  };
}

function majorityLanguage(raw: RawTool[], project: Project): string {
  const counts = new Map<string, number>();
  for (const tool of raw) {
    const lang = project.byPath.get(tool.source.path)?.language ?? 'unknown';
    counts.set(lang, (counts.get(lang) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'unknown';
}
