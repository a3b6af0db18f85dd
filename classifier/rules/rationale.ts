// The written rationale: what the tool does, why it needs a policy (category reason, severity reason),
// and which words in its definition show it. Generated from evidence, in our own words.
import type { Category, Evidence, Risk } from '../../data/model.ts';
import { clip } from '../text.ts';

const DOES: Record<Category, string> = {
  Read: 'retrieves or inspects data without changing anything',
  Write: 'creates or changes state in a bounded, reversible way',
  Destructive: 'can delete, overwrite or otherwise lose data',
  Execute: 'runs code, commands, raw queries or browser actions with the user’s authority',
};
const POLICY: Record<Category, string> = {
  Read: 'can be allowed',
  Write: 'should be rate-limited',
  Destructive: 'should be denied unless the user opts in',
  Execute: 'should require approval',
};

export function buildRationale(
  name: string,
  cat: Category,
  risk: Risk,
  categoryReason: string,
  riskReason: string,
  evidence: Evidence[],
  actionsSummary: string | undefined,
  doing?: string,
): string {
  const shown: string[] = [];
  const quoted = new Set<string>();
  for (const e of evidence) {
    if (shown.length >= 4) break;
    if (e.signal === 'annotation' || quoted.has(e.excerpt)) continue;
    quoted.add(e.excerpt);
    const where =
      e.signal === 'name'
        ? 'name'
        : e.signal === 'description'
          ? 'description'
          : e.signal === 'schema'
            ? e.excerpt.includes(', ')
              ? 'parameters'
              : 'parameter'
            : 'server';
    shown.push(`${where} "${clip(e.excerpt, 60)}"`);
  }
  const what = doing ? `${doing}: it ${DOES[cat]}` : DOES[cat];
  const s1 = `${clip(name, 60) || 'This tool'} ${what}${actionsSummary ? ` (${actionsSummary})` : ''}.`;
  const s2 = `It is ${cat} because ${categoryReason}, so it ${POLICY[cat]}.`;
  const s3 = `Risk is ${risk}: ${riskReason}.`;
  const s4 = shown.length
    ? `Shown by ${shown.join(', ')}.`
    : 'Its definition says little, so this verdict rests on defaults.';
  return `${s1} ${s2} ${s3} ${s4}`;
}
