// How classified tools are printed: the JSON contract of DESIGN.md, and a table for people.
import type { ClassifiedTool, Risk } from '../data/model.ts';
import { RISKS } from '../data/model.ts';

/** The `{"tools":[...]}` contract: the definition as served, then the verdict's fields beside it. */
export function toolsJson(tools: ClassifiedTool[]): string {
  const out = tools.map(({ verdict, ...definition }) => ({
    ...definition,
    category: verdict.category,
    risk: verdict.risk,
    confidence: verdict.confidence,
    rationale: verdict.rationale,
    evidence: verdict.evidence,
    inferredAnnotations: verdict.inferredAnnotations,
    contradictions: verdict.contradictions,
    actions: verdict.actions,
    flags: verdict.flags,
    tags: verdict.tags,
    classifier: verdict.classifier,
  }));
  return JSON.stringify({ tools: out }, null, 2);
}

// Control and invisible characters in untrusted text would corrupt a terminal: show them as escapes.
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]|\udb40[\udc00-\udc7f]/g;
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
}

function fit(text: string, width: number): string {
  const clean = terminalSafe(text).replace(/\s+/g, ' ');
  return clean.length > width ? `${clean.slice(0, Math.max(0, width - 1))}…` : clean.padEnd(width);
}

/** A plain aligned table: name, category, risk, and as much of the rationale as the terminal fits. */
export function toolsTable(tools: ClassifiedTool[], columns = process.stdout.columns || 120): string {
  const nameWidth = Math.min(40, Math.max(4, ...tools.map((t) => t.name.length)));
  const fixed = nameWidth + 13 + 10 + 6;
  const whyWidth = Math.max(20, columns - fixed);
  const header = `${'TOOL'.padEnd(nameWidth)}  ${'CATEGORY'.padEnd(11)}  ${'RISK'.padEnd(8)}  WHY`;
  const rows = tools.map(
    (t) =>
      `${fit(t.name, nameWidth)}  ${t.verdict.category.padEnd(11)}  ${t.verdict.risk.padEnd(8)}  ${fit(t.verdict.rationale, whyWidth).trimEnd()}`,
  );
  const counts = RISKS.map((r) => `${tools.filter((t) => t.verdict.risk === r).length} ${r}`).join(', ');
  return [header, ...rows, '', `${tools.length} tools: ${counts}`].join('\n');
}

export function riskAtLeast(risk: Risk, threshold: Risk): boolean {
  return RISKS.indexOf(risk) >= RISKS.indexOf(threshold);
}
