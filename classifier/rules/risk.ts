// Risk within a category (DESIGN.md's definitions and the eval README's conventions) and the tags.
import { family } from './triggers.ts';
import type { Category, Risk } from '../../data/model.ts';
import { mentions, type ToolContext } from './context.ts';
import type { Cues } from './cues.ts';
import {
  FINANCIAL_WORDS,
  LEXICON,
  MONEY_MOVING_VERBS,
  OUTBOUND_VERBS,
  PERSONAL_WORDS,
  PRIVATE_OBJECTS,
  READDABLE_OBJECTS,
  SECRET_METADATA,
  SECRET_OBJECTS,
  SHARED_OBJECTS,
  SMALL_LOSS_OBJECTS,
  VIEW_OBJECTS,
  WHOLE_STORE_OBJECTS,
} from './lexicon.ts';

export const RISK_ORDER: Risk[] = ['low', 'medium', 'high', 'critical'];
export const CATEGORY_ORDER: Category[] = ['Read', 'Write', 'Destructive', 'Execute'];
export const riskRank = (r: Risk): number => RISK_ORDER.indexOf(r);
export const catRank = (c: Category): number => CATEGORY_ORDER.indexOf(c);

const KEY_QUALIFIERS = new Set([
  'api',
  'private',
  'ssh',
  'access',
  'secret',
  'signing',
  'publishable',
  'anon',
  'deploy',
  'gpg',
  'encryption',
  'service',
]);
/** Reads of private data even when only listed or searched. */
const LISTED_PRIVATE = new Set(
  `record records row rows message messages email emails log logs comment comments history conversation
  conversations transcript transcripts channel channels code contact contacts note notes chat chats dm
  customer customers order orders invoice invoices transaction transactions payment payments event events
  user users member members trace traces issues tickets mail mailbox inbox`.split(/\s+/),
);
/** Private things named in the description's lead (narrower: prose mentions "the user" everywhere). */
const LEAD_PRIVATE = new Set(
  `messages emails mail mailbox inbox issues tickets records rows logs comments conversations transcripts
  contacts customers orders invoices transactions payments`.split(/\s+/),
);
const METADATA_WORDS = new Set([
  'info',
  'metadata',
  'stats',
  'status',
  'size',
  'sizes',
  'tree',
  'schema',
  'version',
  'versions',
]);
const GIT_HOST = /\b(?:github|gitlab|bitbucket|gitea|codeberg)\b/;
const COMMITTED_OBJECTS = new Set(['file', 'files', 'commit', 'commits']);
const LIST_VERBS = new Set(['list', 'search', 'find', 'count', 'browse', 'explore', 'lookup', 'query']);
const HIGH_WRITE_VERBS = new Set(
  `send post reply respond notify publish release merge approve reject grant revoke share unshare mute unmute
  invite broadcast announce tweet deploy escalate protect unprotect push submit email transfer page`.split(
    /\s+/,
  ),
);
const SESSION_VERBS = new Set([
  'toggle',
  'resize',
  'connect',
  'disconnect',
  'login',
  'logout',
  'switch',
  'activate',
  'deactivate',
  'focus',
  'scroll',
  'zoom',
]);
const DATA_OBJECTS = new Set([
  'file',
  'files',
  'record',
  'records',
  'data',
  'document',
  'documents',
  'row',
  'rows',
  'project',
  'repository',
  'database',
  'table',
  'feature',
  'flag',
  'flags',
  'setting',
  'settings',
  'permission',
  'permissions',
]);

/** Name words that are not the verb, falling back to the lead sentence when the name is just a verb. */
export function objectWords(ctx: ToolContext, verb: string | undefined): string[] {
  const out = ctx.nameWords.filter(
    (w) => w !== verb && w !== 'or' && w !== 'and' && LEXICON.get(w)?.kind !== 'generic',
  );
  if (out.length > 0) return out;
  return ctx.leadWords.filter((w) => w !== verb && w.length > 2);
}

function secretIn(words: string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (w === 'key' || w === 'keys') {
      const prev = words[i - 1] ?? '';
      if (KEY_QUALIFIERS.has(prev)) return `${prev} ${w}`;
      continue;
    }
    if (SECRET_OBJECTS.has(w)) {
      const next = words[i + 1] ?? '';
      if (SECRET_METADATA.has(next)) continue;
      return w;
    }
  }
  return undefined;
}

