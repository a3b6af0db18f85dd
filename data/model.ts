// The one place the pipeline's data types are defined. Each arrow of the data flow in DESIGN.md passes
// one of these: ServerRef → (live connection | source tree) → ToolDefinition[] → Verdict → rows.
import * as z from 'zod/v4';
import { ToolSchema } from '@modelcontextprotocol/sdk/types.js';

/** How to start or reach a server for live introspection. */
export const StdioLaunchSchema = z.object({
  transport: z.literal('stdio'),
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).optional(),
  cwd: z.string().optional(),
});
export type StdioLaunch = z.infer<typeof StdioLaunchSchema>;

export const HttpLaunchSchema = z.object({
  transport: z.literal('http'),
  url: z.url(),
  headers: z.record(z.string(), z.string()).optional(),
});
export type HttpLaunch = z.infer<typeof HttpLaunchSchema>;

export const LaunchSchema = z.discriminatedUnion('transport', [StdioLaunchSchema, HttpLaunchSchema]);
export type Launch = z.infer<typeof LaunchSchema>;

export const PackageRefSchema = z.object({
  registry: z.enum(['npm', 'pypi', 'oci', 'nuget', 'cargo', 'other']),
  name: z.string(),
  version: z.string().optional(),
});
export type PackageRef = z.infer<typeof PackageRefSchema>;

export const GitHubRefSchema = z.object({
  owner: z.string(),
  repo: z.string(),
  subdir: z.string().optional(),
  ref: z.string().optional(),
});
export type GitHubRef = z.infer<typeof GitHubRefSchema>;

/** What discovery yields: enough to identify a server and to fetch or start it. */
export const ServerRefSchema = z.object({
  /** Stable catalogue id, a URL-safe slug such as `npm/@modelcontextprotocol/server-memory`. */
  id: z
    .string()
    .min(1)
    .max(300)
    .regex(/^[A-Za-z0-9@._~:/+-]+$/, 'server id may hold only letters, digits and @._~:/+-'),
  name: z.string().min(1),
  description: z.string().optional(),
  repositoryUrl: z.string().optional(),
  homepageUrl: z.string().optional(),
  /** Which discovery source produced it: default, config, registry, github, seed, npm, pypi, scan. */
  source: z.string(),
  packages: z.array(PackageRefSchema).default([]),
  github: GitHubRefSchema.optional(),
  launch: LaunchSchema.optional(),
});
export type ServerRef = z.infer<typeof ServerRefSchema>;
export type ServerRefInput = z.input<typeof ServerRefSchema>;

/** What a live server says about itself in `initialize`. */
export const ServerInfoSchema = z.object({
  name: z.string(),
  version: z.string().optional(),
  title: z.string().optional(),
  /** The server's own website, as it claims it; untrusted (rendered as a link only if http(s)). */
  websiteUrl: z.string().optional(),
  instructions: z.string().optional(),
  protocolVersion: z.string().optional(),
});
export type ServerInfo = z.infer<typeof ServerInfoSchema>;

export const SourceLocationSchema = z.object({ path: z.string(), line: z.number().int().positive() });
export type SourceLocation = z.infer<typeof SourceLocationSchema>;

/**
 * A tool as the server serves it (the SDK's own ToolSchema), plus where we found it and what we cut.
 * `truncated` names the fields stored shortened because they passed the caps in data/limits.ts.
 */
export const ToolDefinitionSchema = ToolSchema.extend({
  source: SourceLocationSchema.optional(),
  truncated: z.array(z.string()).optional(),
});
export type ToolDefinition = z.infer<typeof ToolDefinitionSchema>;

export const CategorySchema = z.enum(['Read', 'Write', 'Destructive', 'Execute']);
export type Category = z.infer<typeof CategorySchema>;
export const CATEGORIES = CategorySchema.options;

export const RiskSchema = z.enum(['low', 'medium', 'high', 'critical']);
export type Risk = z.infer<typeof RiskSchema>;
export const RISKS = RiskSchema.options;

/** One piece of evidence a verdict rests on, quoting the words it saw. */
export const EvidenceSchema = z.object({
  /** Where the words were found. */
  signal: z.enum(['name', 'description', 'schema', 'annotation', 'server']),
  /** The quoted words, parameter name or annotation, exactly as seen (may be shortened). */
  excerpt: z.string(),
  /** The category this evidence points to, if any. */
  suggests: CategorySchema.optional(),
  /** A short human explanation, written by us. */
  note: z.string(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const AnnotationHintsSchema = z.object({
  readOnlyHint: z.boolean(),
  destructiveHint: z.boolean(),
  idempotentHint: z.boolean(),
  openWorldHint: z.boolean(),
});
export type AnnotationHints = z.infer<typeof AnnotationHintsSchema>;

export const ContradictionSchema = z.object({
  hint: AnnotationHintsSchema.keyof(),
  declared: z.boolean(),
  inferred: z.boolean(),
  message: z.string(),
});
export type Contradiction = z.infer<typeof ContradictionSchema>;

export const FlagSchema = z.object({
  /** e.g. `model-instructions`, `invisible-unicode`, `encoded-payload`, `shadowing`, `truncated`. */
  kind: z.string(),
  message: z.string(),
  excerpt: z.string().optional(),
});
export type Flag = z.infer<typeof FlagSchema>;

/** A verdict for one value of a multi-action tool's action/operation/method enum. */
export const ActionVerdictSchema = z.object({
  param: z.string(),
  value: z.string(),
  category: CategorySchema,
  risk: RiskSchema,
  rationale: z.string(),
});
export type ActionVerdict = z.infer<typeof ActionVerdictSchema>;

export const VerdictSchema = z.object({
  category: CategorySchema,
  risk: RiskSchema,
  /** 0..1: how sure the classifier is; low when the definition says little. */
  confidence: z.number().min(0).max(1),
  /** 2–4 plain sentences: what it does, why it needs a policy, what in its definition shows it. */
  rationale: z.string(),
  evidence: z.array(EvidenceSchema),
  inferredAnnotations: AnnotationHintsSchema,
  contradictions: z.array(ContradictionSchema).default([]),
  actions: z.array(ActionVerdictSchema).default([]),
  flags: z.array(FlagSchema).default([]),
  /** credentials, personal-data, financial, outbound-message, open-world, bulk */
  tags: z.array(z.string()).default([]),
  classifier: z.object({ name: z.string(), version: z.string() }),
});
export type Verdict = z.infer<typeof VerdictSchema>;

/** A tool with its verdict, as `scan` and `classify` print it and the site renders it. */
export type ClassifiedTool = ToolDefinition & { verdict: Verdict };

/** Failure kinds recorded per item during a crawl. */
export const FailureKindSchema = z.enum([
  'timeout',
  'protocol',
  'crashed',
  'spawn',
  'http',
  'invalid',
  'internal',
]);
export type FailureKind = z.infer<typeof FailureKindSchema>;
