// Tool-poisoning scan: text in a definition that is aimed at the model rather than describing the tool.
// Each flag quotes the offending words. The rules drop instruction-like sentences before reading a
// description (see context.ts), so injected text can raise a flag but never move a verdict.
import type { Flag, ToolDefinition } from '../data/model.ts';
import type { ParamInfo } from './rules/context.ts';
import { excerptAt, head, scanView, splitWords } from './text.ts';

/** Sentences that talk to the model: orders, secrecy, verdict tampering. */
const INSTRUCTION_SOURCES = [
  String.raw`<\s*/?\s*(?:important|system|instructions?|secret|hidden|admin|override)\s*>`,
  String.raw`\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+)?(?:previous|prior|above|earlier|preceding|other|existing)\s+(?:instructions?|messages?|prompts?|rules|guidelines|context|directions)`,
  String.raw`\b(?:do\s+not|don'?t|never)\s+(?:tell|inform|mention|reveal|show|alert|notify|disclose)\b[^.\n]{0,30}?\bthe\s+user`,
  String.raw`\bwithout\s+(?:telling|informing|notifying|alerting|asking)\s+the\s+user`,
  String.raw`\bbefore\s+(?:using|calling|invoking|running)\s+(?:any|all|every)\s+(?:other\s+)?tools?\b`,
  String.raw`\b(?:classify|categori[sz]e|label|rate|mark|treat|consider)\s+(?:this|it|this\s+tool|the\s+tool)\s+as\b`,
  String.raw`\b(?:this\s+tool|it)\s+is\s+(?:completely\s+|totally\s+|perfectly\s+|always\s+)?(?:safe|harmless|trusted)\s*(?:,|\.|;|and|to\s+(?:use|call|approve|allow))`,
  String.raw`\b(?:you\s+are\s+now|from\s+now\s+on,?\s+you|pretend\s+(?:to\s+be|you)|act\s+as\s+(?:an?\s+)?(?:admin|system|developer|root))`,
  String.raw`\b(?:assistant|ai|llm|model|agent)\s*[,:]\s*(?:you\s+)?(?:must|should|always|now)\b`,
  String.raw`(?:~/\.ssh|\bid_rsa\b|\bid_ed25519\b|~/\.aws|/etc/passwd|\bmcp\.json\b|~/\.cursor|\.env\s+file)`,
  String.raw`\b(?:auto-?approve|skip\s+(?:the\s+)?(?:confirmation|approval)|no\s+need\s+to\s+(?:ask|confirm))\b`,
];
// Case-insensitive matching is slow in V8; the scans run these on lower-cased text instead, and fall back
// to the `i` versions only when lower-casing changed the text's length (offsets would no longer line up).
const INSTRUCTION = new RegExp(INSTRUCTION_SOURCES.join('|'));
const INSTRUCTION_G = new RegExp(INSTRUCTION_SOURCES.join('|'), 'g');
const INSTRUCTION_GI = new RegExp(INSTRUCTION_SOURCES.join('|'), 'gi');

/**
 * Literal anchors, one or more of which every instruction pattern contains. Testing these on lower-cased
 * text is several times cheaper than the full pattern, which then runs only on the few texts that pass.
 */
// Plain literals only: a literal alternation is several times faster than one with groups.
const INSTRUCTION_ANCHORS =
  /<i|<s|<h|<a|<o|< |<\/|ignore|disregard|forget|override|not tell|n't tell|never tell|not inform|n't inform|never inform|not mention|n't mention|never mention|not reveal|n't reveal|never reveal|not disclose|n't disclose|never disclose|not notify|n't notify|never notify|not show|n't show|never show|not alert|n't alert|never alert|without telling|without informing|without notifying|without alerting|without asking|other tool|any tool|all tool|every tool|this as|it as|tool as|is safe|is completely|is totally|is perfectly|is always safe|is always harmless|is always trusted|is harmless|is trusted|you are now|from now on|pretend|act as|assistant,|assistant:|assistant ,|assistant :|ai,|ai:|ai ,|ai :|llm,|llm:|llm ,|llm :|model,|model:|model ,|model :|agent,|agent:|agent ,|agent :|ssh|id_rsa|id_ed|\.aws|passwd|mcp\.json|\.cursor|\.env|auto-approv|autoapprov|auto approv|skip the confirmation|skip confirmation|skip the approval|skip approval|no need to/;
