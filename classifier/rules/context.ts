// Builds the bounded, normalised view of one tool that every rule reads: name words, a capped description
// with model-aimed instructions removed, a flat list of parameters from a cycle-safe schema walk, and the
// server context. Nothing downstream touches the raw (possibly huge or hostile) definition.
import type { ToolDefinition } from '../../data/model.ts';
import { RULE_TEXT_CAP, firstSentence, head, nonLatinShare, sentences, splitWords } from '../text.ts';
import { isInstructionSentence } from '../poisoning.ts';
import { BROWSER_WORDS } from './lexicon.ts';
import { family, triggerMask } from './triggers.ts';

export interface ParamInfo {
  /** Property name as written. */
  name: string;
  /** Lower-case, separators removed: `dropTarget` → `droptarget`. */
  key: string;
  /** Dotted path from the root, e.g. `files[].action`. */
  path: string;
  type: string;
  enumValues: string[];
  description: string;
  depth: number;
  /** The schema's `default`, when it is a scalar. */
  defaultValue: string | number | boolean | undefined;
}

export interface ToolContext {
  name: string;
  nameWords: string[];
  title: string;
  /** Capped description with instruction-like sentences removed. */
  desc: string;
  descLower: string;
  /** Trigger families the first part of the description mentions (see triggers.ts). */
  descMask: number;
  /** Words of the first usable sentence, lower case. */
  leadWords: string[];
  /** The lead sentence as words and the punctuation that separates clauses (`,;:()`). */
  leadTokens: string[];
  leadSentence: string;
  params: ParamInfo[];
  paramKeys: Set<string>;
  /** Everything the object words may come from: name words and the lead sentence words. */
  objects: Set<string>;
  serverLower: string;
  browser: string | undefined;
  schemaEmpty: boolean;
  schemaTruncated: boolean;
  descTruncated: boolean;
  descLength: number;
  nonLatin: number;
}

const MAX_PARAMS = 400;
const MAX_VISITS = 3_000;
const MAX_DEPTH = 6;
const MAX_ENUM = 60;
const PROSE_TOKEN = /[a-z][a-z0-9'-]*|[,;:()]/g;
const WORDS_CAP = 1_500;
const NON_ASCII = /[^\x00-\x7f]/;

/** True when the description's first part mentions a word of the trigger family. */
export function mentions(ctx: ToolContext, family: number): boolean {
  return (ctx.descMask & family) !== 0;
}

/** Lower-case letters and digits only: `dropTarget`, `drop_target` and `drop-target` all give `droptarget`. */
function keyOf(name: string): string {
  let simple = true;
  for (let i = 0; i < name.length && i < 120; i++) {
    const c = name.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) {
      simple = false;
      break;
    }
  }
  if (simple && name.length <= 120) return name;
  return head(name, 120).toLowerCase().replace(NON_KEY, '');
}
const NON_KEY = /[^a-z0-9]/g;

function typeOf(s: Record<string, unknown>): string {
  const t = s.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.filter((x) => x !== 'null').join('|');
  if (s.enum) return 'enum';
  if (s.properties) return 'object';
  if (s.items) return 'array';
  if (s.anyOf || s.oneOf) return 'union';
  return 'unknown';
}

function add(out: string[], v: unknown): void {
  if ((typeof v === 'string' || typeof v === 'number') && out.length < MAX_ENUM) out.push(String(v));
}

function enumOf(s: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (!s.enum && !('const' in s) && !s.anyOf && !s.oneOf) return out;
  if (Array.isArray(s.enum)) for (const v of s.enum) add(out, v);
  if ('const' in s) add(out, s.const);
  for (const k of ['anyOf', 'oneOf'] as const) {
    const alts = s[k];
    if (Array.isArray(alts))
      for (const a of alts) {
        if (a && typeof a === 'object') {
          const o = a as Record<string, unknown>;
          if (Array.isArray(o.enum)) for (const v of o.enum) add(out, v);
          if ('const' in o) add(out, o.const);
        }
      }
  }
  return out;
}

