// Trigger-word families. Each phrase pattern in the rules contains a word from its family, so the pattern
// runs only when the description mentions one: a word lookup instead of a regex scan for most tools.
// Families are registered at module load; a description is reduced to one bit mask once per call.

export const TRIGGER_BITS = new Map<string, number>();
let next = 0;

/** Register a family of trigger words and return its bit. */
export function family(words: readonly string[]): number {
  if (next >= 31) throw new Error('too many trigger families');
  const bit = 1 << next++;
  for (const w of words) TRIGGER_BITS.set(w, (TRIGGER_BITS.get(w) ?? 0) | bit);
  return bit;
}

const WORD = /[a-z0-9_]+/g;

/** The families a (lower-case) text mentions. */
export function triggerMask(lower: string): number {
  let mask = 0;
  WORD.lastIndex = 0;
  for (let m = WORD.exec(lower); m; m = WORD.exec(lower)) {
    const bit = TRIGGER_BITS.get(m[0]);
    if (bit !== undefined) mask |= bit;
  }
  return mask;
}
