// Turns file bytes into text the parser can read, and says when a file is not text at all.

export type Decoded = { text: string; note?: string } | { binary: true };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf16le = new TextDecoder('utf-16le');
const utf16be = new TextDecoder('utf-16be');
const latin1 = new TextDecoder('latin1');

export function decodeSource(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: utf16le.decode(bytes.subarray(2)), note: 'UTF-16LE' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: utf16be.decode(bytes.subarray(2)), note: 'UTF-16BE' };
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return { binary: true };
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return { text: utf8.decode(bytes.subarray(start)) };
  } catch {
    // Mixed or legacy encodings: Latin-1 maps every byte, so string literals survive byte for byte.
    return { text: latin1.decode(bytes.subarray(start)), note: 'not valid UTF-8; read as Latin-1' };
  }
}

/** Minified or generated: very long lines. Such files are parsed only when small. */
export function looksMinified(text: string): boolean {
  if (text.length < 20_000) return false;
  let lines = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  return text.length / lines > 400;
}
