// A server's grade, A to F, from its tools' verdicts, with the reasons in plain sentences.
//
// What the grade means: how safely an agent can be given this server with the recommended policy and little
// further review. It falls with the damage one call can do (critical and Execute tools), with signs the
// definitions cannot be taken at face value (tool-poisoning flags, annotations that claim a tool is safer
// than it is, risk that rose after publication) and with what we could not judge (tools without verdicts).
//
// The scale. Start at 100 and subtract, each finding capped so one kind cannot swamp the rest:
//   critical-risk tool                                   −15 each, at most −45
//   Execute tool that is not critical (high)             −8 each,  at most −24
//   other high-risk tool (Destructive, shared writes)    −3 each,  at most −15
//   Execute tool with no author annotations at all       −5 each,  at most −15   (only when annotations are given)
//   annotations claiming a tool is safer than inferred   −10 each, at most −30   (read-only or not destructive)
//   other declared/inferred contradictions               −2 each,  at most −10
//   tool-poisoning flag (instructions to the model,      −30 each, at most −60
//     hidden markup, invisible unicode, shadowing,
//     context harvesting, injection the judge saw)
//   weaker warning flag (encoded payload, very long      −5 each,  at most −15
//     description, any kind not known here)
//   tool without a verdict                               −5 each,  at most −25
//   risk rose after publication (rug pull, per change)   −15 each, at most −30
// Bands: A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, F below. Then caps: any critical tool → at most C (one call can
// take over the host or wipe data); more than half the tools without verdicts → at most C (too little is
// known); one poisoned tool → at most D; two or more → F.
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { Verdict } from '../data/model.ts';

export type Grade = 'A' | 'B' | 'C' | 'D' | 'F';
const GRADES: Grade[] = ['A', 'B', 'C', 'D', 'F'];

/** One line per grade for a legend on the site. */
export const GRADE_MEANING: Record<Grade, string> = {
  A: 'Reads and bounded writes only; nothing found that needs more than the recommended policy.',
  B: 'Some high-risk or Execute tools; the recommended policy covers them.',
  C: 'A critical tool, many risky ones, or too little known: review before granting.',
  D: 'Signs of tool poisoning or many dangerous tools: grant only tool by tool after reading them.',
  F: 'Several poisoned tools or dangerous on every count: do not connect an agent to it.',
};

export interface GradeInput {
  name: string;
  verdict: Verdict | null;
  /**
   * The author's declared annotations: pass `annotations: definition.annotations` (the key present, even when
   * undefined) to enable the check for Execute tools the author left unannotated.
   */
  annotations?: ToolAnnotations | null;
}

export interface GradeOptions {
  /** Recorded changes that made a tool more dangerous (data/changes.ts countRugPulls). */
  rugPulls?: number;
}

export interface ServerGrade {
  grade: Grade;
  /** 0..100 before caps. */
  score: number;
  reasons: string[];
}

/** Flags that show intent to manipulate the model or hide behaviour. */
export const POISONING_FLAGS = new Set([
  'model-instructions',
  'hidden-markup',
  'invisible-unicode',
  'shadowing',
  'context-harvesting',
  'judge-suspects-injection',
]);
/** Flags about our own processing, not the server: they do not count against it. */
export const NEUTRAL_FLAGS = new Set(['truncated', 'judge-disagrees']);

const BANDS: [number, Grade][] = [
  [90, 'A'],
  [75, 'B'],
  [60, 'C'],
  [40, 'D'],
];

function names(list: string[]): string {
  const shown = list.slice(0, 3).join(', ');
  return list.length > 3 ? `${shown} and ${list.length - 3} more` : shown;
}
const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const verb = (n: number, one: string, many: string): string => (n === 1 ? one : many);

