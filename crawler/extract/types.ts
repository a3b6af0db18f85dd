// Public and internal types of static extraction. The public ones are re-exported from index.ts.
import type { ToolDefinition } from '../../data/model.ts';

export interface ExtractOptions {
  includeTests?: boolean;
  includeExamples?: boolean;
  /** Files larger than this are skipped with a note (default 4 MB). */
  maxFileBytes?: number;
  /** Stop after this many candidate source files (default 50,000). */
  maxFiles?: number;
  signal?: AbortSignal;
}

export interface SourceLocation {
  path: string;
  line: number;
}

export type ExtractedTool = ToolDefinition & {
  source: SourceLocation;
  /** Fields that could not be resolved statically, e.g. ['description']. */
  unresolved?: string[];
  /** Other places the same tool is defined (feature flags, variants). */
  alsoAt?: SourceLocation[];
};

export interface ExtractedServer {
  /** Relative to the scanned directory, '.' for the top. */
  root: string;
  name?: string;
  language: string;
  tools: ExtractedTool[];
}

export interface ExtractNote {
  path: string;
  line?: number;
  level: 'info' | 'warn';
  message: string;
}

export interface ExtractResult {
  servers: ExtractedServer[];
  notes: ExtractNote[];
  stats: { files: number; bytes: number; skipped: number; ms: number };
}

/** Source languages we extract from; each maps to one extractor module. */
export type SourceLanguage = 'python' | 'typescript' | 'javascript' | 'go' | 'csharp' | 'rust' | 'java';

export type JsonSchema = Record<string, unknown>;

export interface ToolInput {
  properties: Record<string, JsonSchema>;
  required: string[];
}

/** What an extractor yields for one tool definition site, before grouping and de-duplication. */
export interface RawTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: ToolInput;
  outputSchema?: JsonSchema;
  annotations?: Record<string, unknown>;
  source: SourceLocation;
  unresolved: string[];
}

/** One readable source file of a server. `path` is relative to the scanned directory, with '/'. */
export interface SourceFile {
  path: string;
  absPath: string;
  language: SourceLanguage;
  text: string;
}

export interface NoteSink {
  note(note: ExtractNote): void;
}
