// Declared MCP annotations are evidence, never the verdict. This file infers our own hints from the verdict
// and reports where the author's hints contradict them.
import { family } from './triggers.ts';
import type { AnnotationHints, Category, Contradiction, Evidence, ToolDefinition } from '../../data/model.ts';
import { mentions, type ToolContext } from './context.ts';
import type { Cues } from './cues.ts';

/** Writes that only add: calling them never loses or replaces what was there. */
const ADDITIVE = new Set(
  `create add insert new append post send reply respond comment react upload fork clone copy commit import
  register invite star follow subscribe tag label book schedule start trigger connect generate download
  save record remember memorize store enqueue emit draft compose mention bookmark pin duplicate provision
  log note`.split(/\s+/),
);
/** Writes that leave the same end state however often they are repeated. */
const IDEMPOTENT = new Set(
  `set update put patch move rename enable disable mute unmute close archive unarchive grant revoke assign
  unassign resize lock unlock protect unprotect mark configure upsert replace resolve activate deactivate
  pause stop switch checkout select unstar unfollow unsubscribe remove delete drop purge destroy wipe erase
  truncate clear reset discard uninstall unlink detach disconnect logout`.split(/\s+/),
);

const OPEN_WORDS = family(['web', 'internet', 'website', 'websites', 'pages', 'url', 'third', 'external']);
const LOCAL_WORDS = family([
  'local',
  'locally',
  'file',
  'filesystem',
  'knowledge',
  'working',
  'session',
  'memory',
  'disk',
]);
const LOCAL =
  /\b(?:local(?:ly)?|file ?system|knowledge graph|working (?:tree|directory)|this session|the session|in memory|on disk)\b/;
const OPEN = /\b(?:the web|internet|websites?|web pages?|any url|third-party|external (?:api|service)s?)\b/;

export interface Inferred {
  hints: AnnotationHints;
  /** Which hints rest on a specific cue rather than a default; only those are compared with the author's. */
  sure: Record<keyof AnnotationHints, boolean>;
}

export function inferAnnotations(
  cat: Category,
  verb: string | undefined,
  ctx: ToolContext,
  cues: Cues,
  tags: string[],
): Inferred {
  const readOnlyHint = cat === 'Read';
  const destructiveHint =
    cat === 'Destructive' ||
    cat === 'Execute' ||
    (cat === 'Write' && !(verb !== undefined && ADDITIVE.has(verb)));
  const idempotentHint =
    cat === 'Read' ||
    ((cat === 'Write' || cat === 'Destructive') && verb !== undefined && IDEMPOTENT.has(verb));
  const d = ctx.descLower.length > 800 ? ctx.descLower.slice(0, 800) : ctx.descLower;
  const openCue =
    cues.url !== undefined || tags.includes('open-world') || (mentions(ctx, OPEN_WORDS) && OPEN.test(d));
  const localCue =
    (mentions(ctx, LOCAL_WORDS) && LOCAL.test(d)) ||
    cues.localPath !== undefined ||
    ctx.paramKeys.has('repopath');
  const openWorldHint = openCue || !localCue;
  return {
    hints: { readOnlyHint, destructiveHint, idempotentHint, openWorldHint },
    sure: {
      readOnlyHint: true,
      destructiveHint: cat !== 'Read' && (verb !== undefined || cat !== 'Write'),
      idempotentHint: cat === 'Read' || verb !== undefined,
      openWorldHint: openCue !== localCue,
    },
  };
}

const HINTS: (keyof AnnotationHints)[] = [
  'readOnlyHint',
  'destructiveHint',
  'idempotentHint',
  'openWorldHint',
];

export function declaredEvidence(tool: ToolDefinition): Evidence[] {
  const a = tool.annotations as Record<string, unknown> | undefined;
  if (!a || typeof a !== 'object') return [];
  const out: Evidence[] = [];
  for (const h of HINTS) {
    const v = a[h];
    if (typeof v !== 'boolean') continue;
    out.push({
      signal: 'annotation',
      excerpt: `${h}: ${v}`,
      ...(h === 'readOnlyHint' ? { suggests: v ? ('Read' as const) : undefined } : {}),
      note: 'declared by the author; a hint we compare against, not a verdict we adopt',
    });
  }
  return out.map((e) =>
    e.suggests === undefined ? { signal: e.signal, excerpt: e.excerpt, note: e.note } : e,
  );
}

export function contradictions(tool: ToolDefinition, inferred: Inferred, cat: Category): Contradiction[] {
  const a = tool.annotations as Record<string, unknown> | undefined;
  if (!a || typeof a !== 'object') return [];
  const out: Contradiction[] = [];
  for (const h of HINTS) {
    const declared = a[h];
    if (typeof declared !== 'boolean' || !inferred.sure[h]) continue;
    const mine = inferred.hints[h];
    if (declared === mine) continue;
    // destructiveHint means nothing on a tool declared read-only (the spec says so).
    if (h === 'destructiveHint' && a.readOnlyHint === true) continue;
    out.push({ hint: h, declared, inferred: mine, message: explain(h, declared, cat) });
  }
  return out;
}

function explain(h: keyof AnnotationHints, declared: boolean, cat: Category): string {
  switch (h) {
    case 'readOnlyHint':
      return declared
        ? `declared read-only, but its definition shows a ${cat} tool`
        : 'declared as changing state, but nothing in its definition does more than read';
    case 'destructiveHint':
      return declared
        ? `declared destructive, but it only adds (${cat})`
        : `declared non-destructive, but as a ${cat} tool it can replace, remove or run things`;
    case 'idempotentHint':
      return declared
        ? 'declared idempotent, but repeating the call repeats its effect'
        : 'declared non-idempotent, but repeating the call leaves the same end state';
    case 'openWorldHint':
      return declared
        ? 'declared open-world, but it works only on local or session state'
        : 'declared closed-world, but it reaches the web or external services';
  }
}
