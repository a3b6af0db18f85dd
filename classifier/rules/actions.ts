// Multi-action tools: an action/operation/method/mode-style enum selects the behaviour, so each value gets
// its own verdict and the tool takes the most dangerous one.
import type { ActionVerdict, Category } from '../../data/model.ts';
import { splitWords } from '../text.ts';
import type { ParamInfo, ToolContext } from './context.ts';
import type { Cues } from './cues.ts';
import { lookupVerb } from './lexicon.ts';
import { assessRisk } from './risk.ts';
import { resolveVerb } from './verbs.ts';

const STRONG_KEYS = new Set([
  'action',
  'actions',
  'operation',
  'op',
  'method',
  'command',
  'cmd',
  'subcommand',
  'verb',
  'operationtype',
  'actiontype',
]);
const WEAK_KEYS = new Set(['mode', 'type', 'kind', 'event', 'change', 'task']);
const HTTP: Record<string, Category> = {
  get: 'Read',
  head: 'Read',
  options: 'Read',
  post: 'Write',
  put: 'Write',
  patch: 'Write',
  delete: 'Destructive',
};
/** Mode words that are not verbs but name how much a command discards (git reset --hard). */
const MODE_WORDS: Record<string, Category> = {
  hard: 'Destructive',
  soft: 'Write',
  mixed: 'Write',
  keep: 'Write',
  force: 'Destructive',
  pop: 'Write',
  abort: 'Write',
};

export interface ActionValue {
  value: string;
  cat: Category | undefined;
  verb: string | undefined;
  note: string;
}

function classifyValue(value: string, ctx: ToolContext): ActionValue {
  const words = splitWords(value);
  const first = words[0] ?? '';
  if (words.length === 1 && HTTP[first])
    return {
      value,
      cat: HTTP[first],
      verb: first === 'get' ? 'get' : first,
      note: `HTTP ${first.toUpperCase()}`,
    };
  if (MODE_WORDS[first]) return { value, cat: MODE_WORDS[first], verb: first, note: '' };
  const objects = new Set(ctx.objects);
  for (const w of words.slice(1)) objects.add(w);
  for (let i = 0; i < words.length && i < 3; i++) {
    const w = words[i] ?? '';
    // Exact forms only: enum values in the plural (`labels`, `branches`) name things, not actions.
    const hit = lookupVerb(w, false);
    if (!hit || hit.info.kind === 'generic') continue;
    if (ctx.browser && (hit.verb === 'new' || hit.verb === 'open') && ctx.paramKeys.has('url'))
      return { value, cat: 'Execute', verb: 'navigate', note: 'opens a page at a URL' };
    const r = resolveVerb(hit.verb, hit.info, objects, ctx, 'action', true);
    if (r) return { value, cat: r.cat, verb: hit.verb, note: r.note };
  }
  return { value, cat: undefined, verb: undefined, note: '' };
}

/** The enum that selects the tool's behaviour, with each value classified, or undefined. */
export function findActionParam(ctx: ToolContext): { param: ParamInfo; values: ActionValue[] } | undefined {
  for (const p of ctx.params) {
    if (p.depth > 2 || p.enumValues.length < 2) continue;
    const strong = STRONG_KEYS.has(p.key);
    if (!strong && !WEAK_KEYS.has(p.key)) continue;
    const values = p.enumValues.slice(0, 40).map((v) => classifyValue(v, ctx));
    const known = values.filter((v) => v.cat !== undefined);
    if (known.length === 0) continue;
    if (!strong) {
      if (known.length * 3 < values.length) continue;
      if (!known.some((v) => v.cat !== 'Read')) continue;
    }
    return { param: p, values };
  }
  return undefined;
}

const CAT_WORD: Record<Category, string> = {
  Read: 'only reads',
  Write: 'changes state reversibly',
  Destructive: 'can lose data',
  Execute: 'runs code, commands or page actions',
};

/** Verdicts per action value; unknown values inherit the tool's own (non-action) category. */
export function actionVerdicts(
  found: { param: ParamInfo; values: ActionValue[] },
  base: Category,
  ctx: ToolContext,
  cues: Cues,
  committed: boolean,
): ActionVerdict[] {
  const out: ActionVerdict[] = [];
  for (const v of found.values) {
    let cat = v.cat ?? base;
    let why = v.cat
      ? `"${v.value}" ${CAT_WORD[cat]}${v.note ? ` (${v.note})` : ''}`
      : `"${v.value}" is not a verb we know, so it takes the tool's own category`;
    if (cat === 'Destructive' && committed) {
      cat = 'Write';
      why = `"${v.value}" removes content inside a commit, which history keeps`;
    }
    if (
      cat === 'Write' &&
      cues.destructiveFlags.length &&
      v.cat &&
      ['push', 'delete', 'remove'].includes(v.verb ?? '')
    )
      cat = 'Destructive';
    const { risk, reason } = assessRisk(cat, v.verb, ctx, cues);
    out.push({
      param: found.param.path,
      value: v.value,
      category: cat,
      risk,
      rationale: `${why}: ${cat}, ${risk} risk because ${reason}.`,
    });
  }
  return out;
}
