// Hostile tool names (quotes, backslashes, control characters, "</script>", bidi overrides, lone
// surrogates, YAML syntax, prototype keys) must give valid, exact, inert output in every format.
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { POLICY_FORMATS, buildPolicy, claudeCodeName, renderPolicy } from '../../classifier/policy/index.ts';
import { parseErrors } from '../golden/policy/cedar-engine.ts';
import { HOSTILE, SERVER } from '../golden/policy/fixtures.ts';
import { expressible, readBack } from '../golden/policy/read-back.ts';

const model = buildPolicy(SERVER, HOSTILE);
const content = Object.fromEntries(POLICY_FORMATS.map((f) => [f, renderPolicy(model, f).content]));
/** Names PolicyLayer's formats can address (see isAddressable); the others fall to default deny. */
const addressable = (name: string) => name !== '*' && name.trim() !== '';

describe('hostile tool names', () => {
  it('parse in every format', () => {
    expect(() => JSON.parse(content['policy.json']!)).not.toThrow();
    expect(() => JSON.parse(content['claude-code']!)).not.toThrow();
    expect(parseErrors(content['cedar']!)).toEqual([]);
    expect(() => parseYaml(content['intercept']!)).not.toThrow();
  });

  it('contain no raw control, invisible or bidirectional characters, other than line feeds', () => {
    for (const format of POLICY_FORMATS) {
      expect([format, content[format]!.match(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u)?.[0]]).toEqual([format, '\n']);
      expect(content[format]!.replace(/\n/g, '')).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
    }
  });

  it('cannot close a <script> element when the JSON is inlined in a page', () => {
    for (const format of ['policy.json', 'claude-code'] as const) {
      expect(content[format]).not.toMatch(/<\/script/i);
      expect(content[format]).not.toContain('<');
    }
  });

  it('keep each decision in every format', () => {
    for (const { name } of HOSTILE) {
      const decision = model.tools.find((t) => t.tool === name)!.decision;
      for (const format of POLICY_FORMATS) {
        const expected =
          (format === 'policy.json' || format === 'intercept') && !addressable(name)
            ? 'deny'
            : expressible(format, decision, name);
        if (format === 'claude-code' && name === '') continue; // no rule; Claude Code asks
        expect([format, name, readBack(format, content[format]!, name)]).toEqual([format, name, expected]);
      }
    }
  });

  it('become valid Claude Code rule names', () => {
    const rules = Object.values(
      JSON.parse(content['claude-code']!).permissions as Record<string, string[]>,
    ).flat();
    for (const rule of rules) expect(rule).toMatch(/^mcp__reaper__[A-Za-z0-9_-]+$/);
    expect(rules).toContain(`mcp__reaper__${claudeCodeName('</script><script>alert(1)</script>')}`);
  });

  it('escape to the exact Cedar literal', () => {
    const cedar = content['cedar']!;
    expect(cedar).toContain('Tool::"say \\"hi\\""');
    expect(cedar).toContain('Tool::"back\\\\slash"');
    expect(cedar).toContain('Tool::"new\\nline"');
    expect(cedar).toContain('Tool::"rtl\\u{202E}override"');
    expect(cedar).toContain('Tool::"nul\\u{0}byte"');
    expect(cedar).toContain('Tool::"lone\uFFFDsurrogate"'); // as a Go gateway decodes it
  });
});
