// The tool page: what the tool does, its verdict and the evidence behind it, its parameters, and the
// recommended policy.
import type { Db } from '../../../data/db.ts';
import type { ActionVerdict, AnnotationHints, Category, Evidence, Flag, Risk } from '../../../data/model.ts';
import { getServer, getTool } from '../../../data/queries.ts';
import { TRUNCATED_MARKER } from '../../../data/limits.ts';
import { policyLinks, toolPolicy, type PolicyLink, type ToolPolicyView } from './policy.ts';
import {
  changesOf,
  faqOf,
  relatedOf,
  sourceHref,
  type ChangeView,
  type Faq,
  type LinkedTool,
} from './tool-extras.ts';
import { policyHref, serverHref, toolHref } from './urls.ts';

/** Parameters listed on a page; a schema with more says how many were left out. */
export const MAX_PARAMS_SHOWN = 500;
const MAX_ENUM_SHOWN = 50;

export interface ParamRow {
  name: string;
  type: string;
  required: boolean;
  description: string | null;
  enumValues: string[];
}

export interface AnnotationRow {
  hint: keyof AnnotationHints;
  /** What the server author declared; null when they did not. */
  declared: boolean | null;
  /** What the catalogue infers from the definition; null without a verdict. */
  inferred: boolean | null;
  /** Why declared and inferred disagree, when they do. */
  contradiction: string | null;
}

export interface ToolModel {
  name: string;
  title: string | null;
  description: string;
  href: string;
  server: { id: string; name: string; href: string };
  category: Category | null;
  risk: Risk | null;
  confidence: number | null;
  rationale: string | null;
  evidence: Evidence[];
  annotations: AnnotationRow[];
  actions: ActionVerdict[];
  flags: Flag[];
  tags: string[];
  truncated: string[];
  params: ParamRow[];
  paramsOmitted: number;
  schemaTruncated: boolean;
  source: { path: string; line: number } | null;
  /** https link to the file and line in the server's repository, when known. */
  sourceHref: string | null;
  classifier: { name: string; version: string } | null;
  /** The LLM judge reviewed the rules verdict. */
  judged: boolean;
  changes: ChangeView[];
  faq: Faq[];
  related: LinkedTool[];
  similar: LinkedTool[];
  firstSeen: string;
  lastSeen: string;
  history: { defHash: string; category: string | null; risk: string | null; seenAt: string }[];
  policy: ToolPolicyView & { downloadHref: string };
  /** The same policy in every format, for download. */
  policyFormats: PolicyLink[];
}

const HINTS: (keyof AnnotationHints)[] = [
  'readOnlyHint',
  'destructiveHint',
  'idempotentHint',
  'openWorldHint',
];

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A short type label for one JSON Schema property, whatever shape the server sent. */
export function typeLabel(schema: unknown): string {
  if (!isRecord(schema)) return 'any';
  if (schema[TRUNCATED_MARKER] === true) return 'truncated';
  const t = schema.type;
  if (typeof t === 'string') {
    if (t === 'array' && isRecord(schema.items) && typeof schema.items.type === 'string') {
      return `array of ${schema.items.type}`;
    }
    return t;
  }
  if (Array.isArray(t)) return t.filter((x) => typeof x === 'string').join(' | ') || 'any';
  if (Array.isArray(schema.enum)) return 'enum';
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) return 'one of several';
  if (typeof schema.$ref === 'string') return 'reference';
  return 'any';
}

/** The top-level parameters of an input schema, in the server's order. */
export function paramsOf(inputSchema: unknown): { rows: ParamRow[]; omitted: number } {
  if (!isRecord(inputSchema) || !isRecord(inputSchema.properties)) return { rows: [], omitted: 0 };
  const required = new Set(
    Array.isArray(inputSchema.required) ? inputSchema.required.filter((r) => typeof r === 'string') : [],
  );
  const entries = Object.entries(inputSchema.properties);
  const rows = entries.slice(0, MAX_PARAMS_SHOWN).map(([name, schema]): ParamRow => {
    const description =
      isRecord(schema) && typeof schema.description === 'string' ? schema.description : null;
    const enumValues =
      isRecord(schema) && Array.isArray(schema.enum)
        ? schema.enum.slice(0, MAX_ENUM_SHOWN).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
        : [];
    return { name, type: typeLabel(schema), required: required.has(name), description, enumValues };
  });
  return { rows, omitted: Math.max(0, entries.length - rows.length) };
}

function annotationRows(
  declared: unknown,
  inferred: AnnotationHints | null,
  contradictions: { hint: string; message: string }[],
): AnnotationRow[] {
  const decl = isRecord(declared) ? declared : {};
  return HINTS.map((hint) => {
    const d = decl[hint];
    return {
      hint,
      declared: typeof d === 'boolean' ? d : null,
      inferred: inferred ? inferred[hint] : null,
      contradiction: contradictions.find((c) => c.hint === hint)?.message ?? null,
    };
  });
}

/** The flag the page shows when stored fields were cut to the catalogue's caps. */
export function truncatedFlag(fields: string[]): Flag {
  return {
    kind: 'truncated',
    message: `Stored shortened because it passed the catalogue's size limits: ${fields.join(', ')}.`,
  };
}

export function toolModel(db: Db, serverId: string, name: string): ToolModel | undefined {
  const tool = getTool(db, serverId, name);
  if (!tool) return undefined;
  const v = tool.verdict;
  const { rows, omitted } = paramsOf(tool.definition.inputSchema);
  const flags = [...(v?.flags ?? [])];
  if (tool.truncated.length > 0 && !flags.some((f) => f.kind === 'truncated')) {
    flags.unshift(truncatedFlag(tool.truncated));
  }
  const verdictLike = v ? { category: v.category, risk: v.risk, confidence: v.confidence } : null;
  const policy = toolPolicy(
    { id: tool.serverId, name: tool.serverName },
    { name: tool.name, verdict: verdictLike },
  );
  const ref = getServer(db, serverId)?.ref;
  const changes = changesOf(db, tool.serverId, tool.name);
  const { related, similar } = relatedOf(db, tool.serverId, tool.name);
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    href: toolHref(tool.serverId, tool.name),
    server: { id: tool.serverId, name: tool.serverName, href: serverHref(tool.serverId) },
    category: v?.category ?? null,
    risk: v?.risk ?? null,
    confidence: v?.confidence ?? null,
    rationale: v?.rationale ?? null,
    evidence: v?.evidence ?? [],
    annotations: annotationRows(
      tool.definition.annotations,
      v?.inferredAnnotations ?? null,
      v?.contradictions ?? [],
    ),
    actions: v?.actions ?? [],
    flags,
    tags: v?.tags ?? [],
    truncated: tool.truncated,
    params: rows,
    paramsOmitted: omitted,
    schemaTruncated: tool.truncated.includes('inputSchema'),
    source: tool.definition.source ?? null,
    sourceHref: ref ? sourceHref(ref, tool.definition.source ?? null) : null,
    classifier: v?.classifier ?? null,
    judged: v?.classifier.name.endsWith('+llm') ?? false,
    changes,
    faq: faqOf(
      { name: tool.name, serverName: tool.serverName, verdict: v, decision: policy.decision },
      changes,
    ),
    related,
    similar,
    firstSeen: tool.firstSeen,
    lastSeen: tool.lastSeen,
    history: tool.history,
    policy: { ...policy, downloadHref: policyHref(tool.serverId, tool.name) },
    policyFormats: policyLinks(tool.serverId, tool.name),
  };
}