const COMBINATORS = ['anyOf', 'oneOf', 'allOf'] as const;
/** Reused one-element list for the common node without combinators (the walk is not re-entrant). */
const SELF: unknown[] = [null];

/** Walk an input schema breadth-first, safely: cycles, huge property maps and deep nesting are bounded. */
export function walkSchema(schema: unknown): { params: ParamInfo[]; truncated: boolean; empty: boolean } {
  const params: ParamInfo[] = [];
  if (!schema || typeof schema !== 'object') return { params, truncated: false, empty: true };
  const seen = new Set<object>();
  const queue: { node: Record<string, unknown>; prefix: string; depth: number }[] = [
    { node: schema as Record<string, unknown>, prefix: '', depth: 0 },
  ];
  let visits = 0;
  let truncated = false;
  for (let qi = 0; qi < queue.length; qi++) {
    const item = queue[qi];
    if (!item) break;
    const { node, prefix, depth } = item;
    if (seen.has(node)) continue;
    seen.add(node);
    let groups: unknown[] = SELF;
    if (node.anyOf || node.oneOf || node.allOf) {
      groups = [node];
      for (const k of COMBINATORS) {
        const alts = node[k];
        if (Array.isArray(alts)) for (const a of alts.slice(0, 8)) groups.push(a);
      }
    }
    SELF[0] = node;
    for (const g of groups) {
      if (!g || typeof g !== 'object') continue;
      const gs = g as Record<string, unknown>;
      const props = gs.properties;
      if (props && typeof props === 'object') {
        for (const name in props as Record<string, unknown>) {
          if (++visits > MAX_VISITS || params.length >= MAX_PARAMS) {
            truncated = true;
            break;
          }
          const raw = (props as Record<string, unknown>)[name];
          const ps = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
          const path = prefix ? `${prefix}.${name}` : name;
          const desc = typeof ps.description === 'string' ? head(ps.description, 600) : '';
          params.push({
            name: head(name, 120),
            key: keyOf(name),
            path,
            type: typeOf(ps),
            enumValues: enumOf(ps),
            description: desc,
            depth,
            defaultValue:
              typeof ps.default === 'boolean' ||
              typeof ps.default === 'number' ||
              typeof ps.default === 'string'
                ? ps.default
                : undefined,
          });
          // Only descend into parameters that can hold more parameters.
          if (depth + 1 < MAX_DEPTH && (ps.properties || ps.items || ps.anyOf || ps.oneOf || ps.allOf)) {
            queue.push({ node: ps, prefix: path, depth: depth + 1 });
          }
        }
      }
      const items = gs.items;
      if (items && typeof items === 'object' && depth + 1 < MAX_DEPTH && !Array.isArray(items)) {
        queue.push({ node: items as Record<string, unknown>, prefix: `${prefix}[]`, depth: depth + 1 });
      }
    }
    if (visits > MAX_VISITS || queue.length > MAX_VISITS) {
      truncated = true;
      break;
    }
  }
  return { params, truncated, empty: params.length === 0 };
}

