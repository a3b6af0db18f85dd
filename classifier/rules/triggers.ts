// Trigger-word families. Each phrase pattern in the rules contains a word from its family, so the pattern
// runs only when the description mentions one: a word lookup instead of a regex scan for most tools.
// Families are registered at module load; a description is reduced to one bit mask once per call by
// walking a character trie of the trigger words, which allocates nothing per word.

const WORDS = new Map<string, number>();
let next = 0;
let trie: { child: Int32Array; mask: Int32Array } | undefined;

/** Register a family of trigger words and return its bit. */
export function family(words: readonly string[]): number {
  if (next >= 31) throw new Error('too many trigger families');
  const bit = 1 << next++;
  for (const w of words) WORDS.set(w, (WORDS.get(w) ?? 0) | bit);
  trie = undefined;
  return bit;
}

const ALPHABET = 37; // a-z, 0-9, _

/** Slot of a word character, or -1 for a separator. */
function slot(c: number): number {
  if (c >= 97 && c <= 122) return c - 97;
  if (c >= 48 && c <= 57) return c - 48 + 26;
  if (c === 95) return 36;
  return -1;
}

function build(): { child: Int32Array; mask: Int32Array } {
  let size = 1;
  for (const w of WORDS.keys()) size += w.length;
  const child = new Int32Array(size * ALPHABET).fill(-1);
  const mask = new Int32Array(size);
  let nodes = 1;
  for (const [w, bits] of WORDS) {
    let n = 0;
    for (let i = 0; i < w.length; i++) {
      const s = slot(w.charCodeAt(i));
      if (s < 0) throw new Error(`trigger word "${w}" has a separator`);
      const at = n * ALPHABET + s;
      if ((child[at] ?? -1) < 0) child[at] = nodes++;
      n = child[at] ?? 0;
    }
    mask[n] = (mask[n] ?? 0) | bits;
  }
  return { child, mask };
}

/** The families a (lower-case) text mentions. */
export function triggerMask(lower: string): number {
  const t = (trie ??= build());
  let result = 0;
  let node = 0; // -1 once the current word has left the trie
  let inWord = false;
  for (let i = 0; i <= lower.length; i++) {
    const s = i < lower.length ? slot(lower.charCodeAt(i)) : -1;
    if (s < 0) {
      if (inWord && node > 0) result |= t.mask[node] ?? 0;
      inWord = false;
      node = 0;
      continue;
    }
    inWord = true;
    if (node >= 0) node = t.child[node * ALPHABET + s] ?? -1;
  }
  return result;
}
