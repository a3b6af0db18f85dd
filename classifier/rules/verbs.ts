// Verb signals: which verb in the tool's name and the lead sentence of its description says what it does.
// What an ambiguous verb means given its object is settled in resolve.ts.
import type { Category } from '../../data/model.ts';
import type { ToolContext } from './context.ts';
import { lookupVerb } from './lexicon.ts';
import { resolveVerb, type Where } from './resolve.ts';

export { resolveVerb } from './resolve.ts';

export interface VerbHit {
  /** The verb's dictionary form. */
  verb: string;
  /** The word as it appeared. */
  word: string;
  where: Where;
  cat: Category;
  /** Weak: an ambiguous verb whose object did not settle it; the description may overrule it. */
  weak: boolean;
  note: string;
}

/** Words that are verbs only when they lead a name (`tag_release`), nouns elsewhere (`git_tag`). */
export const NOUNISH = new Set(
  `record tag log draft order book test sample plan stage label star like mark link pin snapshot screenshot
  status info end return review release schedule store transfer charge request pull merge post comment reply
  note vote message email trace index copy page dump filter score rank select lock key patch query check diff
  lint new type export change view commit search find open close report alert event audit branch format sort
  deposit bridge swap stake order scan show think mint burn`.split(/\s+/),
);
/** In prose these are usually nouns or adjectives whatever their position. */
const PROSE_SKIP = new Set(['new', 'type', 'tag', 'draft', 'record', 'info', 'status', 'end', 'order']);
const ARTICLES = new Set([
  'a',
  'an',
  'the',
  'this',
  'that',
  'each',
  'your',
  'of',
  'its',
  'their',
  'any',
  'our',
]);
const NOUN_HEADS = new Set(
  `history log logs list details detail info status summary count stats diff metadata id ids url urls
  settings config template templates type types schema`.split(/\s+/),
);
const UNSETTERS = new Set(['set', 'update', 'add', 'assign', 'edit', 'change']);
/** Name prefixes that carry no meaning of their own (`API-post-search`, `mcp_get_x`). */
const LEAD_PREFIX = new Set(['api', 'mcp', 'tool', 'tools']);
const COMPOUND_NOUNS: Record<string, string> = { pull: 'request', merge: 'request' };

export interface VerbFindings {
  name: VerbHit | undefined;
  nameExtra: VerbHit[];
  nameGeneric: string | undefined;
  lead: VerbHit | undefined;
  leadExtra: VerbHit[];
}

function mkHit(
  verb: string,
  word: string,
  where: VerbHit['where'],
  r: { cat: Category; weak: boolean; note: string },
): VerbHit {
  return { verb, word, where, cat: r.cat, weak: r.weak, note: r.note };
}

/** The verb the name leads with (or, for object_verb names, the first real verb), plus `or`/`and` extras. */
export function nameVerbs(ctx: ToolContext): Pick<VerbFindings, 'name' | 'nameExtra' | 'nameGeneric'> {
  const w = ctx.nameWords;
  let primary: VerbHit | undefined;
  let weakCandidate: VerbHit | undefined;
  let generic: string | undefined;
  const extra: VerbHit[] = [];
  let primaryAt = -1;
  for (let i = 0; i < w.length && i < 12; i++) {
    const word = w[i] ?? '';
    const next = w[i + 1];
    if (COMPOUND_NOUNS[word] && (next === COMPOUND_NOUNS[word] || next === COMPOUND_NOUNS[word] + 's')) {
      if (i === 0 && w[i + 2] === undefined) break;
      i++;
      continue;
    }
    const hit = lookupVerb(word, false);
    if (!hit) continue;
    if (hit.info.kind === 'generic') {
      generic ??= word;
      continue;
    }
    const atStart = i === 0 || w.slice(0, i).every((x) => LEAD_PREFIX.has(x));
    // `commit_history`, `order_details`: a noun-like lead word followed by a noun head is a compound noun.
    if (atStart && NOUNISH.has(word) && next !== undefined && NOUN_HEADS.has(next)) continue;
    const r = resolveVerb(hit.verb, hit.info, ctx.objects, ctx, 'name', atStart);
    if (!r) continue;
    const h = mkHit(hit.verb, word, 'name', r);
    // HTTP-method prefixes: `post_search` is a search sent as POST.
    if (atStart && (word === 'post' || word === 'put') && next) {
      const n = lookupVerb(next, false);
      if (n && n.info.cat === 'Read' && n.info.kind !== 'generic') {
        const r2 = resolveVerb(n.verb, n.info, ctx.objects, ctx, 'name', false);
        if (r2) {
          primary = mkHit(n.verb, next, 'name', {
            ...r2,
            note: `a ${r2.cat === 'Read' ? 'query' : 'call'} sent as HTTP ${word.toUpperCase()}`,
          });
          primaryAt = i + 1;
          break;
        }
      }
    }
    if (!atStart && NOUNISH.has(word)) {
      weakCandidate ??= { ...h, weak: true };
      continue;
    }
    primary = h;
    primaryAt = i;
    break;
  }
  if (primary) {
    for (let j = primaryAt + 1; j < w.length - 1 && j < 16; j++) {
      if (w[j] !== 'or' && w[j] !== 'and') continue;
      const word = w[j + 1] ?? '';
      const hit = lookupVerb(word, false);
      if (!hit || hit.info.kind === 'generic') continue;
      const r = resolveVerb(hit.verb, hit.info, ctx.objects, ctx, 'name', true);
      if (r) extra.push(mkHit(hit.verb, word, 'name', r));
    }
  }
  return { name: primary ?? weakCandidate, nameExtra: extra, nameGeneric: generic };
}

