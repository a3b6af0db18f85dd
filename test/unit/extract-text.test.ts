// String helpers behind "descriptions exactly as served": Python's inspect.cleandoc and
// textwrap.dedent, escape decoding per language, and .NET's snake_case_lower tool names.
import { describe, expect, it } from 'vitest';
import { snakeCaseLower } from '../../crawler/extract/csharp.ts';
import { cleandoc, dedent, unescape } from '../../crawler/extract/text.ts';

describe('cleandoc (inspect.cleandoc semantics)', () => {
  it('strips the first line, the common margin of the rest, and blank edges', () => {
    expect(cleandoc('\n    Set the mode.\n\n    Parameters:\n    - a: the a\n    ')).toBe(
      'Set the mode.\n\nParameters:\n- a: the a',
    );
  });

  it('keeps extra indentation beyond the margin and ignores the first line for the margin', () => {
    expect(cleandoc('First.\n        deeper\n    base\n')).toBe('First.\n    deeper\nbase');
  });

  it('expands tabs to 8 columns before measuring', () => {
    expect(cleandoc('x\n\tone\n\t  two')).toBe('x\none\n  two');
  });

  it('keeps a whitespace-only line that is longer than the margin', () => {
    expect(cleandoc('a\n  b\n     \n  c')).toBe('a\nb\n   \nc');
  });
});

describe('dedent (textwrap.dedent semantics)', () => {
  it('removes the common leading whitespace and blanks whitespace-only lines', () => {
    expect(dedent('    a\n      b\n   \n    c')).toBe('a\n  b\n\nc');
  });
});

describe('unescape', () => {
  it('decodes the common escapes in every language', () => {
    for (const flavour of ['python', 'js', 'go', 'csharp', 'java', 'rust'] as const)
      expect(unescape('a\\nb\\t\\"c\\\\', flavour)).toBe('a\nb\t"c\\');
  });

  it('decodes hex and unicode escapes', () => {
    expect(unescape('\\x41\\u00e9\\u{1F600}', 'js')).toBe('A\u00e9\u{1F600}');
    expect(unescape('\\U0001F600', 'python')).toBe('\u{1F600}');
  });

  it('keeps unknown escapes with their backslash in Python only', () => {
    expect(unescape('\\d+', 'python')).toBe('\\d+');
    expect(unescape('\\d+', 'js')).toBe('d+');
  });

  it('drops escaped line breaks in Python and JS strings', () => {
    expect(unescape('one \\\ntwo', 'python')).toBe('one two');
  });
});

describe('snakeCaseLower (.NET JsonNamingPolicy.SnakeCaseLower)', () => {
  it('splits at case changes and acronyms', () => {
    expect(snakeCaseLower('GetAlerts')).toBe('get_alerts');
    expect(snakeCaseLower('GetHTTPResponse')).toBe('get_http_response');
    expect(snakeCaseLower('Echo')).toBe('echo');
    expect(snakeCaseLower('Get_Items2Now')).toBe('get_items2_now');
  });
});