function firstIn(words: Iterable<string>, set: Set<string>): string | undefined {
  for (const w of words) if (set.has(w)) return w;
  return undefined;
}

export interface RiskResult {
  risk: Risk;
  reason: string;
}

export function assessRisk(
  cat: Category,
  verb: string | undefined,
  ctx: ToolContext,
  cues: Cues,
): RiskResult {
  const objs = objectWords(ctx, verb);
  const lead = ctx.leadWords;
  switch (cat) {
    case 'Read': {
      const secret = secretIn(ctx.nameWords) ?? secretIn(lead.slice(0, 12));
      if (secret) return { risk: 'high', reason: `it returns credentials or secrets ("${secret}")` };
      if (
        /\b(?:headers|cookies)\b/.test(ctx.leadSentence.toLowerCase()) &&
        /\brequest/.test(ctx.leadSentence.toLowerCase())
      )
        return { risk: 'high', reason: 'it returns request headers, which carry cookies and auth tokens' };
      const listing = verb !== undefined && LIST_VERBS.has(verb);
      const meta = firstIn(objs, METADATA_WORDS);
      if (meta && !firstIn(objs, PERSONAL_WORDS))
        return { risk: 'low', reason: `it returns ${meta}, not contents, and changes nothing` };
      if (
        cues.url &&
        !ctx.paramKeys.has('headers') &&
        !ctx.paramKeys.has('token') &&
        !ctx.paramKeys.has('cookies')
      )
        return { risk: 'low', reason: 'it reads public web content and changes nothing' };
      const priv =
        firstIn(objs, listing ? LISTED_PRIVATE : PRIVATE_OBJECTS) ?? firstIn(lead.slice(0, 8), LEAD_PRIVATE);
      if (priv)
        return { risk: 'medium', reason: `it reads private data (${priv}), not just public or metadata` };
      if (cues.url && (ctx.paramKeys.has('headers') || ctx.paramKeys.has('token')))
        return { risk: 'medium', reason: 'it sends requests to any URL with caller-supplied credentials' };
      return { risk: 'low', reason: 'it reads public data, metadata or listings and changes nothing' };
    }
    case 'Write': {
      if (verb && MONEY_MOVING_VERBS.has(verb) && (cues.amount || firstIn(objs, FINANCIAL_WORDS)))
        return { risk: 'critical', reason: `it moves money ("${verb}"), which cannot be called back` };
      if (cues.amount || firstIn(objs, FINANCIAL_WORDS))
        return { risk: 'high', reason: 'it changes financial records or commitments' };
      if (firstIn(objs, READDABLE_OBJECTS))
        return { risk: 'medium', reason: 'a small change that can simply be redone or undone' };
      if (verb && HIGH_WRITE_VERBS.has(verb))
        return { risk: 'high', reason: `"${verb}" has effects other people see or rely on` };
      const shared = firstIn(objs, SHARED_OBJECTS) ?? firstIn(lead.slice(0, 10), SHARED_OBJECTS);
      if (shared) return { risk: 'high', reason: `it changes ${shared}, which other people see or rely on` };
      const host = GIT_HOST.exec(
        `${ctx.descLower.slice(0, 400)} ${ctx.serverLower} ${ctx.name.toLowerCase()}`,
      );
      if (host && firstIn(objs, COMMITTED_OBJECTS))
        return { risk: 'high', reason: `it commits to a repository on ${host[0]} that others share` };
      if (cues.recipients.length)
        return { risk: 'high', reason: `it reaches other people ("${cues.recipients[0]}")` };
      if (cues.url && verb !== 'download')
        return { risk: 'high', reason: 'it sends data to an arbitrary URL' };
      if (cues.localPath && verb === 'upload')
        return { risk: 'high', reason: 'it sends local files to a remote service' };
      const sessionLead = /\b(?:this|the|current)\s+session\b/.test(ctx.leadSentence.toLowerCase());
      const dataObj = firstIn(objs, DATA_OBJECTS) ?? firstIn(lead, DATA_OBJECTS);
      const viewOnly = objs.length > 0 && objs.every((o) => VIEW_OBJECTS.has(o));
      if (!dataObj && ((verb && SESSION_VERBS.has(verb)) || viewOnly || sessionLead))
        return {
          risk: 'low',
          reason: 'it changes only session or view state and leaves the user’s data untouched',
        };
      return { risk: 'medium', reason: 'a bounded, reversible change to the user’s own data' };
    }
    case 'Destructive': {
      const whole = firstIn(ctx.nameWords, WHOLE_STORE_OBJECTS);
      if (whole) return { risk: 'critical', reason: `it can wipe a whole datastore (${whole})` };
      const small = firstIn(ctx.nameWords, SMALL_LOSS_OBJECTS);
      if (small && !cues.bulkPhrase)
        return { risk: 'medium', reason: `the loss is confined to the ${small} the call names` };
      return { risk: 'high', reason: 'data it removes or overwrites cannot be brought back' };
    }
    case 'Execute': {
      const sandboxed = cues.sandbox !== undefined;
      const launch = cues.exec.find((e) => e.kind === 'launch');
      if (launch)
        return {
          risk: 'critical',
          reason: `"${launch.param}" lets the caller choose what process runs on the host`,
        };
      const cmd = cues.exec.find((e) => e.kind === 'command' || e.kind === 'code');
      if (cmd && !sandboxed)
        return { risk: 'critical', reason: `it runs code or commands ("${cmd.param}") on the host` };
      const sql = cues.exec.find((e) => e.kind === 'sql');
      if (sql && !sandboxed)
        return cues.readOnlyClaim
          ? {
              risk: 'high',
              reason:
                'it runs raw query text; the read-only claim is enforced by the server, not the language',
            }
          : { risk: 'critical', reason: 'it runs raw query text that can change or drop data' };
      if (cues.execPhrase && cues.unsafe && !sandboxed && !ctx.browser)
        return { risk: 'critical', reason: `it runs ${cues.unsafe} code` };
      if (verb === 'hover' || verb === 'scroll' || verb === 'focus')
        return { risk: 'low', reason: 'it moves the pointer or view without submitting anything' };
      if (verb === 'fill' || verb === 'select')
        return { risk: 'medium', reason: 'it enters values in a page without submitting them' };
      return {
        risk: 'high',
        reason: sandboxed
          ? 'it runs work remotely with the user’s authority'
          : 'it acts with the user’s authority (runs jobs, code or page actions)',
      };
    }
  }
}

