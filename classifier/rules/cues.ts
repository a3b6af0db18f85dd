// Schema and description cues: parameters that carry code or raw query text, flags that make a write lose
// data, recipients, URLs and amounts, and description phrases (overwrite, arbitrary code, read-only).
import { family } from './triggers.ts';
import type { Category, Evidence } from '../../data/model.ts';
import { excerptAt } from '../text.ts';
import { mentions, type ParamInfo, type ToolContext } from './context.ts';
import { MATH_OBJECTS } from './resolve.ts';
import {
  DESTRUCTIVE_FLAGS,
  EXEC_PARAMS_CONTEXT,
  EXEC_PARAMS_STRONG,
  LOCAL_PATH_PARAMS,
  RECIPIENT_PARAMS,
} from './lexicon.ts';

export interface Cues {
  /** Free-form code, command or raw query text: forces Execute. */
  exec: {
    param: string;
    kind: 'command' | 'sql' | 'code' | 'page-script' | 'launch' | 'pipeline';
    note: string;
  }[];
  /** Boolean flags that make a write lose data. */
  destructiveFlags: string[];
  /** Destructive flags that are on unless the caller turns them off. */
  destructiveByDefault: string[];
  /** Strong description phrases of loss, not negated. */
  destructivePhrase: string | undefined;
  /** Strong description phrases of code execution. */
  execPhrase: string | undefined;
  readOnlyClaim: string | undefined;
  /** "Starts a new analysis if needed": a side effect stated by a tool that otherwise reads. */
  sideEffect: string | undefined;
  sandbox: string | undefined;
  unsafe: string | undefined;
  bulkPhrase: string | undefined;
  recipients: string[];
  url: string | undefined;
  localPath: string | undefined;
  amount: string | undefined;
  confirmParam: string | undefined;
  recursive: string | undefined;
  filterParam: string | undefined;
  evidence: Evidence[];
}

const CUE_TEXT_CAP = 1_500;
// Trigger words: each phrase pattern below contains one of its list, so it runs only when one occurs.
const SQL_WORDS = family([
  'sql',
  'cypher',
  'sparql',
  'ddl',
  'dml',
  'hql',
  'cql',
  'n1ql',
  'psql',
  'mysql',
  'postgres',
  'postgresql',
  'sqlite',
  'select',
  'insert',
  'create',
]);
const DESTRUCT_WORDS = family([
  'overwrite',
  'overwrites',
  'overwritten',
  'overwriting',
  'permanently',
  'cannot',
  'irreversibly',
  'wipe',
  'wipes',
  'erase',
  'erases',
  'destroy',
  'destroys',
  'drop',
  'drops',
  'delete',
  'deletes',
  'remove',
  'removes',
  'truncate',
  'truncates',
  'discard',
  'discards',
  'lose',
  'loses',
  'losing',
]);
const EXEC_WORDS = family([
  'arbitrary',
  'shell',
  'execute',
  'executes',
  'executed',
  'executing',
  'execution',
  'run',
  'runs',
  'running',
  'evaluate',
  'evaluates',
  'evaluating',
  'evaluation',
]);
const READONLY_WORDS = family([
  'read',
  'readonly',
  'modify',
  'change',
  'write',
  'alter',
  'mutate',
  'modifying',
  'changing',
  'altering',
  'side',
  'destructive',
  'reads',
]);
const SIDE_EFFECT_WORDS = family([
  'starts',
  'creates',
  'triggers',
  'launches',
  'spawns',
  'kicks',
  'schedules',
]);
const SIDE_EFFECT =
  /\b(?:starts|creates|triggers|launches|spawns|kicks\s+off|schedules)\s+(?:a\s+|an\s+)?new\b/g;
const SANDBOX_WORDS = family(['sandbox', 'sandboxed', 'remote', 'cloud', 'isolated', 'ci']);
const UNSAFE_WORDS = family(['unsafe', 'unrestricted', 'arbitrary', 'host', 'local']);
const BULK_WORDS = family(['all', 'every', 'bulk']);
const FREE_TYPES = new Set(['string', 'object', 'array', 'unknown', 'union', 'string|object']);
const SQLISH =
  /\b(?:sql|cypher|sparql|ddl|dml|hql|cql|n1ql|psql|mysql|postgres(?:ql)?|sqlite|select\s+\S+\s+from|insert\s+into|create\s+table)\b/;
