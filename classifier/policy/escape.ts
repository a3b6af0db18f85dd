// Text escaping shared by the renderers. Tool names are untrusted: they may hold quotes, newlines,
// "</script>", bidirectional overrides or lone surrogates, and every format must keep them exact and inert.

/** Invisible and bidirectional formatting characters, and Unicode line/paragraph separators. */
const INVISIBLE = /[\p{Cf}\p{Zl}\p{Zp}]/gu;

function hex4(ch: string): string {
  return ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
}

/**
 * JSON text safe to inline in an HTML <script> element and readable by a person: `<`, `>` and `&` and
 * invisible characters become \uXXXX escapes. Only valid because JSON structure is plain ASCII, so these
 * characters can occur only inside strings, where the escape means the same character.
 */
export function stringifyJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)
    .replace(/[<>&]/g, (ch) => `\\u${hex4(ch)}`)
    .replace(INVISIBLE, (ch) => `\\u${hex4(ch)}`)}\n`;
}

/**
 * Escape invisible characters inside YAML double-quoted scalars (`\uXXXX` is a valid YAML escape there).
 * Callers guarantee every untrusted string is emitted double-quoted, so no such character can occur
 * outside one.
 */
export function escapeInvisibleInYaml(text: string): string {
  return text.replace(INVISIBLE, (ch) => `\\u${hex4(ch)}`);
}

/** Lone UTF-16 surrogates: not Unicode scalar values, so no UTF-8 format can carry them. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A Cedar string literal, quotes included. Cedar strings take Rust-style escapes:
 * `\\`, `\"`, `\n`, `\r`, `\t`, `\0` and `\u{…}`. Control, invisible and bidirectional characters are
 * written as `\u{…}` so a reviewer sees them. A lone surrogate becomes U+FFFD, which is what a Go gateway
 * (ToolHive) decodes it to from JSON, so the literal still matches the name the gateway sees.
 */
export function cedarString(text: string): string {
  let out = '';
  for (const ch of text.replace(LONE_SURROGATE, '\uFFFD')) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(ch))
      out += `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}`;
    else out += ch;
  }
  return `"${out}"`;
}
