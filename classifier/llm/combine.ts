// Combining the rules verdict with the LLM judge's answer. The rules verdict is the floor: the judge may
// raise the category or the risk and add its reasoning, but never lower either (a model can be talked into
// "Read" by the very text it is judging). When it would lower, the rules verdict stands and the judge's view
// is kept as a `judge-disagrees` flag so the page can show the disagreement.
import type {
  AnnotationHints,
  Category,
  Contradiction,
  Evidence,
  Flag,
  Risk,
  ToolDefinition,
  Verdict,
} from '../../data/model.ts';
import { CATEGORIES, RISKS } from '../../data/model.ts';
import type { Judgement } from './schema.ts';

export const JUDGE_DISAGREES = 'judge-disagrees';
export const JUDGE_SUSPECTS_INJECTION = 'judge-suspects-injection';

export interface JudgeMeta {
  model: string;
  promptVersion: string;
}

export interface Disagreement {
  category: Category;
  risk: Risk;
  rationale: string;
}

export interface Combination {
  verdict: Verdict;
  /** Set when the judge rated the tool below the rules on category or risk. */
  disagreement?: Disagreement;
  /** Whether the judge raised the category or the risk. */
  raised: boolean;
}

const rank = <T extends string>(order: readonly T[], v: T): number => order.indexOf(v);
const maxOf = <T extends string>(order: readonly T[], a: T, b: T): T =>
  rank(order, a) >= rank(order, b) ? a : b;

/** Raised categories that always carry at least this risk (DESIGN.md: destructive and raw execution are high). */
const RISK_FLOOR: Partial<Record<Category, Risk>> = { Destructive: 'high', Execute: 'high' };

const HINT_TEXT: Record<keyof AnnotationHints, [string, string]> = {
  readOnlyHint: ['read-only', 'not read-only'],
  destructiveHint: ['destructive', 'not destructive'],
  idempotentHint: ['idempotent', 'not idempotent'],
  openWorldHint: ['open-world', 'closed-world'],
};

function inferHints(previous: AnnotationHints, category: Category): AnnotationHints {
  if (category === 'Read') return previous;
  return {
    ...previous,
    readOnlyHint: false,
    // Deleting and running arbitrary code can both lose data; MCP's own default for non-read-only is true.
    destructiveHint: category === 'Destructive' || category === 'Execute' ? true : previous.destructiveHint,
  };
}

function recomputeContradictions(
  previous: Contradiction[],
  inferred: AnnotationHints,
  tool: ToolDefinition | undefined,
): Contradiction[] {
  const declared = tool?.annotations;
  if (!declared) return previous;
  const out = previous.filter((c) => c.inferred === inferred[c.hint]);
  for (const hint of Object.keys(HINT_TEXT) as (keyof AnnotationHints)[]) {
    const d = declared[hint];
    if (typeof d !== 'boolean' || d === inferred[hint] || out.some((c) => c.hint === hint)) continue;
    const [yes, no] = HINT_TEXT[hint];
    out.push({
      hint,
      declared: d,
      inferred: inferred[hint],
      message: `The author declares the tool ${d ? yes : no} (${hint}: ${d}); the combined verdict infers it is ${inferred[hint] ? yes : no}.`,
    });
  }
  return out;
}

/** Judge quotes that really occur in the definition, as evidence; invented quotes are dropped. */
function judgeEvidence(j: Judgement, tool: ToolDefinition | undefined, model: string): Evidence[] {
  if (!tool) return [];
  const name = tool.name.toLowerCase();
  const description = (tool.description ?? '').toLowerCase();
  const rest = JSON.stringify({ s: tool.inputSchema ?? null, a: tool.annotations ?? null }).toLowerCase();
  const out: Evidence[] = [];
  for (const quote of j.evidence) {
    const q = quote.toLowerCase();
    const signal = name.includes(q)
      ? 'name'
      : description.includes(q)
        ? 'description'
        : rest.includes(q)
          ? 'schema'
          : undefined;
    if (signal) out.push({ signal, excerpt: quote, note: `Quoted by the LLM judge (${model}).` });
  }
  return out;
}

const cut = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Combine a rules verdict with a judge's answer. `tool` (the definition judged) lets the judge's quotes be
 * checked against the text and contradictions with the author's annotations be recomputed.
 */
export function combineVerdicts(
  rules: Verdict,
  judged: Judgement,
  meta: JudgeMeta,
  tool?: ToolDefinition,
): Combination {
  const lowerCategory = rank(CATEGORIES, judged.category) < rank(CATEGORIES, rules.category);
  const lowerRisk = rank(RISKS, judged.risk) < rank(RISKS, rules.risk);
  const category = maxOf(CATEGORIES, rules.category, judged.category);
  let risk = maxOf(RISKS, rules.risk, judged.risk);
  const floor = category !== rules.category ? RISK_FLOOR[category] : undefined;
  if (floor) risk = maxOf(RISKS, risk, floor);
  const raised = category !== rules.category || risk !== rules.risk;
  const agrees = judged.category === rules.category && judged.risk === rules.risk;

  const flags: Flag[] = [...rules.flags];
  let disagreement: Disagreement | undefined;
  if (lowerCategory || lowerRisk) {
    disagreement = { category: judged.category, risk: judged.risk, rationale: judged.rationale };
    flags.push({
      kind: JUDGE_DISAGREES,
      message:
        `The LLM judge (${meta.model}) rated this tool ${judged.category}, ${judged.risk} risk, below the rules ` +
        `verdict ${rules.category}, ${rules.risk} risk. A judge may raise a verdict but not lower it, so the ` +
        `rules verdict stands.`,
      excerpt: cut(judged.rationale, 400),
    });
  }
  if (judged.injection_suspected && !flags.some((f) => f.kind === JUDGE_SUSPECTS_INJECTION)) {
    flags.push({
      kind: JUDGE_SUSPECTS_INJECTION,
      message: `The LLM judge (${meta.model}) found text in the definition that tries to instruct the model reading it.`,
    });
  }

  let rationale = rules.rationale;
  if (raised) {
    rationale =
      `The LLM judge (${meta.model}) raised this verdict from ${rules.category}, ${rules.risk} risk to ` +
      `${category}, ${risk} risk: ${judged.rationale} The rules found: ${rules.rationale}`;
  } else if (!disagreement) {
    rationale = `${rules.rationale} An LLM review (${meta.model}) agrees: ${judged.rationale}`;
  }

  const evidence = disagreement
    ? rules.evidence
    : [...rules.evidence, ...judgeEvidence(judged, tool, meta.model)];
  const inferredAnnotations = inferHints(rules.inferredAnnotations, category);
  const confidence = raised
    ? judged.confidence
    : agrees
      ? Math.max(rules.confidence, judged.confidence)
      : rules.confidence;

  const verdict: Verdict = {
    ...rules,
    category,
    risk,
    confidence,
    rationale,
    evidence,
    inferredAnnotations,
    contradictions:
      category === rules.category
        ? rules.contradictions
        : recomputeContradictions(rules.contradictions, inferredAnnotations, tool),
    flags,
    classifier: {
      name: `${rules.classifier.name}+llm`,
      version: `${rules.classifier.version}+${meta.promptVersion}@${meta.model}`,
    },
  };
  return disagreement ? { verdict, disagreement, raised } : { verdict, raised };
}