const EXEC_VERBS = /\b(?:run|runs|execute|executes|executing|eval|evaluate|evaluates|interpret|interprets)\b/;

const NEGATION = /\b(?:not|never|no|without|won't|doesn't|don't|cannot|can't|nor)\b[^.;]{0,24}$/;
const DESTRUCT_PHRASE =
  /\b(?:overwrit\w*|permanently\s+(?:delet|remov|eras|destroy)\w*|cannot\s+be\s+(?:undone|reversed|recovered)|irreversibly\s+\w+|wipes?\b|erases?\b|destroys?\b|drops?\s+(?:the\s+|a\s+)?(?:table|database|collection|schema)|(?:deletes?|removes?)\s+all\b|truncates?\b|discards?\s+(?:all\s+|any\s+)?(?:uncommitted\s+|local\s+|unsaved\s+)?changes|los(?:e|es|ing)\s+(?:all\s+)?(?:uncommitted\s+|local\s+|unsaved\s+)?(?:changes|data|work))/g;
const EXEC_PHRASE =
  /\b(?:arbitrary\s+(?:code|commands?|javascript|js|sql|scripts?|shell|programs?)|shell\s+commands?|(?:execut\w*|runs?|running|evaluat\w*)\s+(?:a\s+|an\s+|the\s+|any\s+)?(?:shell|bash|terminal|javascript|js|python|sql|code|commands?|scripts?|snippets?)\b)/g;
const READONLY_PHRASE =
  /\b(?:read-only|read only|readonly|does\s+not\s+(?:modify|change|write|alter|mutate)|doesn't\s+(?:modify|change|write)|without\s+(?:modifying|changing|altering)|no\s+side[- ]effects|non-destructive|only\s+reads)\b/;
const SANDBOX =
  /\b(?:sandbox(?:ed)?|remote\s+browser|cloud\s+browser|isolated\s+(?:container|environment)|on\s+ci\b|ci\/cd)\b/;
const UNSAFE = /\b(?:unsafe|unrestricted|arbitrary|on\s+the\s+host|host\s+machine|local\s+machine)\b/;
const BULK =
  /\b(?:all\s+(?:the\s+)?(?:documents|records|rows|items|files|keys|entries|objects|messages)(?:\s+that)?\s+match|every\s+(?:document|record|row|item|entry)\s+that|in\s+bulk|(?:updates?|deletes?|removes?)\s+all\b)/;

function firstUnnegated(re: RegExp, text: string): { text: string; at: number } | undefined {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const before = text.slice(Math.max(0, m.index - 30), m.index);
    if (!NEGATION.test(before)) return { text: m[0], at: m.index };
  }
  return undefined;
}

function hasMath(ctx: ToolContext): boolean {
  for (const o of ctx.objects) if (MATH_OBJECTS.has(o)) return true;
  return (
    ctx.nameWords.includes('calculate') || ctx.nameWords.includes('calc') || ctx.nameWords.includes('compute')
  );
}

function isFree(p: ParamInfo): boolean {
  return p.enumValues.length === 0 && FREE_TYPES.has(p.type);
}