const LEAD_FILLER = new Set([
  'this',
  'tool',
  'use',
  'allows',
  'you',
  'to',
  'helps',
  'lets',
  'can',
  'be',
  'used',
  'is',
  'a',
  'an',
  'the',
]);

/** The lead verb of the description's first usable sentence, plus verbs coordinated with it. */
export function descriptionVerbs(ctx: ToolContext): Pick<VerbFindings, 'lead' | 'leadExtra'> {
  if (!ctx.leadSentence) return { lead: undefined, leadExtra: [] };
  const toks = ctx.leadTokens;
  let lead: VerbHit | undefined;
  let leadAt = -1;
  let words = 0;
  for (let i = 0; i < toks.length && words < 14; i++) {
    const t = toks[i] ?? '';
    if (t.length === 1 && !/[a-z]/.test(t)) continue;
    words++;
    if (LEAD_FILLER.has(t)) continue;
    const prev = toks[i - 1];
    if (prev && ARTICLES.has(prev)) continue;
    if (PROSE_SKIP.has(t)) continue;
    const hit = lookupVerb(t, true);
    if (!hit || hit.info.kind === 'generic') continue;
    const r = resolveVerb(hit.verb, hit.info, ctx.objects, ctx, 'description', words === 1);
    if (!r) continue;
    lead = mkHit(hit.verb, t, 'description', r);
    leadAt = i;
    break;
  }
  const extra: VerbHit[] = [];
  if (lead) {
    // Verbs coordinated with the lead ("list, create, or delete"). A comma followed by a non-verb ends the
    // list: "lists notifications, including mentions" is a list of things, not of actions.
    for (let i = leadAt + 1; i < toks.length && i < leadAt + 30; i++) {
      const t = toks[i] ?? '';
      if (t === ';' || t === '(' || t === ')') break;
      const prev = toks[i - 1];
      if (prev !== ',' && prev !== 'or' && prev !== 'and' && prev !== ':') continue;
      if (t === ',' || t === 'or' || t === 'and') continue;
      const hit = PROSE_SKIP.has(t) ? undefined : lookupVerb(t, true);
      if (!hit || hit.info.kind === 'generic') {
        if (prev === ',') break;
        continue;
      }
      // Nouns that look like verbs (`replay`, `commits`) do not extend the list.
      if (NOUNISH.has(hit.verb) || hit.derived) continue;
      const r = resolveVerb(hit.verb, hit.info, ctx.objects, ctx, 'description', false);
      if (!r) continue;
      // "Set or remove the type": removing a value that was just set is unsetting it, not losing data.
      if (
        r.cat === 'Destructive' &&
        UNSETTERS.has(lead.verb) &&
        (hit.verb === 'remove' || hit.verb === 'clear' || hit.verb === 'delete')
      )
        extra.push(
          mkHit(hit.verb, t, 'description', {
            cat: 'Write',
            weak: false,
            note: `unsets what "${lead.word}" sets`,
          }),
        );
      else extra.push(mkHit(hit.verb, t, 'description', r));
    }
  }
  return { lead, leadExtra: extra };
}
