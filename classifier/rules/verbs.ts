// Verb signals: which verb in the tool's name and the lead sentence of its description says what it does,
// and what an ambiguous verb (set, run, clear, reset, remove, open, start, ...) means given its object.
import type { Category } from '../../data/model.ts';
import type { ToolContext } from './context.ts';
import {
  ACCESS_OBJECTS,
  EXEC_OBJECTS,
  LOCAL_PATH_PARAMS,
  READDABLE_OBJECTS,
  VIEW_OBJECTS,
  lookupVerb,
  type VerbInfo,
} from './lexicon.ts';

export interface VerbHit {
  /** The verb's dictionary form. */
  verb: string;
  /** The word as it appeared. */
  word: string;
  where: 'name' | 'description' | 'action';
  cat: Category;
  /** Weak: an ambiguous verb whose object did not settle it; the description may overrule it. */
  weak: boolean;
  note: string;
}

/** Words that are verbs only when they lead a name (`tag_release`), nouns elsewhere (`git_tag`). */
const NOUNISH = new Set(
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
/** Name prefixes that carry no meaning of their own (`API-post-search`, `mcp_get_x`). */
const LEAD_PREFIX = new Set(['api', 'mcp', 'tool', 'tools']);
const COMPOUND_NOUNS: Record<string, string> = { pull: 'request', merge: 'request' };

function plain(cat: Category, note: string): { cat: Category; weak: boolean; note: string } {
  return { cat, weak: false, note };
}
function weak(cat: Category, note: string): { cat: Category; weak: boolean; note: string } {
  return { cat, weak: true, note };
}

const hasAny = (objects: Set<string>, list: Set<string>): string | undefined => {
  for (const o of objects) if (list.has(o)) return o;
  return undefined;
};
const hasLocalPath = (ctx: ToolContext): string | undefined => {
  for (const p of ctx.params) if (LOCAL_PATH_PARAMS.has(p.key)) return p.name;
  return undefined;
};

const CLEAR_SOFT = new Set([
  'cache',
  'selection',
  'console',
  'screen',
  'filter',
  'filters',
  'highlight',
  'highlights',
  'session',
  'notifications',
  'badge',
  'status',
  'input',
  'field',
  'form',
  'search',
]);
const RESET_SOFT = new Set([
  'view',
  'zoom',
  'filter',
  'filters',
  'counter',
  'counters',
  'session',
  'timer',
  'layout',
]);
const RESET_CRED = new Set(['password', 'pin', 'mfa', '2fa', 'credentials', 'secret', 'token']);
const PARTIAL = new Set([
  'range',
  'line',
  'lines',
  'text',
  'string',
  'section',
  'part',
  'block',
  'word',
  'occurrence',
  'occurrences',
  'match',
  'matches',
  'snippet',
]);
const MATH_OBJECTS = new Set(['math', 'arithmetic', 'formula', 'calculator', 'equation', 'numeric']);
const PROGRAM_OBJECTS = new Set(['js', 'javascript', 'script', 'code', 'python', 'program']);
const CODE_OBJECTS = new Set(['js', 'javascript', 'script', 'expression', 'function', 'code']);

/**
 * Settle a verb against its objects. Returns undefined when the word is not acting as a verb here
 * (e.g. `run` in prose without anything to run: the next verb decides).
 */
export { MATH_OBJECTS };

export function resolveVerb(
  verb: string,
  info: VerbInfo,
  objects: Set<string>,
  ctx: ToolContext,
  where: VerbHit['where'],
  atStart: boolean,
): { cat: Category; weak: boolean; note: string } | undefined {
  const b = ctx.browser;
  if (info.kind !== 'ambiguous') {
    if (b && info.cat === 'Execute') return plain('Execute', `drives the page in a browser (${b})`);
    return plain(info.cat, '');
  }
  const exec = hasAny(objects, EXEC_OBJECTS);
  switch (verb) {
    case 'call':
      if (exec || ctx.nameWords.includes('tool') || ctx.nameWords.includes('procedure'))
        return plain('Execute', exec ? `calls a ${exec}` : 'calls another tool or procedure');
      return weak('Write', '');
    case 'run':
    case 'execute':
      if (where === 'description' && !exec) return undefined;
      return plain('Execute', exec ? `runs a ${exec}` : 'runs something it is given');
    case 'start':
    case 'trigger':
    case 'dispatch':
      if (exec) return plain('Execute', `starts a ${exec}`);
      return verb === 'dispatch' ? plain('Write', '') : weak('Write', '');
    case 'set':
    case 'apply':
    case 'fix':
    case 'close':
    case 'post':
    case 'push':
    case 'cancel':
    case 'install':
    case 'deploy':
    case 'confirm':
    case 'burn':
      return plain('Write', '');
    case 'clear': {
      const soft = hasAny(objects, CLEAR_SOFT) ?? hasAny(objects, VIEW_OBJECTS);
      return soft ? plain('Write', `clears only ${soft} state`) : plain('Destructive', 'clears stored data');
    }
    case 'reset': {
      const cred = hasAny(objects, RESET_CRED);
      if (cred) return plain('Write', `resets a ${cred}`);
      const soft = hasAny(objects, RESET_SOFT);
      return soft
        ? plain('Write', `resets only ${soft} state`)
        : plain('Destructive', 'resets state, discarding what was there');
    }
    case 'delete':
    case 'remove':
    case 'trash': {
      const re = hasAny(objects, READDABLE_OBJECTS);
      if (re) return plain('Write', `removes a ${re}, which can simply be added back`);
      const acc = hasAny(objects, ACCESS_OBJECTS);
      if (acc) return plain('Write', `removes ${acc} (a permission change, no data lost)`);
      return plain('Destructive', '');
    }
    case 'clean':
    case 'prune':
    case 'empty':
      return plain('Destructive', '');
    case 'submit':
      return b ? plain('Execute', `submits a form in a browser (${b})`) : plain('Write', '');
    case 'open': {
      if (ctx.paramKeys.has('url') || objects.has('url') || objects.has('browser') || objects.has('website'))
        return plain('Execute', 'opens a URL, driving a browser or process');
      return plain('Read', '');
    }
    case 'download': {
      const lp = hasLocalPath(ctx);
      return lp ? plain('Write', `saves files locally (parameter "${lp}")`) : plain('Read', '');
    }
    case 'generate': {
      if (objects.has('key') || objects.has('token') || objects.has('password') || objects.has('secret'))
        return plain('Write', 'creates a credential');
      if (objects.has('file') || objects.has('files')) return plain('Write', 'writes a file');
      return plain('Read', 'computes an output without storing it');
    }
    case 'log':
    case 'record':
    case 'tag':
    case 'draft':
      return atStart ? plain(verb === 'log' && objects.size <= 1 ? 'Read' : 'Write', '') : undefined;
    case 'format':
    case 'sort':
      return plain('Read', '');
    case 'resolve':
      for (const o of [
        'issue',
        'issues',
        'incident',
        'alert',
        'thread',
        'conversation',
        'comment',
        'ticket',
        'conflict',
      ])
        if (objects.has(o)) return plain('Write', `resolves a ${o}`);
      return plain('Read', '');
    case 'go':
      return b ? plain('Execute', `navigates the page (${b})`) : weak('Write', '');
    case 'skip':
      return atStart ? plain('Write', '') : undefined;
    case 'evaluate':
      if (hasAny(objects, MATH_OBJECTS) && !hasAny(objects, PROGRAM_OBJECTS))
        return plain('Read', 'evaluates arithmetic');
      if (
        b ||
        hasAny(objects, CODE_OBJECTS) ||
        ctx.paramKeys.has('script') ||
        ctx.paramKeys.has('expression') ||
        ctx.paramKeys.has('function')
      )
        return plain('Execute', 'evaluates code');
      return plain('Read', '');
    case 'replace': {
      const part = hasAny(objects, PARTIAL);
      return part
        ? plain('Write', `replaces part of the content (${part})`)
        : plain('Destructive', 'replaces content wholesale');
    }
    case 'write':
      return plain('Write', '');
    case 'select':
      if (objects.has('tab') || objects.has('tabs')) return plain('Write', 'switches the active tab');
      return b ? plain('Execute', `selects on a page (${b})`) : weak('Write', '');
    case 'type':
      if (!b) return undefined;
      return plain('Execute', `types into a page (${b})`);
    case 'press':
    case 'fill':
    case 'drag':
    case 'upload':
      return b ? plain('Execute', `acts on a page (${b})`) : plain('Write', '');
    case 'hover':
    case 'scroll':
    case 'focus':
      return b ? plain('Execute', `acts on a page (${b})`) : weak('Write', '');
  }
  return plain(info.cat, '');
}

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
      if (r) extra.push(mkHit(hit.verb, t, 'description', r));
    }
  }
  return { lead, leadExtra: extra };
}
