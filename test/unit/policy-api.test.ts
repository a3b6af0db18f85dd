import { describe, expect, it } from 'vitest';
import {
  FORMAT_INFO,
  POLICY_FORMATS,
  buildPolicy,
  renderPolicy,
  type PolicyFormat,
} from '../../classifier/policy/index.ts';
import { MIXED, SERVER } from '../golden/policy/fixtures.ts';

describe('policy public API', () => {
  it('lists the four formats, each with a distinct file name and API-page mapping text', () => {
    expect(POLICY_FORMATS).toEqual(['policy.json', 'claude-code', 'cedar', 'intercept']);
    const model = buildPolicy(SERVER, MIXED);
    const files = POLICY_FORMATS.map((f) => renderPolicy(model, f).filename);
    expect(new Set(files).size).toBe(4);
    for (const format of POLICY_FORMATS) {
      expect(FORMAT_INFO[format].label).not.toBe('');
      expect(FORMAT_INFO[format].approval).not.toBe('');
      expect(FORMAT_INFO[format].description).toMatch(/Deny|deny/);
    }
    expect(Object.keys(FORMAT_INFO).sort()).toEqual([...POLICY_FORMATS].sort());
  });

  it('renders every format deterministically, ending in exactly one newline', () => {
    for (const format of POLICY_FORMATS) {
      const a = renderPolicy(buildPolicy(SERVER, MIXED), format).content;
      expect(renderPolicy(buildPolicy(SERVER, MIXED), format).content).toBe(a);
      expect(a.endsWith('\n')).toBe(true);
      expect(a.endsWith('\n\n')).toBe(false);
    }
  });

  it('renders a server with no tools in every format', () => {
    for (const format of POLICY_FORMATS) {
      expect(renderPolicy(buildPolicy(SERVER, []), format).content.length).toBeGreaterThan(10);
    }
  });

  it('rejects an unknown format by name', () => {
    expect(() => renderPolicy(buildPolicy(SERVER, []), 'opa' as PolicyFormat)).toThrow(
      /unknown policy format "opa"/,
    );
  });
});
