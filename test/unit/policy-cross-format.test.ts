// The same tool must get the same decision in every format, as far as each format's vocabulary allows:
// deny = in PolicyLayer's hide, Claude Code's deny, the Cedar engine's Deny, YAML's hide + action deny.
import { describe, expect, it } from 'vitest';
import {
  DECISIONS,
  POLICY_FORMATS,
  buildPolicy,
  renderPolicy,
  type Decision,
} from '../../classifier/policy/index.ts';
import type { Category, Risk } from '../../data/model.ts';
import { SERVER } from '../golden/policy/fixtures.ts';
import { expressible, readBack } from '../golden/policy/read-back.ts';

const TABLE: [string, Category | null, Risk | null, Decision][] = [
  ['get_track', 'Read', 'low', 'allow'],
  ['read_secret', 'Read', 'high', 'allow'],
  ['set_track_monitoring', 'Write', 'medium', 'rate-limit'],
  ['post_message', 'Write', 'high', 'rate-limit'],
  ['run_command', 'Execute', 'critical', 'approve'],
  ['execute_sql', 'Execute', 'high', 'approve'],
  ['delete_track', 'Destructive', 'high', 'deny'],
  ['drop_database', 'Destructive', 'critical', 'deny'],
  ['mystery_tool', null, null, 'approve'],
  ['tracks.list', 'Read', 'low', 'allow'],
  ['tracks.update', 'Write', 'medium', 'rate-limit'],
  ['tracks.delete', 'Destructive', 'high', 'deny'],
];
const TOOLS = TABLE.map(([name, category, risk]) => ({
  name,
  verdict: category && risk ? { category, risk } : null,
}));

describe('cross-format decisions', () => {
  const model = buildPolicy(SERVER, TOOLS);
  const rendered = Object.fromEntries(POLICY_FORMATS.map((f) => [f, renderPolicy(model, f).content]));

  it.each(POLICY_FORMATS.map((f) => [f]))('%s gives every tool its category default', (format) => {
    const got = TABLE.map(([name]) => [name, readBack(format, rendered[format]!, name)]);
    const want = TABLE.map(([name, , , decision]) => [name, expressible(format, decision, name)]);
    expect(got).toEqual(want);
  });

  it('every format denies a tool the policy does not name (Claude Code asks)', () => {
    for (const format of POLICY_FORMATS) {
      expect(readBack(format, rendered[format]!, 'not_in_policy')).toBe(
        format === 'claude-code' ? 'approve' : 'deny',
      );
    }
  });

  it('every override of every category reads back the same in all formats', () => {
    for (const decision of DECISIONS) {
      const overrides = Object.fromEntries(TABLE.map(([name]) => [name, decision]));
      const overridden = buildPolicy(SERVER, TOOLS, overrides);
      for (const format of POLICY_FORMATS) {
        const content = renderPolicy(overridden, format).content;
        for (const [name] of TABLE) {
          const want = [format, name, expressible(format, decision, name)];
          expect([format, name, readBack(format, content, name)]).toEqual(want);
        }
      }
    }
  });
});
