// The one policy model every format renders. Decisions come from the category (DESIGN.md, "Default
// decision per category"); the user may override any tool. Formats never decide anything themselves:
// they only translate these decisions into their own vocabulary.
import type { Category, Risk, Verdict } from '../../data/model.ts';

export type Decision = 'allow' | 'rate-limit' | 'approve' | 'deny';
export const DECISIONS: readonly Decision[] = ['allow', 'rate-limit', 'approve', 'deny'];

export type LimitWindow = 'minute' | 'hour' | 'day';
export interface Limit {
  max: number;
  window: LimitWindow;
}

export interface ToolPolicy {
  tool: string;
  category: Category | null;
  risk: Risk | null;
  decision: Decision;
  /**
   * Set for `rate-limit` (the limit to enforce) and for `approve` (the tight limit a format falls back on
   * when it cannot express approval). Absent for `allow` and `deny`.
   */
  limit?: Limit;
  /** One plain sentence, ours, saying why the tool gets this decision. */
  note: string;
}

export interface PolicyModel {
  server: { id: string; name: string };
  default: 'deny' | 'allow';
  tools: ToolPolicy[];
}

export type VerdictLike = Pick<Verdict, 'category' | 'risk'> & Partial<Pick<Verdict, 'confidence'>>;

/**
 * Below this confidence a Read verdict is a guess (the classifier found no verb it knows, e.g. text in a
 * language it does not read), and "allow" on a guess is how a dangerous tool slips through: ask instead.
 */
export const UNSURE_READ_CONFIDENCE = 0.35;

const unsureRead = (v: VerdictLike): boolean =>
  v.category === 'Read' && v.confidence !== undefined && v.confidence < UNSURE_READ_CONFIDENCE;

/** Write tools: 30 calls a minute. */
export const WRITE_LIMIT: Readonly<Limit> = Object.freeze({ max: 30, window: 'minute' });
/** Execute tools where a format has no approval: 10 calls a minute stand for "a person approves". */
export const APPROVAL_FALLBACK_LIMIT: Readonly<Limit> = Object.freeze({ max: 10, window: 'minute' });

const BY_CATEGORY: Record<Category, Decision> = {
  Read: 'allow',
  Write: 'rate-limit',
  Execute: 'approve',
  Destructive: 'deny',
};

/** How strict a decision is; used when two entries for one name must merge. */
const STRICTNESS: Record<Decision, number> = { allow: 0, 'rate-limit': 1, approve: 2, deny: 3 };

export function stricter(a: Decision, b: Decision): Decision {
  return STRICTNESS[b] > STRICTNESS[a] ? b : a;
}

function limitFor(decision: Decision): Limit | undefined {
  if (decision === 'rate-limit') return { ...WRITE_LIMIT };
  if (decision === 'approve') return { ...APPROVAL_FALLBACK_LIMIT };
  return undefined;
}

/**
 * The default decision for one verdict. No verdict (the classifier did not run or failed) is treated
 * conservatively: a person approves each call.
 */
export function decisionFor(verdict: VerdictLike | null): { decision: Decision; limit?: Limit } {
  const decision = !verdict || unsureRead(verdict) ? 'approve' : BY_CATEGORY[verdict.category];
  const limit = limitFor(decision);
  return limit ? { decision, limit } : { decision };
}

const CATEGORY_NOTE: Record<Category, string> = {
  Read: 'It only reads, so calls are allowed.',
  Write: 'It changes state, so calls are limited to 30 a minute.',
  Execute: 'It runs code or commands, so each call needs a person to approve it.',
  Destructive: 'It can delete or overwrite data, so it is denied unless you opt in.',
};

const OVERRIDE_NOTE: Record<Decision, string> = {
  allow: 'You chose to allow this tool.',
  'rate-limit': 'You chose to limit this tool to 30 calls a minute.',
  approve: 'You chose to require approval for each call of this tool.',
  deny: 'You chose to deny this tool.',
};

function noteFor(verdict: VerdictLike | null, overridden: boolean, decision: Decision): string {
  if (overridden) return OVERRIDE_NOTE[decision];
  if (!verdict) return 'It has no verdict yet, so each call needs a person to approve it.';
  if (unsureRead(verdict)) {
    return 'It looks read-only, but its definition says too little to be sure, so each call needs a person to approve it.';
  }
  return CATEGORY_NOTE[verdict.category];
}

/** Code-point order: the same on every machine and locale, unlike localeCompare. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The recommended policy for a server (or a single tool: pass one). Tools come out sorted by name so every
 * format's output is stable whatever order the crawl found them in. A name listed twice keeps the stricter
 * decision. `overrides` maps tool names to the user's own decision; names the server does not have are
 * ignored (the policy builder may hold a stale selection).
 */
export function buildPolicy(
  server: { id: string; name: string },
  tools: readonly { name: string; verdict: VerdictLike | null }[],
  overrides: Readonly<Record<string, Decision>> = {},
): PolicyModel {
  const byName = new Map<string, ToolPolicy>();
  for (const { name, verdict } of tools) {
    const overridden = Object.hasOwn(overrides, name);
    const decision = overridden ? overrides[name]! : decisionFor(verdict).decision;
    const policy = toolPolicy(name, verdict, decision, overridden);
    const previous = byName.get(name);
    if (!previous || stricter(previous.decision, policy.decision) !== previous.decision) {
      byName.set(name, policy);
    }
  }
  return {
    server: { id: server.id, name: server.name },
    default: 'deny',
    tools: [...byName.values()].sort((a, b) => byCodePoint(a.tool, b.tool)),
  };
}

function toolPolicy(
  name: string,
  verdict: VerdictLike | null,
  decision: Decision,
  overridden: boolean,
): ToolPolicy {
  const limit = limitFor(decision);
  return {
    tool: name,
    category: verdict?.category ?? null,
    risk: verdict?.risk ?? null,
    decision,
    ...(limit ? { limit } : {}),
    note: noteFor(verdict, overridden, decision),
  };
}