const SHADOWING_ANCHORS =
  /other tool|other server|other mcp|mcp server|when you|whenever|when the assistant|when the agent|when the model|when use|when call|when invoke|replace|overrid|shadow|supersed|instead of|mcp__/;

/** True when a sentence addresses the model rather than describing behaviour. */
export function isInstructionSentence(sentence: string): boolean {
  const lower = sentence.toLowerCase();
  return INSTRUCTION_ANCHORS.test(lower) && INSTRUCTION.test(lower);
}

const HIDDEN_MARKUP = /<!--[\s\S]{0,2000}?-->|<script\b|<\s*iframe\b|<\s*img\b[^>]*\bonerror\s*=/g;
const INVISIBLE =
  /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD\u180E\u034F\u115F\u1160\u3164]|\uDB40[\uDC00-\uDC7F]/g;
const NON_ASCII = /[^\x00-\x7F]/;
const ESCAPED = /(?:\\x[0-9a-fA-F]{2}){16,}|(?:\\u[0-9a-fA-F]{4}){12,}|(?:%[0-9A-Fa-f]{2}){16,}/g;
const INSTRUCTION_MSG = 'text addressed to the model, not a description of behaviour';
const MARKUP_MSG = 'markup a user would not see rendered';
const SHADOWING_MSG = 'refers to other tools or servers to change how they are used';
const HIDDEN_MARKUP_I = new RegExp(HIDDEN_MARKUP.source, 'gi');
const SHADOWING = new RegExp(
  [
    String.raw`\b(?:any|all|every)\s+other\s+(?:mcp\s+)?(?:tools?|servers?)\b`,
    String.raw`\b(?:other|another|different)\s+mcp\s+servers?\b`,
    String.raw`\bwhen(?:ever)?\s+(?:you\s+|the\s+(?:assistant|agent|model)\s+)?(?:use|call|invoke)s?\s+(?:the\s+)?[\x60'"]?[\w.-]+[\x60'"]?\s+tool\b[^.\n]{0,60}\b(?:must|always|instead|first)\b`,
    String.raw`\b(?:replaces?|overrides?|shadows?|supersedes?)\s+(?:the\s+)?[\x60'"]?[\w.-]+[\x60'"]?\s+tool\b`,
    String.raw`\binstead\s+of\s+(?:the\s+)?[\x60'"]?[\w.-]+[\x60'"]?\s+tool\s+from\b`,
    String.raw`\bmcp__[\w-]+__[\w-]+`,
  ].join('|'),
  'g',
);
const SHADOWING_I = new RegExp(SHADOWING.source, 'gi');
const HARVEST_DESC =
  /\b(?:(?:full|entire|complete|whole)\s+(?:conversation|chat|dialog(?:ue)?|transcript)|system\s+prompt|previous\s+messages|conversation\s+history|chat\s+history|all\s+prior\s+messages)\b/;

/** Descriptions past this length say far more than any tool's behaviour needs. */
export const EXCESSIVE_DESCRIPTION = 6_000;
const MAX_PER_KIND = 3;

/** Push one flag per match of `re` in `hay` (at most three), quoting the same span of `text`. */
/** Where a scanned text came from: `first` before offset `at`, `rest` after (one pass covers both). */
interface Where {
  first: string;
  rest: string;
  at: number;
}
const whereOf = (w: Where, index: number): string => (index < w.at ? w.first : w.rest);
const only = (label: string): Where => ({ first: label, rest: label, at: Infinity });

function pushAll(
  flags: Flag[],
  re: RegExp,
  hay: string,
  text: string,
  kind: string,
  message: string,
  where: Where,
): void {
  re.lastIndex = 0;
  let n = 0;
  for (let m = re.exec(hay); m && n < MAX_PER_KIND; m = re.exec(hay)) {
    flags.push({
      kind,
      message: `${message} (${whereOf(where, m.index)})`,
      excerpt: excerptAt(text, m.index, m.index + m[0].length),
    });
    n++;
    if (m[0].length === 0) re.lastIndex++;
  }
}

