// Quoting untrusted server output inside our own error messages: short, one line, no control or
// invisible characters that could hide text in a terminal or a page.

// C0/C1 controls, zero-width and bidirectional formatting characters, BOM, and Unicode tag characters.
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]|\udb40[\udc00-\udc7f]/g;

/** A printable, single-line excerpt of at most `max` characters (plus an ellipsis when cut). */
export function quoteExcerpt(text: string, max = 120): string {
  const clean = text.replace(UNSAFE, (c) => (c === '\n' || c === '\r' || c === '\t' ? ' ' : '�'));
  const collapsed = clean.replace(/\s+/g, ' ').trim();
  if (collapsed.length <= max) return collapsed;
  let end = max;
  const code = collapsed.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${collapsed.slice(0, end)}…`;
}

/** Keeps the last `maxBytes` of a stream (stderr) as text, for error messages. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.maxBytes && this.chunks.length > 1) {
      const first = this.chunks.shift();
      if (first) this.size -= first.length;
    }
    if (this.size > this.maxBytes && this.chunks.length === 1) {
      const only = this.chunks[0] as Buffer;
      this.chunks = [only.subarray(only.length - this.maxBytes)];
      this.size = this.maxBytes;
    }
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
