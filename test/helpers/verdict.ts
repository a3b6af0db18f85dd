// A complete Verdict for tests that need one without running the classifier; `extra` overrides any field.
import type { Verdict } from '../../data/model.ts';

export function makeVerdict(
  category: Verdict['category'],
  risk: Verdict['risk'],
  extra: Partial<Verdict> = {},
): Verdict {
  return {
    category,
    risk,
    confidence: 0.8,
    rationale: `Test rationale: ${category} at ${risk} risk.`,
    evidence: [],
    inferredAnnotations: {
      readOnlyHint: category === 'Read',
      destructiveHint: category === 'Destructive',
      idempotentHint: false,
      openWorldHint: false,
    },
    contradictions: [],
    actions: [],
    flags: [],
    tags: [],
    classifier: { name: 'rules', version: 'test' },
    ...extra,
  };
}