const B64_MIN = 80;
const HEX_MIN = 64;
/** One pass for long base64-like or hex runs; a regex here costs a scan per start position. */
/** Character classes for the encoded-run scan: 1 base64 alphabet, 2 also a hex digit. */
const ENC_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[0-9a-fA-F]/.test(ch)) ENC_CLASS[c] = 2;
  else if (/[A-Za-z+/_=-]/.test(ch)) ENC_CLASS[c] = 1;
}

/** One pass for long base64-like or hex runs; a regex here costs a scan per start position. */
function encodedRuns(flags: Flag[], text: string, where: Where): void {
  let b64 = 0;
  let hex = 0;
  let found = 0;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    const k = c < 128 ? (ENC_CLASS[c] ?? 0) : 0;
    if (k !== 0) {
      b64++;
      if (k === 2) hex++;
      else hex = 0;
      if (i < n) continue;
    }
    if (b64 >= HEX_MIN) {
      if (b64 >= B64_MIN && looksEncoded(text, i - b64, i)) {
        flags.push({
          kind: 'encoded-payload',
          message: `a ${b64}-character base64-like run (${whereOf(where, i - b64)})`,
          excerpt: excerptAt(text, i - b64, i, 60),
        });
        found++;
      } else if (hex >= HEX_MIN) {
        flags.push({
          kind: 'encoded-payload',
          message: `a ${hex}-character hex run (${whereOf(where, i - hex)})`,
          excerpt: excerptAt(text, i - hex, i, 60),
        });
        found++;
      }
      if (found >= MAX_PER_KIND) return;
    }
    b64 = 0;
    hex = 0;
  }
}

/** A run of word characters is an encoding, not a long identifier, when it mixes case and digits. */
function looksEncoded(text: string, from: number, to: number): boolean {
  let upper = 0;
  let lower = 0;
  let digit = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
    else if (c >= 48 && c <= 57) digit++;
  }
  return upper > 4 && lower > 4 && digit > 2;
}

