// Rules classifier v1. Reads a bounded view of the tool (rules/context.ts), finds the verb that says what
// it does (rules/verbs.ts), escalates on schema and description cues (rules/cues.ts), splits multi-action
// tools (rules/actions.ts), then sets risk and tags (rules/risk.ts) and writes the rationale. Declared
// annotations and the poisoning scan only add evidence and flags; neither moves the category or risk.
import type {
  ActionVerdict,
  Category,
  Evidence,
  Flag,
  Risk,
  ToolDefinition,
  Verdict,
} from '../data/model.ts';
import type { ClassifyContext } from './index.ts';
import { scanPoisoning } from './poisoning.ts';
import { clip } from './text.ts';
import { actionVerdicts, findActionParam } from './rules/actions.ts';
import { contradictions, declaredEvidence, inferAnnotations } from './rules/annotations.ts';
import { buildContext, walkSchema, type ToolContext } from './rules/context.ts';
import { collectCues, type Cues } from './rules/cues.ts';
import { buildRationale } from './rules/rationale.ts';
import { assessRisk, catRank, computeTags, riskRank } from './rules/risk.ts';
import { descriptionVerbs, nameVerbs, NOUNISH, type VerbHit } from './rules/verbs.ts';
import { LEXICON } from './rules/lexicon.ts';

export { splitWords } from './text.ts';

interface Decision {
  cat: Category;
  verb: string | undefined;
  reason: string;
  /** 0..1 contribution to confidence from how the category was found. */
  strength: number;
}

function verbEvidence(h: VerbHit, ctx: ToolContext): Evidence {
  const excerpt = h.where === 'description' ? clip(ctx.leadSentence, 80) : h.word;
  const note =
    h.note ||
    `${h.where === 'name' ? 'the name' : 'the description'} leads with "${h.word}", ${h.cat === 'Execute' ? 'an' : 'a'} ${h.cat} verb`;
  return { signal: h.where === 'action' ? 'schema' : h.where, excerpt, suggests: h.cat, note };
}

function verbReason(h: VerbHit): string {
  const where = h.where === 'name' ? 'its name' : 'its description';
  return h.note
    ? `${where} says "${h.word}" (${h.note})`
    : `${where} says "${h.word}", ${h.cat === 'Execute' ? 'an' : 'a'} ${h.cat} verb`;
}

function decide(ctx: ToolContext, evidence: Evidence[]): Decision {
  const nv = nameVerbs(ctx);
  const dv = descriptionVerbs(ctx);
  const candidates: VerbHit[] = [];
  let strength = 0;
  if (nv.name && !nv.name.weak) {
    candidates.push(nv.name, ...nv.nameExtra);
    strength = 0.35;
  } else if (nv.name) {
    if (dv.lead && !dv.lead.weak) {
      candidates.push(dv.lead);
      strength = 0.25;
    } else {
      candidates.push(nv.name);
      strength = 0.15;
    }
  }
  const descVerbs: VerbHit[] = [];
  if (dv.lead) descVerbs.push(dv.lead, ...dv.leadExtra);
  for (const h of descVerbs) if (!h.weak && !candidates.includes(h)) candidates.push(h);
  if (!nv.name && dv.lead) strength = dv.lead.weak ? 0.1 : 0.22;
  for (const h of candidates.slice(0, 6)) evidence.push(verbEvidence(h, ctx));
  if (nv.nameGeneric && candidates.length === 0)
    evidence.push({
      signal: 'name',
      excerpt: nv.nameGeneric,
      note: `"${nv.nameGeneric}" is generic: it does not say what changes`,
    });

  let best: VerbHit | undefined;
  for (const h of candidates) if (!best || catRank(h.cat) > catRank(best.cat)) best = h;
  if (best) {
    if (
      nv.name &&
      best !== nv.name &&
      best.where === 'description' &&
      catRank(best.cat) > catRank(nv.name.cat)
    )
      strength -= 0.1;
    if (dv.lead && nv.name && dv.lead.cat === nv.name.cat) strength += 0.15;
    return { cat: best.cat, verb: best.verb, reason: verbReason(best), strength };
  }
  if (ctx.browser && nv.nameGeneric)
    return {
      cat: 'Execute',
      verb: nv.nameGeneric,
      reason: `it "${nv.nameGeneric}"s something in a browser (${ctx.browser})`,
      strength: 0.15,
    };
  if (nv.nameGeneric)
    return {
      cat: 'Write',
      verb: undefined,
      reason: `its name says it "${nv.nameGeneric}"s something, which implies changes`,
      strength: 0.05,
    };
  return {
    cat: 'Read',
    verb: undefined,
    reason: 'nothing in its definition names a change, a deletion or code to run',
    strength: 0,
  };
}

