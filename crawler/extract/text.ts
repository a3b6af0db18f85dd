// String helpers shared by the language extractors: docstring cleaning and escape decoding.

/** Python's `inspect.cleandoc`, which FastMCP-style servers apply to docstrings. */
export function cleandoc(doc: string): string {
  const lines = expandTabs(doc).split('\n');
  let margin = Infinity;
  for (const line of lines.slice(1)) {
    const content = line.replace(/^\s+/, '').length;
    if (content > 0) margin = Math.min(margin, line.length - content);
  }
  if (lines.length > 0) lines[0] = (lines[0] as string).replace(/^\s+/, '');
  if (margin !== Infinity)
    for (let i = 1; i < lines.length; i++) lines[i] = (lines[i] as string).slice(margin);
  while (lines.length > 0 && !lines[lines.length - 1]) lines.pop();
  while (lines.length > 0 && !lines[0]) lines.shift();
  return lines.join('\n');
}

/** Python's `textwrap.dedent`: removes the common leading whitespace of non-blank lines. */
export function dedent(text: string): string {
  const lines = text.split('\n');
  let margin: string | undefined;
  for (const line of lines) {
    if (!line.trim()) continue;
    const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (margin === undefined || !indent.startsWith(margin)) {
      let i = 0;
      const prev = margin ?? indent;
      while (i < prev.length && i < indent.length && prev[i] === indent[i]) i++;
      margin = margin === undefined ? indent : prev.slice(0, i);
    }
  }
  return lines.map((l) => (l.trim() ? l.slice(margin?.length ?? 0) : l.replace(/^[ \t]+$/, ''))).join('\n');
}

function expandTabs(text: string, size = 8): string {
  if (!text.includes('\t')) return text;
  return text
    .split('\n')
    .map((line) => {
      let out = '';
      for (const ch of line) out += ch === '\t' ? ' '.repeat(size - (out.length % size)) : ch;
      return out;
    })
    .join('\n');
}

const SIMPLE: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  a: '\x07',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '`': '`',
};

/**
 * Decodes backslash escapes. `flavour` picks the handful of differences: Python keeps unknown escapes
 * with their backslash; JavaScript and C# drop the backslash; Go has no unknown escapes.
 */
export function unescape(raw: string, flavour: 'python' | 'js' | 'go' | 'csharp' | 'java' | 'rust'): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(
    /\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|[0-7]{1,3}|\r\n|\n|N\{[^}]*\}|.)/g,
    (whole, esc: string) => {
      const c = esc[0] as string;
      if (esc === '\n' || esc === '\r\n') return flavour === 'python' || flavour === 'js' ? '' : whole;
      if (c === 'u' && esc[1] === '{') return String.fromCodePoint(parseInt(esc.slice(2, -1), 16));
      if (c === 'u' || c === 'U' || c === 'x') return String.fromCodePoint(parseInt(esc.slice(1), 16));
      if (/^[0-7]/.test(esc) && !(esc === '0' && flavour === 'js'))
        return String.fromCharCode(parseInt(esc, 8));
      const simple = SIMPLE[c];
      if (simple !== undefined && esc.length === 1) return simple;
      if (c === 'N' && flavour === 'python') return whole;
      return flavour === 'python' ? whole : esc;
    },
  );
}