function codepoints(s: string): string {
  const out: string[] = [];
  for (const ch of s) out.push('U+' + (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0'));
  return out.slice(0, 4).join(' ');
}

/** Scan one bounded text (callers cap it with scanView). */
function scanText(flags: Flag[], text: string, where: Where): void {
  if (!text) return;
  const lower = text.toLowerCase();
  const aligned = lower.length === text.length;
  const hay = aligned ? lower : text;
  if (INSTRUCTION_ANCHORS.test(lower))
    pushAll(
      flags,
      aligned ? INSTRUCTION_G : INSTRUCTION_GI,
      hay,
      text,
      'model-instructions',
      INSTRUCTION_MSG,
      where,
    );
  if (text.includes('<'))
    pushAll(flags, aligned ? HIDDEN_MARKUP : HIDDEN_MARKUP_I, hay, text, 'hidden-markup', MARKUP_MSG, where);
  if (SHADOWING_ANCHORS.test(lower))
    pushAll(flags, aligned ? SHADOWING : SHADOWING_I, hay, text, 'shadowing', SHADOWING_MSG, where);
  if (NON_ASCII.test(text)) {
    INVISIBLE.lastIndex = 0;
    const m = INVISIBLE.exec(text);
    if (m) {
      let count = 1;
      while (INVISIBLE.exec(text) && count < 10_000) count++;
      const bidi = /[\u202A-\u202E\u2066-\u2069]/.test(m[0]);
      flags.push({
        kind: 'invisible-unicode',
        message: `${count} ${bidi ? 'bidirectional-control' : 'invisible'} character(s) such as ${codepoints(m[0])} (${whereOf(where, m.index)})`,
        excerpt: excerptAt(text, m.index, m.index + m[0].length).replace(
          INVISIBLE,
          (c) => `[${codepoints(c)}]`,
        ),
      });
    }
  }
  if (text.length >= HEX_MIN) {
    encodedRuns(flags, text, where);
    if (text.includes('\\') || text.includes('%'))
      pushAll(flags, ESCAPED, text, text, 'encoded-payload', 'a long run of escaped bytes', where);
  }
}

const HARVEST_HEADS = new Set(['conversation', 'chat', 'dialog', 'dialogue', 'transcript', 'session']);
const HARVEST_TAILS = new Set([
  'history',
  'log',
  'logs',
  'messages',
  'context',
  'transcript',
  'content',
  'text',
]);
const ID_WORDS = new Set(['id', 'ids', 'slug', 'url', 'name', 'key', 'uuid', 'count', 'limit']);

/** A parameter asking the model to hand over the conversation or its instructions. */
const HARVEST_DESC_ANCHOR = /conversation|chat|dialog|transcript|prompt|messages/;
const HARVEST_KEY =
  /conversation|chat|dialog|transcript|session|system|previous|prior|past|messages|sidenote/;

export function isHarvestingParam(p: ParamInfo): boolean {
  if (HARVEST_KEY.test(p.key) && harvestingName(p)) return true;
  if (!p.description) return false;
  const d = p.description.toLowerCase();
  return HARVEST_DESC_ANCHOR.test(d) && HARVEST_DESC.test(d);
}

function harvestingName(p: ParamInfo): boolean {
  if (p.key === 'conversation' || p.key === 'chathistory' || p.key === 'sidenote') return true;
  const w = splitWords(p.name);
  const last = w[w.length - 1] ?? '';
  if (ID_WORDS.has(last)) return false;
  if (w.includes('system') && (w.includes('prompt') || w.includes('instructions') || w.includes('message')))
    return true;
  if (
    (w.includes('previous') || w.includes('prior') || w.includes('past') || w.includes('all')) &&
    (w.includes('messages') || w.includes('conversation'))
  )
    return true;
  let head = false;
  let tail = false;
  for (const x of w) {
    if (HARVEST_HEADS.has(x)) head = true;
    if (HARVEST_TAILS.has(x)) tail = true;
  }
  return head && tail;
}

/** Scan a tool's name, title, description and parameters. Bounded: huge fields are read head and tail. */
export function scanPoisoning(tool: ToolDefinition, params: ParamInfo[], schemaTruncated: boolean): Flag[] {
  const flags: Flag[] = [];
  const desc = typeof tool.description === 'string' ? tool.description : '';
  if (typeof tool.title === 'string') scanText(flags, head(tool.title, 2_000), only('title'));
  if (typeof tool.name === 'string' && NON_ASCII.test(tool.name))
    scanText(flags, head(tool.name, 500), only('name'));
  // The description and every parameter description are scanned as one text: one pass per pattern
  // instead of one per field. Matches are attributed by offset.
  const parts: string[] = [scanView(desc).text];
  const at = (parts[0] ?? '').length;
  let paramText = 0;
  for (const p of params) {
    if (p.description && paramText < 64_000) {
      paramText += p.description.length + 1;
      parts.push(p.description);
    }
    if (NON_ASCII.test(p.name)) scanText(flags, p.name, only('parameter name'));
    if (isHarvestingParam(p)) {
      flags.push({
        kind: 'context-harvesting',
        message: `parameter "${p.path}" asks for conversation or instruction content the tool should not need`,
        excerpt: p.description ? `${p.name}: ${excerptAt(p.description, 0, 60)}` : p.name,
      });
    }
  }
  scanText(flags, parts.length === 1 ? (parts[0] ?? '') : parts.join('\n'), {
    first: 'description',
    rest: 'a parameter description',
    at,
  });
  if (desc.length > EXCESSIVE_DESCRIPTION) {
    flags.push({
      kind: 'excessive-length',
      message: `description is ${desc.length} characters, far longer than a tool's behaviour needs; long text can hide instructions`,
      excerpt: excerptAt(desc, 0, 60),
    });
  }
  if (desc.length > 64_000 || schemaTruncated) {
    flags.push({
      kind: 'truncated',
      message: schemaTruncated
        ? 'input schema too large or deep; only part of it was read'
        : 'description too long; only its head and tail were scanned',
    });
  }
  return dedupe(flags);
}

function dedupe(flags: Flag[]): Flag[] {
  const seen = new Set<string>();
  const out: Flag[] = [];
  for (const f of flags) {
    const k = `${f.kind}\u0000${f.excerpt ?? ''}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(f);
  }
  return out;
}