export function collectCues(ctx: ToolContext, nameCat: Category | undefined): Cues {
  const evidence: Evidence[] = [];
  const cues: Cues = {
    exec: [],
    destructiveFlags: [],
    destructiveByDefault: [],
    destructivePhrase: undefined,
    execPhrase: undefined,
    readOnlyClaim: undefined,
    sideEffect: undefined,
    sandbox: undefined,
    unsafe: undefined,
    bulkPhrase: undefined,
    recipients: [],
    url: undefined,
    localPath: undefined,
    amount: undefined,
    confirmParam: undefined,
    recursive: undefined,
    filterParam: undefined,
    evidence,
  };
  // Phrase cues read the first part of the description, where behaviour is stated.
  const d = ctx.descLower.length > CUE_TEXT_CAP ? ctx.descLower.slice(0, CUE_TEXT_CAP) : ctx.descLower;
  const sqlContext =
    (mentions(ctx, SQL_WORDS) && SQLISH.test(d)) ||
    SQLISH.test(ctx.serverLower) ||
    ctx.nameWords.includes('sql');
  const execVerbContext =
    EXEC_VERBS.test(ctx.leadSentence.toLowerCase()) ||
    ctx.nameWords.some(
      (w) => w === 'run' || w === 'exec' || w === 'execute' || w === 'eval' || w === 'evaluate',
    );

  const hasBody = ['body', 'text', 'message', 'subject', 'content', 'html'].some((x) => ctx.paramKeys.has(x));
  for (const p of ctx.params) {
    if (p.depth > 2) continue;
    const k = p.key;
    if (EXEC_PARAMS_STRONG.has(k) && (isFree(p) || k === 'launchoptions' || k === 'executablepath')) {
      const kind =
        k === 'sql' || k === 'cypher' || k === 'sparql'
          ? 'sql'
          : k === 'launchoptions' || k === 'executablepath'
            ? 'launch'
            : k === 'script' || k === 'scripts'
              ? ctx.browser
                ? 'page-script'
                : 'code'
              : 'command';
      const note =
        kind === 'sql'
          ? 'takes raw query text'
          : kind === 'launch'
            ? 'takes process launch options, which can choose the executable'
            : kind === 'page-script'
              ? 'takes a script to run in the page'
              : 'takes a command or script to run';
      cues.exec.push({ param: p.name, kind, note });
      continue;
    }
    if (EXEC_PARAMS_CONTEXT.has(k) && isFree(p)) {
      const pd = p.description.toLowerCase();
      if (k === 'query' || k === 'statement' || k === 'statements') {
        if (sqlContext || SQLISH.test(pd))
          cues.exec.push({
            param: p.name,
            kind: 'sql',
            note: 'takes raw query text (SQL or a query language)',
          });
      } else if (k === 'pipeline') {
        if (ctx.nameWords.includes('aggregate') || /\baggregat/.test(d))
          cues.exec.push({
            param: p.name,
            kind: 'pipeline',
            note: 'takes an aggregation pipeline, whose output stages can write',
          });
      } else if (k === 'expression' && hasMath(ctx)) {
        continue;
      } else if (execVerbContext || (ctx.browser && (k === 'function' || k === 'expression'))) {
        cues.exec.push({
          param: p.name,
          kind: ctx.browser && !UNSAFE.test(d) ? 'page-script' : 'code',
          note: ctx.browser ? 'takes code to evaluate' : 'takes code to run',
        });
      }
      continue;
    }
    if ((p.type === 'boolean' || p.type === 'unknown') && p.depth <= 1 && DESTRUCTIVE_FLAGS.has(k)) {
      cues.destructiveFlags.push(p.name);
      if (p.defaultValue === true) cues.destructiveByDefault.push(p.name);
      continue;
    }
    if (
      RECIPIENT_PARAMS.has(k) &&
      p.depth <= 1 &&
      (p.type === 'string' || p.type === 'array') &&
      (k !== 'to' || hasBody)
    )
      cues.recipients.push(p.name);
    else if (k === 'url' || k === 'urls' || k === 'endpoint' || k === 'webhook') cues.url ??= p.name;
    else if (LOCAL_PATH_PARAMS.has(k)) cues.localPath ??= p.name;
    else if (k === 'amount' || k === 'price' || k === 'currency' || k === 'value_usd' || k === 'amountcents')
      cues.amount ??= p.name;
    else if ((k === 'confirm' || k === 'confirmed' || k === 'confirmation') && p.type === 'boolean')
      cues.confirmParam = p.name;
    else if (k === 'recursive' || k === 'recurse') cues.recursive = p.name;
    else if (k === 'filter' || k === 'where' || k === 'query' || k === 'selector')
      cues.filterParam ??= p.name;
  }

  const dp = mentions(ctx, DESTRUCT_WORDS) ? firstUnnegated(DESTRUCT_PHRASE, d) : undefined;
  if (dp) cues.destructivePhrase = excerptAt(ctx.desc, dp.at, dp.at + dp.text.length, 70);
  const ep = mentions(ctx, EXEC_WORDS) ? firstUnnegated(EXEC_PHRASE, d) : undefined;
  if (ep) cues.execPhrase = excerptAt(ctx.desc, ep.at, ep.at + ep.text.length, 70);
  const ro = mentions(ctx, READONLY_WORDS) ? READONLY_PHRASE.exec(d) : null;
  if (ro) cues.readOnlyClaim = excerptAt(ctx.desc, ro.index, ro.index + ro[0].length, 60);
  else if (
    sqlContext &&
    (ctx.nameWords.includes('read') || /\bselect\s+(?:queries|query|statements?)\b|\bonly\s+select\b/.test(d))
  )
    cues.readOnlyClaim = ctx.nameWords.includes('read') ? `name "${ctx.name}"` : 'SELECT queries only';
  const se = mentions(ctx, SIDE_EFFECT_WORDS) ? firstUnnegated(SIDE_EFFECT, d) : undefined;
  if (se) cues.sideEffect = excerptAt(ctx.desc, se.at, se.at + se.text.length, 60);
  const sb = mentions(ctx, SANDBOX_WORDS) ? SANDBOX.exec(d) : null;
  if (sb) cues.sandbox = sb[0];
  const us =
    (mentions(ctx, UNSAFE_WORDS) ? UNSAFE.exec(d) : null) ??
    (ctx.nameWords.includes('unsafe') ? ['unsafe'] : null);
  if (us) cues.unsafe = us[0];
  const bk = mentions(ctx, BULK_WORDS) ? BULK.exec(d) : null;
  if (bk) cues.bulkPhrase = excerptAt(ctx.desc, bk.index, bk.index + bk[0].length, 60);

  for (const e of cues.exec)
    evidence.push({
      signal: 'schema',
      excerpt: e.param,
      suggests: 'Execute',
      note: `parameter "${e.param}" ${e.note}`,
    });
  if (nameCat !== 'Read')
    for (const f of cues.destructiveFlags)
      evidence.push({
        signal: 'schema',
        excerpt: f,
        suggests: 'Destructive',
        note: cues.destructiveByDefault.includes(f)
          ? `boolean "${f}" discards data and defaults to true`
          : `boolean "${f}" lets a call discard data`,
      });
  if (cues.destructivePhrase)
    evidence.push({
      signal: 'description',
      excerpt: cues.destructivePhrase,
      suggests: 'Destructive',
      note: 'the description states data is lost or overwritten',
    });
  if (cues.execPhrase)
    evidence.push({
      signal: 'description',
      excerpt: cues.execPhrase,
      suggests: 'Execute',
      note: 'the description says it runs code or commands',
    });
  if (cues.readOnlyClaim)
    evidence.push({
      signal: 'description',
      excerpt: cues.readOnlyClaim,
      suggests: 'Read',
      note: 'the description claims it is read-only (a claim, weighed below code or change cues)',
    });
  if (cues.recipients.length)
    evidence.push({
      signal: 'schema',
      excerpt: cues.recipients.slice(0, 3).join(', '),
      note: 'names recipients or a channel: output reaches other people',
    });
  if (cues.url)
    evidence.push({
      signal: 'schema',
      excerpt: cues.url,
      note: `parameter "${cues.url}" takes a URL: it reaches arbitrary hosts`,
    });
  if (cues.localPath)
    evidence.push({
      signal: 'schema',
      excerpt: cues.localPath,
      note: `parameter "${cues.localPath}" names a local path`,
    });
  if (cues.amount)
    evidence.push({
      signal: 'schema',
      excerpt: cues.amount,
      note: `parameter "${cues.amount}" is a sum of money`,
    });
  if (cues.confirmParam)
    evidence.push({
      signal: 'schema',
      excerpt: cues.confirmParam,
      note: `requires "${cues.confirmParam}": the author treats the call as dangerous`,
    });
  if (cues.sideEffect)
    evidence.push({
      signal: 'description',
      excerpt: cues.sideEffect,
      suggests: 'Write',
      note: 'the description states a side effect: it starts or creates something new',
    });
  if (cues.bulkPhrase)
    evidence.push({
      signal: 'description',
      excerpt: cues.bulkPhrase,
      note: 'acts on everything that matches, not on named items',
    });
  return cues;
}
