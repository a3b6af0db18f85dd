// The classifier's public face. Callers (crawl pipeline, CLI, site) use only `classifyTool` and
// `CLASSIFIER`; the rules behind it may change freely.
import type { ToolDefinition, Verdict } from '../data/model.ts';
import { classifyWithRules } from './rules.ts';

export interface ClassifyContext {
  /** What the server is called and says it is for; context for ambiguous verbs. */
  serverName?: string | undefined;
  serverDescription?: string | undefined;
}

export const CLASSIFIER = { name: 'rules', version: '1.0.0' } as const;

/** Classify one tool definition. Deterministic, synchronous, never throws on odd input. */
export function classifyTool(tool: ToolDefinition, context: ClassifyContext = {}): Verdict {
  return classifyWithRules(tool, context, CLASSIFIER);
}
