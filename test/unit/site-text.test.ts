import { describe, expect, it } from 'vitest';
import {
  countInvisible,
  escapeInvisibleInJson,
  excerpt,
  safeHttpUrl,
  splitText,
  visibleText,
} from '../../site/src/lib/text.ts';
import { safeJson } from '../../site/src/lib/respond.ts';
import { HOSTILE_URLS, PAYLOADS } from '../fixtures/servers/hostile-strings.mjs';

describe('splitText', () => {
  it('keeps ordinary text, HTML-looking text and emoji as one text part', () => {
    expect(splitText(PAYLOADS.script!)).toEqual([{ kind: 'text', text: '<script>alert(1)</script>' }]);
    expect(splitText('emoji 👩‍💻 ❤️ 1️⃣')).toEqual([{ kind: 'text', text: 'emoji 👩‍💻 ❤️ 1️⃣' }]);
  });

  it('marks a zero-width joiner or variation selector that is not part of an emoji', () => {
    expect(visibleText('a\u200db x\ufe0f')).toBe('a⟨U+200D⟩b x⟨U+FE0F⟩');
  });

  it('replaces direction overrides and zero-width characters with named markers', () => {
    expect(splitText('safe_tool\u202egnp.exe')).toEqual([
      { kind: 'text', text: 'safe_tool' },
      { kind: 'invisible', label: '⟨U+202E⟩', title: 'U+202E RIGHT-TO-LEFT OVERRIDE' },
      { kind: 'text', text: 'gnp.exe' },
    ]);
    expect(visibleText('read\u200bonly')).toBe('read⟨U+200B⟩only');
  });

  it('spells out a run of tag characters as the ASCII they hide', () => {
    const parts = splitText(PAYLOADS.tagCharacters!);
    expect(parts).toEqual([
      { kind: 'text', text: 'visible' },
      expect.objectContaining({ kind: 'invisible', label: '⟨hidden tag text: "ABC{U+E007F}"⟩' }),
    ]);
  });

  it('marks control characters but keeps newlines and tabs', () => {
    expect(visibleText('a\u0000b\u001bc\n\td')).toBe('a⟨U+0000⟩b⟨U+001B⟩c\n\td');
  });
});

describe('countInvisible', () => {
  it('counts every invisible code point, tag characters included', () => {
    expect(countInvisible('plain text 👩‍💻')).toBe(0);
    expect(countInvisible('\u2066isolated\u2069')).toBe(2);
    expect(countInvisible(PAYLOADS.tagCharacters!)).toBe(4);
  });
});

describe('safeHttpUrl', () => {
  it('links only absolute http and https URLs', () => {
    expect(safeHttpUrl('https://github.com/a/b')).toBe('https://github.com/a/b');
    expect(safeHttpUrl('http://example.com')).toBe('http://example.com/');
    expect(safeHttpUrl('  https://example.com/x  ')).toBe('https://example.com/x');
  });

  it('never links javascript:, data:, vbscript:, relative or broken URLs', () => {
    for (const url of Object.values(HOSTILE_URLS)) expect(safeHttpUrl(url), url).toBeNull();
    for (const url of ['JaVaScRiPt:alert(1)', '/relative', '//evil.example', 'https:', 'ftp://x', '', null]) {
      expect(safeHttpUrl(url), String(url)).toBeNull();
    }
  });
});

describe('excerpt', () => {
  it('cuts on a code point boundary and marks the cut', () => {
    expect(excerpt('short', 10)).toBe('short');
    expect(excerpt('abcdef', 3)).toBe('abc…');
    expect(excerpt('😀😀😀', 2)).toBe('😀😀…');
  });
});

describe('JSON made inert', () => {
  it('escapeInvisibleInJson keeps the value and shows invisible characters as escapes', () => {
    const value = { tools: { ['safe\u202eexe' + String.fromCodePoint(0xe0041)]: {} }, sep: '\u2028' };
    const shown = escapeInvisibleInJson(JSON.stringify(value, null, 2));
    expect(shown).toContain('safe\\u202eexe\\udb40\\udc41');
    expect(shown).toContain('\\u2028');
    expect(countInvisible(shown)).toBe(0);
    expect(JSON.parse(shown)).toEqual(value);
  });

  it('safeJson never emits <, > or & and parses back to the same value', () => {
    const value = { d: `${PAYLOADS.closeScriptJson} & ${PAYLOADS.svgBreakout} \u2028` };
    const text = safeJson(value);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
