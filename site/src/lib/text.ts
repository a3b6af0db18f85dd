// Untrusted text (tool and server text comes from whoever wrote the server). Astro escapes it; this file
// makes the characters a reader cannot see visible, and decides which URLs may become links.

/** A run of ordinary text, or one marker standing for invisible characters. */
export type TextPart = { kind: 'text'; text: string } | { kind: 'invisible'; label: string; title: string };

const NAMES: Record<number, string> = {
  0x00ad: 'SOFT HYPHEN',
  0x061c: 'ARABIC LETTER MARK',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

// Format and control characters (except tab and newline), line/paragraph separators, variation
// selectors, Hangul fillers, the braille blank, private-use and unassigned code points, and lone
// surrogates: all render as nothing (or as something other than what they are).
const INVISIBLE =
  /(?![\t\n])[\p{Cf}\p{Cc}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}\u115F\u1160\u3164\uFFA0\u2800]/u;
const TAG_FIRST = 0xe0000;
const TAG_LAST = 0xe007f;

const hex = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

export function isInvisible(ch: string): boolean {
  return INVISIBLE.test(ch);
}

const PICTOGRAPH = /\p{Extended_Pictographic}|\p{Emoji_Modifier}/u;

/**
 * A zero-width joiner between two pictographs (👩‍💻) or an emoji variation selector after one (❤️) is
 * part of an emoji, not hidden text: it stays as it is.
 */
function isEmojiGlue(chars: string[], i: number): boolean {
  const cp = chars[i]!.codePointAt(0);
  const prev = chars[i - 1] ?? '';
  if (cp === 0x200d) return PICTOGRAPH.test(prev) && PICTOGRAPH.test(chars[i + 1] ?? '');
  if (cp === 0xfe0f || cp === 0xfe0e) return PICTOGRAPH.test(prev) || /^[0-9#*]$/.test(prev);
  return false;
}

/**
 * Split text into visible runs and markers for invisible characters. A run of Unicode tag characters
 * (which can smuggle hidden ASCII instructions) becomes one marker that spells out what it hides.
 */
export function splitText(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let plain = '';
  let tags = '';
  const flushPlain = () => {
    if (plain) parts.push({ kind: 'text', text: plain });
    plain = '';
  };
  const flushTags = () => {
    if (!tags) return;
    parts.push({
      kind: 'invisible',
      label: `⟨hidden tag text: ${JSON.stringify(tags)}⟩`,
      title: 'Unicode tag characters: invisible text that models may still read',
    });
    tags = '';
  };
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const cp = ch.codePointAt(0)!;
    if (cp >= TAG_FIRST && cp <= TAG_LAST) {
      flushPlain();
      // Tag characters mirror ASCII 0x20-0x7E; others (language tag, cancel tag) show as their code.
      const ascii = cp - TAG_FIRST;
      tags += ascii >= 0x20 && ascii <= 0x7e ? String.fromCharCode(ascii) : `{${hex(cp)}}`;
      continue;
    }
    flushTags();
    if (isInvisible(ch) && !isEmojiGlue(chars, i)) {
      flushPlain();
      const name = NAMES[cp];
      parts.push({ kind: 'invisible', label: `⟨${hex(cp)}⟩`, title: name ? `${hex(cp)} ${name}` : hex(cp) });
    } else {
      plain += ch;
    }
  }
  flushTags();
  flushPlain();
  return parts;
}

/** How many invisible characters a text holds (tag characters included). */
export function countInvisible(text: string): number {
  const chars = Array.from(text);
  let n = 0;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const cp = ch.codePointAt(0)!;
    if ((cp >= TAG_FIRST && cp <= TAG_LAST) || (isInvisible(ch) && !isEmojiGlue(chars, i))) n++;
  }
  return n;
}

/**
 * The URL to link to, or null when the text must stay text. Only absolute http: and https: URLs
 * become links; `javascript:`, `data:`, relative and unparsable ones never do.
 */
export function safeHttpUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname) return null;
  return url.href;
}

/** Shorten text for lists and tables, on a code point boundary, marking the cut. */
export function excerpt(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, max).join('').trimEnd()}…`;
}

/** The text with every invisible character replaced by its visible marker (for <title> and the like). */
export function visibleText(text: string): string {
  return splitText(text)
    .map((p) => (p.kind === 'text' ? p.text : p.label))
    .join('');
}

const INVISIBLE_GLOBAL = new RegExp(`${INVISIBLE.source}|[\\u{E0000}-\\u{E007F}]`, 'gu');

/**
 * JSON text with every invisible character inside its strings written as a \u escape: the same JSON
 * value, but a reader sees `\u202e` where a direction override would have reordered the line.
 * (JSON.stringify already escapes control characters and lone surrogates, not format characters.)
 */
export function escapeInvisibleInJson(json: string): string {
  return json.replace(INVISIBLE_GLOBAL, (ch) => {
    let out = '';
    for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}
