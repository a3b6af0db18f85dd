// Highlighted search matches, built from text segments: the page renders each segment as escaped text
// (a hit inside <mark>), so no markup is ever made by string concatenation.

export interface Segment {
  text: string;
  hit: boolean;
}

/** The words of a query, as toFtsQuery reads them, lower-cased, longest first. */
export function queryWords(query: string): string[] {
  const words = (query.normalize('NFKC').match(/[\p{L}\p{N}_]+/gu) ?? [])
    .slice(0, 16)
    .map((w) => w.toLowerCase());
  return [...new Set(words)].sort((a, b) => b.length - a.length);
}

/**
 * Split `text` into plain and hit segments: a hit is the start of a word (letters, digits, `_`) that begins
 * with one of the query's words, as FTS5 prefix terms match. Case-insensitive.
 */
export function highlightSegments(text: string, words: readonly string[]): Segment[] {
  if (words.length === 0 || text === '') return [{ text, hit: false }];
  const out: Segment[] = [];
  let last = 0;
  const push = (t: string, hit: boolean) => {
    if (!t) return;
    const prev = out.at(-1);
    if (prev && prev.hit === hit) prev.text += t;
    else out.push({ text: t, hit });
  };
  for (const m of text.matchAll(/[\p{L}\p{N}_]+/gu)) {
    const token = m[0];
    const start = m.index;
    const whole = words.find((w) => token.slice(0, w.length).toLowerCase() === w);
    if (whole) {
      push(text.slice(last, start), false);
      push(text.slice(start, start + whole.length), true);
      last = start + whole.length;
      continue;
    }
    // Within a snake_case token each part is a word too (set_track → "track" matches).
    for (const part of token.matchAll(/[^_]+/g)) {
      const word = words.find((w) => part[0].slice(0, w.length).toLowerCase() === w);
      if (!word) continue;
      const at = start + part.index;
      push(text.slice(last, at), false);
      push(text.slice(at, at + word.length), true);
      last = at + word.length;
    }
  }
  push(text.slice(last), false);
  return out.length ? out : [{ text: '', hit: false }];
}
