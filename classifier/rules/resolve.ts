// Settles what an ambiguous verb (set, run, clear, reset, remove, open, start, ...) means given its object
// and context: the browser, the parameters and the words around it.
import type { Category } from '../../data/model.ts';
import type { ToolContext } from './context.ts';
import {
  ACCESS_OBJECTS,
  EXEC_OBJECTS,
  LOCAL_PATH_PARAMS,
  READDABLE_OBJECTS,
  VIEW_OBJECTS,
  type VerbInfo,
} from './lexicon.ts';

export type Where = 'name' | 'description' | 'action';

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
  where: Where,
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
    case 'confirm':
      // Confirming with the user (an elicitation) reads; confirming an order writes. Let the description say.
      return weak('Write', '');
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