function escalate(d: Decision, ctx: ToolContext, cues: Cues, nameHasVerb: boolean): Decision {
  const exec = cues.exec[0];
  if (exec && d.cat !== 'Execute')
    return {
      ...d,
      cat: 'Execute',
      reason: `parameter "${exec.param}" ${exec.note}`,
      strength: d.strength + 0.2,
    };
  if (exec) return { ...d, strength: d.strength + 0.15 };
  if (cues.execPhrase && d.cat !== 'Execute' && (d.cat !== 'Read' || !nameHasVerb))
    return {
      ...d,
      cat: 'Execute',
      reason: `its description says it runs code ("${cues.execPhrase}")`,
      strength: d.strength + 0.1,
    };
  // A tool whose name claims no reading verb cannot read its way past "permanently deletes" in its own
  // description: a stated loss outranks a soft lead verb.
  if (d.cat === 'Read' && !nameHasVerb && cues.destructivePhrase)
    return {
      ...d,
      cat: 'Destructive',
      reason: `its description says "${cues.destructivePhrase}"`,
      strength: d.strength,
    };
  if (d.cat === 'Read' && cues.sideEffect)
    return {
      ...d,
      cat: 'Write',
      reason: `its description states a side effect ("${cues.sideEffect}")`,
      strength: d.strength - 0.1,
    };
  if (d.cat === 'Write') {
    const flag = cues.destructiveFlags[0];
    if (flag)
      return {
        ...d,
        cat: 'Destructive',
        reason: `${d.reason}, and its "${flag}" flag lets a call discard data`,
        strength: d.strength + 0.1,
      };
    if (cues.destructivePhrase)
      return {
        ...d,
        cat: 'Destructive',
        reason: `its description says "${cues.destructivePhrase}"`,
        strength: d.strength + 0.1,
      };
    const bulkWord = ctx.nameWords.find((w) => w === 'many' || w === 'all' || w === 'bulk');
    if (
      (cues.bulkPhrase || bulkWord) &&
      cues.filterParam &&
      ['update', 'modify', 'edit', 'set', 'replace'].includes(d.verb ?? '')
    )
      return {
        ...d,
        cat: 'Destructive',
        reason: `it updates everything matching "${cues.filterParam}" at once, with no undo`,
        strength: d.strength + 0.05,
      };
  }
  if (d.cat === 'Destructive' && cues.destructivePhrase) return { ...d, strength: d.strength + 0.1 };
  // Deleting a file through a commit (a commit message is required) keeps it in history: Write.
  if (
    d.cat === 'Destructive' &&
    (d.verb === 'delete' || d.verb === 'remove') &&
    (ctx.nameWords.includes('file') || ctx.nameWords.includes('files')) &&
    (ctx.paramKeys.has('message') || ctx.paramKeys.has('commitmessage')) &&
    (ctx.paramKeys.has('branch') || /\bcommit\b/.test(ctx.descLower))
  )
    return {
      ...d,
      cat: 'Write',
      reason: 'it removes a file through a commit, and the history keeps the old content',
      strength: d.strength,
    };
  return d;
}

const THIRD_PERSON_ES = /(?:s|sh|ch|x|z|o)$/;
/** "sets track monitoring", from the deciding verb and the rest of the name; undefined when unclear. */
function doing(d: Decision, ctx: ToolContext): string | undefined {
  const v = d.verb;
  if (!v || !/^[a-z]+$/.test(v) || v.length < 2 || !ctx.nameWords.includes(v)) return undefined;
  const objects = ctx.nameWords
    .filter((w) => w !== v && w !== 'or' && w !== 'and' && (!LEXICON.has(w) || NOUNISH.has(w)))
    .slice(0, 4);
  const verb = /[^aeiou]y$/.test(v) ? v.slice(0, -1) + 'ies' : THIRD_PERSON_ES.test(v) ? v + 'es' : v + 's';
  return objects.length ? `${verb} ${objects.join(' ')}` : undefined;
}

function confidence(d: Decision, ctx: ToolContext, flags: Flag[], cues: Cues): number {
  let c = 0.35 + d.strength;
  if (cues.evidence.length > 0) c += 0.05;
  if (!ctx.desc.trim()) c -= 0.1;
  if (!ctx.desc.trim() && ctx.schemaEmpty) c -= 0.1;
  if (d.strength <= 0) c = Math.min(c, 0.3);
  if (ctx.nonLatin > 0.5) c = Math.min(c, 0.3);
  if (ctx.descLength > 64_000 || ctx.schemaTruncated) c = Math.min(c, 0.5);
  if (flags.some((f) => f.kind === 'model-instructions' || f.kind === 'shadowing')) c -= 0.1;
  return Math.round(Math.max(0.05, Math.min(0.95, c)) * 100) / 100;
}