export function buildContext(
  tool: ToolDefinition,
  server: { serverName?: string | undefined; serverDescription?: string | undefined },
  walked: { params: ParamInfo[]; truncated: boolean; empty: boolean },
  descriptionHasInstructions: boolean,
): ToolContext {
  const name = typeof tool.name === 'string' ? head(tool.name, 200) : '';
  const title = typeof tool.title === 'string' ? head(tool.title, 200) : '';
  const rawDesc = typeof tool.description === 'string' ? tool.description : '';
  const capped = head(rawDesc, RULE_TEXT_CAP);
  // Sentences addressed to the model are evidence of poisoning, never evidence of behaviour.
  let desc = capped;
  let leadSentence = '';
  if (capped && descriptionHasInstructions) {
    const kept: string[] = [];
    // A tagged block aimed at the model (<IMPORTANT>…</IMPORTANT>) goes as a whole, not sentence by sentence.
    const untagged = capped.replace(TAG_BLOCK, ' ');
    for (const s of sentences(untagged)) {
      if (isInstructionSentence(s.text)) continue;
      kept.push(s.text);
      if (!leadSentence && /[a-z]/i.test(s.text)) leadSentence = s.text.trim();
    }
    desc = kept.join('');
  } else if (capped) {
    leadSentence = leadOf(capped);
  }
  const descLower = desc.toLowerCase();
  const descMask = triggerMask(descLower.length > WORDS_CAP ? descLower.slice(0, WORDS_CAP) : descLower);
  const leadTokens = leadSentence.toLowerCase().slice(0, 500).match(PROSE_TOKEN) ?? [];
  const leadWords: string[] = [];
  for (const t of leadTokens) if (t.length > 1 || (t >= 'a' && t <= 'z')) leadWords.push(t);
  const nameWords = splitWords(name);
  const objects = new Set<string>(nameWords);
  for (const w of leadWords) objects.add(w);
  for (const w of splitWords(title)) objects.add(w);

  const paramKeys = new Set<string>();
  for (const p of walked.params) paramKeys.add(p.key);

  const serverLower = `${server.serverName ?? ''} ${head(server.serverDescription ?? '', 600)}`.toLowerCase();
  const browser = browserContext(nameWords, paramKeys, descLower, descMask, serverLower);

  return {
    name,
    nameWords,
    title,
    desc,
    descLower,
    descMask,
    leadWords,
    leadTokens,
    leadSentence,
    params: walked.params,
    paramKeys,
    objects,
    serverLower,
    browser,
    schemaEmpty: walked.empty,
    schemaTruncated: walked.truncated,
    descTruncated: rawDesc.length > RULE_TEXT_CAP,
    descLength: rawDesc.length,
    nonLatin: NON_ASCII.test(capped || name) ? nonLatinShare(capped || name) : 0,
  };
}

const HAS_LETTER = /[a-z]/i;
const TAG_BLOCK =
  /<\s*(important|system|instructions?|secret|hidden|admin|override)\s*>[\s\S]*?(?:<\s*\/\s*\1\s*>|$)/gi;
/** The first sentence that has words in it. */
function leadOf(text: string): string {
  const first = firstSentence(text);
  if (HAS_LETTER.test(first)) return first;
  for (const s of sentences(text)) if (HAS_LETTER.test(s.text)) return s.text.trim();
  return '';
}

const BROWSER_TRIGGERS = family([
  'browser',
  'web',
  'webpage',
  'puppeteer',
  'playwright',
  'selenium',
  'page',
  'dom',
]);
const BROWSER_DESC =
  /\b(browser|web ?page|puppeteer|playwright|selenium|on the page|in the page|page element|dom element)\b/;

/** Why we think the tool drives a browser, or undefined. */
function browserContext(
  nameWords: string[],
  paramKeys: Set<string>,
  descLower: string,
  descMask: number,
  serverLower: string,
): string | undefined {
  for (const w of nameWords) {
    if (w === 'browser' || w === 'puppeteer' || w === 'playwright' || w === 'selenium') return `name "${w}"`;
  }
  if (paramKeys.has('selector') || paramKeys.has('xpath') || paramKeys.has('element'))
    return 'a page-element selector parameter';
  if (/\b(puppeteer|playwright|selenium|browser)\b/.test(serverLower)) return 'the server drives a browser';
  const m =
    (descMask & BROWSER_TRIGGERS) !== 0
      ? BROWSER_DESC.exec(descLower.length > 600 ? descLower.slice(0, 600) : descLower)
      : null;
  if (m) return `description "${m[0]}"`;
  for (const w of nameWords) if (BROWSER_WORDS.has(w) && (w === 'tab' || w === 'tabs')) return `name "${w}"`;
  return undefined;
}