const OPEN_TAG_WORDS = family([
  'web',
  'internet',
  'website',
  'websites',
  'webpage',
  'webpages',
  'url',
  'urls',
]);
const POSTED = new Set(['message', 'messages', 'comment', 'reply', 'tweet', 'status']);

const BULK_NAME_WORDS = new Set(['many', 'bulk', 'batch', 'all']);

export function computeTags(cat: Category, verbs: string[], ctx: ToolContext, cues: Cues): string[] {
  const tags: string[] = [];
  const words =
    ctx.leadWords.length > 16
      ? ctx.nameWords.concat(ctx.leadWords.slice(0, 16))
      : ctx.nameWords.concat(ctx.leadWords);
  if (secretIn(words)) tags.push('credentials');
  if (firstIn(words, PERSONAL_WORDS) || ctx.paramKeys.has('email') || ctx.paramKeys.has('phone'))
    tags.push('personal-data');
  if (cues.amount || firstIn(ctx.nameWords, FINANCIAL_WORDS) || ctx.nameWords.includes('cost'))
    tags.push('financial');
  if (cat !== 'Read') {
    let outbound = cues.recipients.length > 0;
    for (const v of verbs) if (v !== 'post' && OUTBOUND_VERBS.has(v)) outbound = true;
    if (!outbound && verbs.includes('post') && firstIn(words, POSTED)) outbound = true;
    if (outbound) tags.push('outbound-message');
  }
  if (cues.url || mentions(ctx, OPEN_TAG_WORDS) || ctx.browser) tags.push('open-world');
  if (cues.bulkPhrase || cues.recursive || firstIn(ctx.nameWords, BULK_NAME_WORDS)) tags.push('bulk');
  return tags;
}
