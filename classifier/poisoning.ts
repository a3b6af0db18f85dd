// Tool-poisoning scan: text in a definition that is aimed at the model rather than describing the tool.
// Each flag quotes the offending words. The rules drop instruction-like sentences before reading a
// description (see context.ts), so injected text can raise a flag but never move a verdict.
import type { Flag, ToolDefinition } from '../data/model.ts';
import type { ParamInfo } from './rules/context.ts';
import { excerptAt, head, scanView } from './text.ts';

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
const INSTRUCTION = new RegExp(INSTRUCTION_SOURCES.join('|'), 'i');
const INSTRUCTION_G = new RegExp(INSTRUCTION_SOURCES.join('|'), 'gi');

/** True when a sentence addresses the model rather than describing behaviour. */
export function isInstructionSentence(sentence: string): boolean {
  return INSTRUCTION.test(sentence);
}

const HIDDEN_MARKUP = /<!--[\s\S]{0,2000}?-->|<script\b|<\s*iframe\b|<\s*img\b[^>]*\bonerror\s*=/gi;
const INVISIBLE =
  /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD\u180E\u034F\u115F\u1160\u3164]|\uDB40[\uDC00-\uDC7F]/g;
const NON_ASCII = /[^\x00-\x7F]/;
const BASE64 = /[A-Za-z0-9+/]{80,}={0,2}|[A-Za-z0-9_-]{100,}/g;
const HEX =
  /\b(?:0x)?[0-9a-fA-F]{64,}\b|(?:\\x[0-9a-fA-F]{2}){16,}|(?:\\u[0-9a-fA-F]{4}){12,}|(?:%[0-9A-Fa-f]{2}){16,}/g;
const SHADOWING = new RegExp(
  [
    String.raw`\b(?:any|all|every)\s+other\s+(?:mcp\s+)?(?:tools?|servers?)\b`,
    String.raw`\b(?:other|another|different)\s+mcp\s+servers?\b`,
    String.raw`\bwhen(?:ever)?\s+(?:you\s+|the\s+(?:assistant|agent|model)\s+)?(?:use|call|invoke)s?\s+(?:the\s+)?[\x60'"]?[\w.-]+[\x60'"]?\s+tool\b[^.\n]{0,60}\b(?:must|always|instead|first)\b`,
    String.raw`\b(?:replaces?|overrides?|shadows?|supersedes?)\s+(?:the\s+)?[\x60'"]?[\w.-]+[\x60'"]?\s+tool\b`,
    String.raw`\binstead\s+of\s+(?:the\s+)?[\x60'"]?[\w.-]+[\x60'"]?\s+tool\s+from\b`,
    String.raw`\bmcp__[\w-]+__[\w-]+`,
  ].join('|'),
  'gi',
);
const HARVEST_DESC =
  /\b(?:(?:full|entire|complete|whole)\s+(?:conversation|chat|dialog(?:ue)?|transcript)|system\s+prompt|previous\s+messages|conversation\s+history|chat\s+history|all\s+prior\s+messages)\b/i;

/** Descriptions past this length say far more than any tool's behaviour needs. */
export const EXCESSIVE_DESCRIPTION = 6_000;
const MAX_PER_KIND = 3;

function pushAll(
  flags: Flag[],
  re: RegExp,
  text: string,
  kind: string,
  message: (match: string) => string,
  where: string,
): void {
  re.lastIndex = 0;
  let n = 0;
  for (let m = re.exec(text); m && n < MAX_PER_KIND; m = re.exec(text)) {
    flags.push({
      kind,
      message: `${message(m[0])} (${where})`,
      excerpt: excerptAt(text, m.index, m.index + m[0].length),
    });
    n++;
    if (m[0].length === 0) re.lastIndex++;
  }
}

function codepoints(s: string): string {
  const out: string[] = [];
  for (const ch of s) out.push('U+' + (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0'));
  return out.slice(0, 4).join(' ');
}

function scanText(flags: Flag[], raw: string, where: string): void {
  if (!raw) return;
  const { text } = scanView(raw);
  pushAll(
    flags,
    INSTRUCTION_G,
    text,
    'model-instructions',
    () => 'text addressed to the model, not a description of behaviour',
    where,
  );
  pushAll(flags, HIDDEN_MARKUP, text, 'hidden-markup', () => 'markup a user would not see rendered', where);
  pushAll(
    flags,
    SHADOWING,
    text,
    'shadowing',
    () => 'refers to other tools or servers to change how they are used',
    where,
  );
  if (NON_ASCII.test(text)) {
    INVISIBLE.lastIndex = 0;
    const m = INVISIBLE.exec(text);
    if (m) {
      let count = 1;
      while (INVISIBLE.exec(text) && count < 10_000) count++;
      const bidi = /[\u202A-\u202E\u2066-\u2069]/.test(m[0]);
      flags.push({
        kind: 'invisible-unicode',
        message: `${count} ${bidi ? 'bidirectional-control' : 'invisible'} character(s) such as ${codepoints(m[0])} (${where})`,
        excerpt: excerptAt(text, m.index, m.index + m[0].length).replace(
          INVISIBLE,
          (c) => `[${codepoints(c)}]`,
        ),
      });
    }
  }
  if (text.length >= 64) {
    pushAll(flags, BASE64, text, 'encoded-payload', (s) => `a ${s.length}-character base64-like run`, where);
    pushAll(flags, HEX, text, 'encoded-payload', (s) => `a ${s.length}-character hex or escaped run`, where);
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
export function isHarvestingParam(p: ParamInfo): boolean {
  const w = p.words;
  const last = w[w.length - 1] ?? '';
  if (ID_WORDS.has(last)) return false;
  const has = (x: string): boolean => w.includes(x);
  if (has('system') && (has('prompt') || has('instructions') || has('message'))) return true;
  if (
    (has('previous') || has('prior') || has('past') || has('all')) &&
    (has('messages') || has('conversation'))
  )
    return true;
  if (w.some((x) => HARVEST_HEADS.has(x)) && w.some((x) => HARVEST_TAILS.has(x))) return true;
  if (p.key === 'conversation' || p.key === 'chathistory' || p.key === 'sidenote') return true;
  if (p.description && HARVEST_DESC.test(p.description)) return true;
  return false;
}

/** Scan a tool's name, title, description and parameters. Bounded: huge fields are read head and tail. */
export function scanPoisoning(tool: ToolDefinition, params: ParamInfo[], schemaTruncated: boolean): Flag[] {
  const flags: Flag[] = [];
  const desc = typeof tool.description === 'string' ? tool.description : '';
  scanText(flags, desc, 'description');
  if (typeof tool.title === 'string') scanText(flags, head(tool.title, 2_000), 'title');
  if (typeof tool.name === 'string' && NON_ASCII.test(tool.name))
    scanText(flags, head(tool.name, 500), 'name');
  let paramText = 0;
  for (const p of params) {
    if (p.description && paramText < 64_000) {
      paramText += p.description.length;
      scanText(flags, p.description, `parameter "${p.path}"`);
    }
    if (NON_ASCII.test(p.name)) scanText(flags, p.name, 'parameter name');
    if (isHarvestingParam(p)) {
      flags.push({
        kind: 'context-harvesting',
        message: `parameter "${p.path}" asks for conversation or instruction content the tool should not need`,
        excerpt: p.description ? `${p.name}: ${excerptAt(p.description, 0, 60)}` : p.name,
      });
    }
  }
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