export function gradeServer(tools: readonly GradeInput[], options: GradeOptions = {}): ServerGrade {
  if (tools.length === 0) {
    return {
      grade: 'A',
      score: 100,
      reasons: ['The server lists no tools, so it gives an agent nothing to call.'],
    };
  }
  const reasons: string[] = [];
  let score = 100;
  const penalise = (list: string[], each: number, most: number, sentence: (n: number) => string): void => {
    if (list.length === 0) return;
    score -= Math.min(most, list.length * each);
    reasons.push(`${sentence(list.length)} (${names(list)}).`);
  };

  const judged = tools.filter((t): t is GradeInput & { verdict: Verdict } => t.verdict !== null);
  const unjudged = tools.filter((t) => t.verdict === null).map((t) => t.name);
  const critical = judged.filter((t) => t.verdict.risk === 'critical').map((t) => t.name);
  const execute = judged
    .filter((t) => t.verdict.category === 'Execute' && t.verdict.risk !== 'critical')
    .map((t) => t.name);
  const high = judged
    .filter((t) => t.verdict.risk === 'high' && t.verdict.category !== 'Execute')
    .map((t) => t.name);
  const unannotated = judged
    .filter((t) => t.verdict.category === 'Execute' && 'annotations' in t && !hasAnnotations(t.annotations))
    .map((t) => t.name);
  const misleading = judged.filter((t) => t.verdict.contradictions.some(claimsSafer)).map((t) => t.name);
  const otherContradictions = judged
    .filter((t) => t.verdict.contradictions.length > 0 && !t.verdict.contradictions.some(claimsSafer))
    .map((t) => t.name);
  const poisoned = judged
    .filter((t) => t.verdict.flags.some((f) => POISONING_FLAGS.has(f.kind)))
    .map((t) => t.name);
  const warned = judged
    .filter(
      (t) =>
        !poisoned.includes(t.name) &&
        t.verdict.flags.some((f) => !POISONING_FLAGS.has(f.kind) && !NEUTRAL_FLAGS.has(f.kind)),
    )
    .map((t) => t.name);

  penalise(
    poisoned,
    30,
    60,
    (n) =>
      `${count(n, 'tool')} ${verb(n, 'has', 'have')} a definition with tool-poisoning signs, such as instructions aimed at the model or hidden text`,
  );
  penalise(
    critical,
    15,
    45,
    (n) =>
      `${count(n, 'tool')} ${verb(n, 'carries', 'carry')} critical risk: one call can run code on the host, move money irreversibly or wipe a datastore`,
  );
  if (options.rugPulls && options.rugPulls > 0) {
    score -= Math.min(30, options.rugPulls * 15);
    reasons.push(
      `${count(options.rugPulls, 'change')} to ${verb(options.rugPulls, 'a tool', 'its tools')} raised the risk after it was published, so an approval given earlier may no longer fit.`,
    );
  }
  penalise(
    misleading,
    10,
    30,
    (n) =>
      `${count(n, 'tool')} ${verb(n, 'is', 'are')} declared safer by the author than ${verb(n, 'it is', 'they are')} (read-only or non-destructive annotations that the definition contradicts)`,
  );
  penalise(
    execute,
    8,
    24,
    (n) =>
      `${count(n, 'tool')} ${verb(n, 'runs', 'run')} commands, scripts or queries, or ${verb(n, 'drives', 'drive')} a browser or process with the user’s authority`,
  );
  penalise(
    unannotated,
    5,
    15,
    (n) =>
      `${count(n, 'tool')} that ${verb(n, 'executes', 'execute')} code or commands ${verb(n, 'declares', 'declare')} no annotations, so a client gets no warning from the author`,
  );
  penalise(
    high,
    3,
    15,
    (n) =>
      `${count(n, 'tool')} ${verb(n, 'carries', 'carry')} high risk: destructive actions, changes others see, or external side effects`,
  );
  penalise(
    otherContradictions,
    2,
    10,
    (n) =>
      `${count(n, 'tool')} ${verb(n, 'has', 'have')} annotations that disagree with what the definition shows`,
  );
  penalise(
    warned,
    5,
    15,
    (n) =>
      `${count(n, 'tool')} ${verb(n, 'carries', 'carry')} other warning flags, such as encoded payloads or overlong descriptions`,
  );
  penalise(
    unjudged,
    5,
    25,
    (n) => `${count(n, 'tool')} could not be classified, so ${verb(n, 'its', 'their')} risk is unknown`,
  );

  score = Math.max(0, score);
  let grade: Grade = BANDS.find(([min]) => score >= min)?.[1] ?? 'F';
  const cap = (to: Grade, why: string): void => {
    if (GRADES.indexOf(grade) < GRADES.indexOf(to)) {
      grade = to;
      reasons.push(why);
    }
  };
  if (poisoned.length >= 2) cap('F', 'Graded F because more than one tool shows signs of tool poisoning.');
  if (poisoned.length === 1)
    cap('D', 'Graded no higher than D because a tool shows signs of tool poisoning.');
  if (critical.length > 0) cap('C', 'Graded no higher than C because the server has a critical-risk tool.');
  if (unjudged.length * 2 > tools.length) {
    cap('C', 'Graded no higher than C because most of its tools could not be classified.');
  }
  if (reasons.length === 0) {
    reasons.push(
      `All ${count(tools.length, 'tool')} ${verb(tools.length, 'is', 'are')} classified; none is high or critical risk, carries a warning flag or contradicts its author’s annotations.`,
    );
  }
  return { grade, score, reasons };
}

function hasAnnotations(a: ToolAnnotations | null | undefined): boolean {
  if (!a) return false;
  return ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'].some(
    (k) => typeof (a as Record<string, unknown>)[k] === 'boolean',
  );
}

/** The author's hint says the tool is safer than we infer: read-only when it is not, harmless when it destroys. */
function claimsSafer(c: Verdict['contradictions'][number]): boolean {
  return (
    (c.hint === 'readOnlyHint' && c.declared && !c.inferred) ||
    (c.hint === 'destructiveHint' && !c.declared && c.inferred)
  );
}
