// Change detection's judgement, free of SQL: a readable structured diff of two definitions of one tool, the
// marks a change earns (risk rose, category rose, new flags, weaker author annotations) and a sentence that
// says what happened. A change that makes a tool more dangerous after users approved it is a "rug pull".
import type { Category, Risk, ToolDefinition } from '../data/model.ts';
import { CATEGORIES, RISKS } from '../data/model.ts';

export interface DiffEntry {
  /** Dotted path into the definition: `description`, `inputSchema.properties.command`, `annotations.readOnlyHint`. */
  path: string;
  op: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
  /** For long strings only the differing middle is kept, with this much shared text around it. */
  excerpt?: true;
}

export type ChangeMark =
  'risk-rose' | 'category-rose' | 'new-flags' | 'annotations-weakened' | 'risky-addition';

export const MARK_TEXT: Record<ChangeMark, string> = {
  'risk-rose': 'risk rose',
  'category-rose': 'category became more dangerous',
  'new-flags': 'new warning flags',
  'annotations-weakened': 'the author’s annotations now claim it is safer',
  'risky-addition': 'a new high-risk tool',
};

/** What is compared: the fields a client sees (those of the definition hash, plus the title). */
const FIELDS = ['title', 'description', 'inputSchema', 'annotations'] as const;
const LONG_STRING = 300;
const CONTEXT = 60;
const MAX_ENTRIES = 200;

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** A long string change keeps only what differs, with some shared context either side. */
function stringChange(path: string, before: string, after: string): DiffEntry {
  if (before.length <= LONG_STRING && after.length <= LONG_STRING)
    return { path, op: 'changed', before, after };
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before[p] === after[p]) p++;
  let s = 0;
  while (s < max - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
  const from = Math.max(0, p - CONTEXT);
  const cut = (t: string) => {
    const to = Math.min(t.length, t.length - s + CONTEXT);
    return `${from > 0 ? '…' : ''}${t.slice(from, to)}${to < t.length ? '…' : ''}`;
  };
  return { path, op: 'changed', before: cut(before), after: cut(after), excerpt: true };
}

function walk(path: string, before: unknown, after: unknown, out: DiffEntry[]): void {
  if (out.length >= MAX_ENTRIES || same(before, after)) return;
  if (before === undefined) {
    out.push({ path, op: 'added', after });
  } else if (after === undefined) {
    out.push({ path, op: 'removed', before });
  } else if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const k of keys) walk(path ? `${path}.${k}` : k, before[k], after[k], out);
  } else if (typeof before === 'string' && typeof after === 'string') {
    out.push(stringChange(path, before, after));
  } else {
    out.push({ path, op: 'changed', before, after });
  }
}

/** The structured diff of two definitions of one tool, in field order; at most 200 entries. */
export function diffDefinitions(before: ToolDefinition, after: ToolDefinition): DiffEntry[] {
  const out: DiffEntry[] = [];
  for (const field of FIELDS) {
    // An absent description and an empty one are the same to a client (and to the definition hash).
    const b = field === 'description' ? (before.description ?? '') : before[field];
    const a = field === 'description' ? (after.description ?? '') : after[field];
    walk(field, b, a, out);
  }
  return out;
}

export interface ClassifiedSide {
  definition: ToolDefinition;
  category: Category | null;
  risk: Risk | null;
  flagKinds: string[];
}

const up = <T extends string>(order: readonly T[], from: T | null, to: T | null): boolean =>
  from !== null && to !== null && order.indexOf(to) > order.indexOf(from);

/** MCP's defaults when a hint is absent: not read-only, destructive, open-world. */
function weakened(before: ToolDefinition['annotations'], after: ToolDefinition['annotations']): boolean {
  const b = { readOnlyHint: false, destructiveHint: true, openWorldHint: true, ...before };
  const a = { readOnlyHint: false, destructiveHint: true, openWorldHint: true, ...after };
  return (
    (!b.readOnlyHint && a.readOnlyHint === true) ||
    (b.destructiveHint !== false && a.destructiveHint === false) ||
    (b.openWorldHint !== false && a.openWorldHint === false)
  );
}

export interface ChangeAssessment {
  diff: DiffEntry[];
  marks: ChangeMark[];
  /** The tool became more dangerous (risk or category rose): a possible rug pull. */
  rugPull: boolean;
}

/** Judge a definition change: its diff and marks. */
export function assessChange(before: ClassifiedSide, after: ClassifiedSide): ChangeAssessment {
  const marks: ChangeMark[] = [];
  if (up(RISKS, before.risk, after.risk)) marks.push('risk-rose');
  if (up(CATEGORIES, before.category, after.category)) marks.push('category-rose');
  if (after.flagKinds.some((k) => !before.flagKinds.includes(k))) marks.push('new-flags');
  if (weakened(before.definition.annotations, after.definition.annotations))
    marks.push('annotations-weakened');
  return {
    diff: diffDefinitions(before.definition, after.definition),
    marks,
    rugPull: marks.includes('risk-rose') || marks.includes('category-rose'),
  };
}

/** Marks for a tool that appeared on a server already in the catalogue. */
export function assessAddition(risk: Risk | null): ChangeMark[] {
  return risk === 'high' || risk === 'critical' ? ['risky-addition'] : [];
}

export interface ChangeSummaryInput {
  kind: 'added' | 'changed' | 'removed';
  oldCategory: string | null;
  newCategory: string | null;
  oldRisk: string | null;
  newRisk: string | null;
  diff: DiffEntry[];
  marks: ChangeMark[];
}

const topField = (path: string): string => path.split('.')[0] ?? path;
const PARAMS = /^inputSchema\.properties\.([^.]+)$/;

/** One or two plain sentences for a change, for pages and feeds. */
export function describeChange(c: ChangeSummaryInput): string {
  if (c.kind === 'added') {
    return `The tool appeared, classified ${c.newCategory ?? 'unclassified'}, ${c.newRisk ?? 'unknown'} risk.`;
  }
  if (c.kind === 'removed') return 'The tool is no longer listed by the server.';
  const parts: string[] = [];
  const fields = new Set(c.diff.map((d) => topField(d.path)));
  const added = c.diff
    .filter((d) => d.op === 'added' && PARAMS.test(d.path))
    .map((d) => PARAMS.exec(d.path)?.[1]);
  const removed = c.diff
    .filter((d) => d.op === 'removed' && PARAMS.test(d.path))
    .map((d) => PARAMS.exec(d.path)?.[1]);
  if (fields.has('description')) parts.push('the description changed');
  if (added.length) parts.push(`parameter${added.length > 1 ? 's' : ''} ${added.join(', ')} added`);
  if (removed.length) parts.push(`parameter${removed.length > 1 ? 's' : ''} ${removed.join(', ')} removed`);
  if (fields.has('inputSchema') && !added.length && !removed.length) parts.push('the input schema changed');
  if (fields.has('annotations')) parts.push('the annotations changed');
  if (fields.has('title')) parts.push('the title changed');
  const what = parts.length ? `${parts.join('; ')}.` : 'The definition changed.';
  const sentence = what.charAt(0).toUpperCase() + what.slice(1);
  const verdict =
    c.oldCategory !== c.newCategory || c.oldRisk !== c.newRisk
      ? ` Verdict went from ${c.oldCategory ?? '?'}, ${c.oldRisk ?? '?'} risk to ${c.newCategory ?? '?'}, ${c.newRisk ?? '?'} risk.`
      : '';
  const warn =
    c.marks.includes('risk-rose') || c.marks.includes('category-rose') ? 'Possible rug pull: ' : '';
  return `${warn}${sentence}${verdict}`;
}
