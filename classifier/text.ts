// Text helpers shared by the rules and the poisoning scan: word splitting, capped views of untrusted
// text, and short quotable excerpts. Everything here is bounded so a 1 MB description costs no more than
// a 10 KB one.

/** How much of a description the category rules read. Behaviour is stated up front; the rest is detail. */
export const RULE_TEXT_CAP = 4_000;
/** How much text the poisoning scan reads from the head and from the tail of a field. */
export const SCAN_HEAD_CAP = 48_000;
export const SCAN_TAIL_CAP = 16_000;
/** Longest quote placed in evidence, flags and rationales. */
export const EXCERPT_MAX = 90;

/**
 * Split a tool or parameter name into lower-case words: snake, camel, kebab, dots and acronyms
 * (`getHTTPResponse` → get, http, response). A hand-written scan: this runs for every name and parameter.
 */
export function splitWords(name: string): string[] {
  const s = name.length > 200 ? name.slice(0, 200) : name;
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 32;
    const upper = c >= 65 && c <= 90;
    const lower = c >= 97 && c <= 122;
    const digit = c >= 48 && c <= 57;
    if (!upper && !lower && !digit) {
      if (start >= 0) out.push(s.slice(start, i).toLowerCase());
      start = -1;
      continue;
    }
    if (start < 0) {
      start = i;
      continue;
    }
    if (upper) {
      const prev = s.charCodeAt(i - 1);
      const prevLowerOrDigit = (prev >= 97 && prev <= 122) || (prev >= 48 && prev <= 57);
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      const prevUpper = prev >= 65 && prev <= 90;
      // aB → a|B ; ABc → A|Bc (end of an acronym)
      if (prevLowerOrDigit || (prevUpper && next >= 97 && next <= 122)) {
        out.push(s.slice(start, i).toLowerCase());
        start = i;
      }
    }
  }
  return out;
}

/** Head of a string, capped, without splitting a surrogate pair. */
export function head(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/** What the poisoning scan reads: the whole text, or its head and tail when it is huge. */
export function scanView(text: string): { text: string; tailOffset: number; truncated: boolean } {
  if (text.length <= SCAN_HEAD_CAP + SCAN_TAIL_CAP) return { text, tailOffset: -1, truncated: false };
  const tailStart = text.length - SCAN_TAIL_CAP;
  return {
    text: head(text, SCAN_HEAD_CAP) + '\n' + text.slice(tailStart),
    tailOffset: tailStart,
    truncated: true,
  };
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** A short, single-line quote of `text` around [start, end), with ellipses where it was cut. */
export function excerptAt(text: string, start: number, end: number, max = EXCERPT_MAX): string {
  let from = start;
  let to = Math.min(end, text.length);
  if (to - from > max) to = from + max;
  const room = max - (to - from);
  from = Math.max(0, from - Math.floor(room / 3));
  to = Math.min(text.length, to + (room - (start - from)));
  // Never start or end a quote inside a word ("…rt the notes"): move inwards to a word boundary, but
  // never past the matched words themselves.
  const inWord = (i: number): boolean => WORD_CHAR.test(text[i - 1] ?? '') && WORD_CHAR.test(text[i] ?? '');
  while (from > 0 && from < start && inWord(from)) from++;
  while (to < text.length && to > end && inWord(to)) to--;
  let s = text.slice(from, to).replace(/\s+/g, ' ').trim();
  if (from > 0) s = '…' + s;
  if (to < text.length) s = s + '…';
  return s;
}

/** Shorten a quote to the excerpt cap. */
const MESSY_SPACE = /\s\s|[\n\r\t]/;
export function clip(text: string, max = EXCERPT_MAX): string {
  const one = text.length > max * 4 ? text.slice(0, max * 4) : text;
  const flat = MESSY_SPACE.test(one) ? one.replace(/\s+/g, ' ').trim() : one.trim();
  if (flat.length <= max) return flat;
  // End on a word boundary when one is near, so a quote never stops mid-word.
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.6 ? cut.slice(0, space) : cut) + '…';
}

const SENTENCE_END = /[.!?](?:\s|$)|\n\s*\n|\n\s*[-*•]/g;

/** The first sentence of a (capped) text, trimmed. */
export function firstSentence(text: string): string {
  SENTENCE_END.lastIndex = 0;
  const m = SENTENCE_END.exec(text);
  return (m ? text.slice(0, m.index + 1) : text).trim();
}

/** Split capped text into sentences with their offsets. */
export function sentences(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = 0;
  SENTENCE_END.lastIndex = 0;
  for (let m = SENTENCE_END.exec(text); m; m = SENTENCE_END.exec(text)) {
    const end = m.index + 1;
    const s = text.slice(start, end);
    if (s.trim()) out.push({ text: s, start });
    start = end;
    if (out.length > 200) break;
  }
  if (start < text.length && text.slice(start).trim()) out.push({ text: text.slice(start), start });
  return out;
}

/**
 * Share of letters that are not ASCII Latin: a cheap sign that our English lexicon will not apply.
 * Counts by code unit; punctuation, symbols and emoji outside the letter blocks are ignored.
 */
export function nonLatinShare(text: string): number {
  const n = Math.min(text.length, 2_000);
  let latin = 0;
  let other = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) latin++;
    } else if ((c >= 0xc0 && c < 0x2000) || (c >= 0x3040 && c < 0xd800) || (c >= 0xf900 && c < 0xfe00))
      other++;
  }
  return latin + other === 0 ? 0 : other / (latin + other);
}