export function classifyWithRules(
  tool: ToolDefinition,
  context: ClassifyContext,
  classifier: { name: string; version: string },
): Verdict {
  try {
    return classifyUnsafe(tool, context, classifier);
  } catch (err) {
    // Never throw on odd input: answer conservatively and say why.
    return {
      category: 'Execute',
      risk: 'high',
      confidence: 0.05,
      rationale: `${clip(String(tool?.name ?? 'This tool'), 60)} could not be analysed, so it is treated as running actions that need approval until a person reviews it.`,
      evidence: [],
      inferredAnnotations: {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: true,
      },
      contradictions: [],
      actions: [],
      flags: [
        { kind: 'internal-error', message: clip(err instanceof Error ? err.message : String(err), 200) },
      ],
      tags: [],
      classifier,
    };
  }
}

function classifyUnsafe(
  tool: ToolDefinition,
  context: ClassifyContext,
  classifier: { name: string; version: string },
): Verdict {
  const walked = walkSchema(tool.inputSchema);
  const flags = scanPoisoning(tool, walked.params, walked.truncated);
  const injected = flags.some((f) => f.kind === 'model-instructions' && f.message.endsWith('(description)'));
  const ctx = buildContext(tool, context, walked, injected);
  const evidence: Evidence[] = [];
  let d = decide(ctx, evidence);
  const nameHasVerb = evidence.some((e) => e.signal === 'name' && e.suggests !== undefined);
  const cues = collectCues(ctx, d.cat);
  d = escalate(d, ctx, cues, nameHasVerb);
  evidence.push(...cues.evidence);
  if (ctx.browser && ctx.browser.startsWith('the server'))
    evidence.push({
      signal: 'server',
      excerpt: clip(context.serverName ?? '', 60),
      note: 'the server drives a browser, so page actions act with the user’s session',
    });

  let risk: Risk;
  let riskReason: string;
  ({ risk, reason: riskReason } = assessRisk(d.cat, d.verb, ctx, cues));

  let actions: ActionVerdict[] = [];
  let actionsSummary: string | undefined;
  const found = findActionParam(ctx);
  if (found) {
    const committed =
      ctx.nameWords.includes('push') ||
      ctx.nameWords.includes('commit') ||
      /\bcommit\b/.test(ctx.leadSentence.toLowerCase());
    actions = actionVerdicts(
      found,
      d.cat === 'Execute' && !cues.exec.length ? 'Write' : d.cat,
      ctx,
      cues,
      committed,
    );
    let top: ActionVerdict | undefined;
    for (const a of actions)
      if (
        !top ||
        catRank(a.category) > catRank(top.category) ||
        (a.category === top.category && riskRank(a.risk) > riskRank(top.risk))
      )
        top = a;
    if (top && catRank(top.category) > catRank(d.cat)) {
      d = {
        ...d,
        cat: top.category,
        verb: top.value,
        reason: `its "${found.param.name}" can be "${top.value}", which ${top.category === 'Execute' ? 'runs actions' : top.category === 'Destructive' ? 'loses data' : 'changes state'}`,
        strength: d.strength + 0.2,
      };
      risk = top.risk;
      riskReason = `its most dangerous action ("${top.value}") is ${top.risk} risk`;
    } else if (top && top.category === d.cat && riskRank(top.risk) > riskRank(risk)) {
      risk = top.risk;
      riskReason = `its most dangerous action ("${top.value}") is ${top.risk} risk`;
    }
    evidence.push({
      signal: 'schema',
      excerpt: `${found.param.name}: ${found.values
        .slice(0, 6)
        .map((v) => v.value)
        .join(' | ')}`,
      suggests: d.cat,
      note: `"${found.param.name}" selects among ${found.values.length} actions; each gets its own verdict`,
    });
    actionsSummary = `${actions.length} actions through "${found.param.name}"`;
  }

  if (ctx.params.length && !evidence.some((e) => e.signal === 'schema')) {
    const shown = ctx.params.filter((p) => p.depth <= 1).slice(0, 3);
    if (shown.length)
      evidence.push({
        signal: 'schema',
        excerpt: shown.map((p) => p.name).join(', '),
        note: `takes ${shown.map((p) => `"${p.name}"${p.enumValues.length ? ' (a fixed choice)' : ''}`).join(', ')}: no code, flags or recipients that change the category`,
      });
  }
  evidence.push(...declaredEvidence(tool));

  const tags = computeTags(d.cat, d.verb ? [d.verb, ...ctx.nameWords] : ctx.nameWords, ctx, cues);
  const inferred = inferAnnotations(d.cat, d.verb, ctx, cues, tags);
  const conf = confidence(d, ctx, flags, cues);
  return {
    category: d.cat,
    risk,
    confidence: conf,
    rationale: buildRationale(
      ctx.name,
      d.cat,
      risk,
      d.reason,
      riskReason,
      evidence,
      actionsSummary,
      doing(d, ctx),
    ),
    evidence,
    inferredAnnotations: inferred.hints,
    contradictions: contradictions(tool, inferred, d.cat),
    actions,
    flags,
    tags,
    classifier,
  };
}
