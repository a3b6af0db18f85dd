// Golden files pin the exact bytes every generator emits (they end in .golden so prettier leaves them
// alone). To change one on purpose: `npx tsx test/golden/policy/update.ts`, then review the diff.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPolicy, renderPolicy } from '../../classifier/policy/index.ts';
import { GOLDEN_CASES, goldenPath } from '../golden/policy/cases.ts';
import { SERVER } from '../golden/policy/fixtures.ts';

describe('golden policy output', () => {
  it.each(GOLDEN_CASES.map((c) => [`${c.format} ${c.file}`, c] as const))('%s', (_label, c) => {
    const expected = readFileSync(goldenPath(c.format, c.file), 'utf8');
    expect(renderPolicy(buildPolicy(SERVER, c.tools, c.overrides), c.format).content).toBe(expected);
  });

  it('does not depend on the order the crawl found the tools in', () => {
    for (const c of GOLDEN_CASES) {
      const reversed = renderPolicy(
        buildPolicy(SERVER, [...c.tools].reverse(), c.overrides),
        c.format,
      ).content;
      expect(reversed).toBe(readFileSync(goldenPath(c.format, c.file), 'utf8'));
    }
  });
});
