// `npm run eval`: scores the rules classifier against the development sets in ../shared/eval (read at run
// time, never copied). The authors' annotations are stripped from every input; they are used only to
// compare. Prints read-only agreement, dangerous misses, the 4-class confusion matrix with per-class
// precision/recall/F1 and macro-F1, risk agreement, per-action accuracy, and the disagreements with the
// authors' hints. `--verbose` also lists every category or risk miss on the labelled set.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifyTool } from '../classifier/index.ts';
import type { Category, Risk, ToolDefinition, Verdict } from '../data/model.ts';

const here = dirname(fileURLToPath(import.meta.url));
const EVAL_DIR = process.env.MCP_CATALOG_EVAL_DIR ?? resolve(here, '../../shared/eval');
const verbose = process.argv.includes('--verbose');
const CATS: Category[] = ['Read', 'Write', 'Destructive', 'Execute'];
const RISKS: Risk[] = ['low', 'medium', 'high', 'critical'];

interface Labelled {
  package: string;
  name: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  category: Category;
  risk: Risk;
  actions?: Record<string, Category>;
}
interface Annotated {
  repo: string;
  server: string | null;
  name: string;
  title?: string;
  description?: string;
  params: { name: string; type: string | null }[];
  annotations: Record<string, boolean | null>;
}

function readJsonl<T>(file: string): T[] {
  return readFileSync(resolve(EVAL_DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** The annotated file lists parameters as `{name, type}`; turn the type spellings into JSON Schema. */
function paramSchema(type: string | null): Record<string, unknown> {
  const t = (type ?? '')
    .toLowerCase()
    .replace(/optional\[(.*)\]/, '$1')
    .replace(/\s*\|\s*none$/, '');
  if (t.startsWith('array') || t.startsWith('list')) return { type: 'array' };
  if (t === 'str' || t === 'string' || t === 'url') return { type: 'string' };
  if (t === 'int' || t === 'integer') return { type: 'integer' };
  if (t === 'number' || t === 'float') return { type: 'number' };
  if (t === 'bool' || t === 'boolean') return { type: 'boolean' };
  if (t === 'object' || t === 'record' || t.startsWith('dict')) return { type: 'object' };
  return {};
}

const pct = (n: number, d: number): string => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);
const firstSentence = (s: string): string => s.split(/(?<=\.)\s/)[1] ?? s;

function evalAnnotated(): void {
  const rows = readJsonl<Annotated>('dev-annotated-tools.jsonl');
  let agree = 0;
  let total = 0;
  let falseTotal = 0;
  let falseCalledRead = 0;
  let trueTotal = 0;
  let trueCalledOther = 0;
  const disagreements: { tool: Annotated; v: Verdict; declared: boolean }[] = [];
  for (const r of rows) {
    const properties: Record<string, object> = {};
    for (const p of r.params) properties[p.name] = paramSchema(p.type);
    const tool: ToolDefinition = {
      name: r.name,
      ...(r.title ? { title: r.title } : {}),
      ...(r.description ? { description: r.description } : {}),
      inputSchema: { type: 'object', properties },
    };
    const v = classifyTool(tool, { serverName: `${r.repo}${r.server ? '/' + r.server : ''}` });
    // Unset readOnlyHint takes the MCP default (false), as the eval README says.
    const declared = r.annotations.readOnlyHint ?? false;
    total++;
    if (v.inferredAnnotations.readOnlyHint === declared) agree++;
    else disagreements.push({ tool: r, v, declared });
    if (!declared) {
      falseTotal++;
      if (v.category === 'Read') falseCalledRead++;
    } else {
      trueTotal++;
      if (v.category !== 'Read') trueCalledOther++;
    }
  }
  console.log(`\n== dev-annotated-tools.jsonl (${rows.length} tools, authors' readOnlyHint as truth)`);
  console.log(`read-only agreement:              ${agree}/${total} = ${pct(agree, total)}`);
  console.log(
    `non-read-only called Read:        ${falseCalledRead}/${falseTotal} = ${pct(falseCalledRead, falseTotal)}`,
  );
  console.log(
    `read-only called something else:  ${trueCalledOther}/${trueTotal} = ${pct(trueCalledOther, trueTotal)}`,
  );
  printDisagreements(disagreements);
}

function printDisagreements(list: { tool: Annotated; v: Verdict; declared: boolean }[]): void {
  // A disagreement is more likely the author's when our verdict rests on name and description agreeing
  // (high confidence) or on a convention the README documents (raw query text is Execute).
  const theirs = list.filter(
    (d) =>
      d.v.confidence >= 0.75 || d.v.evidence.some((e) => e.signal === 'schema' && e.suggests === 'Execute'),
  );
  const ours = list.filter((d) => !theirs.includes(d));
  console.log(`\ndisagreements with the authors' readOnlyHint: ${list.length}`);
  console.log(
    `  believed the authors' (our evidence is strong, or a documented convention differs): ${theirs.length}`,
  );
  for (const d of theirs) console.log(`    ${line(d)}`);
  console.log(`  undecided (our evidence is weak; check these by hand): ${ours.length}`);
  for (const d of ours) console.log(`    ${line(d)}`);
}

function line(d: { tool: Annotated; v: Verdict; declared: boolean }): string {
  return `${d.tool.name} [${d.tool.repo.split('/')[1]}] readOnlyHint:${d.declared} vs ${d.v.category}/${d.v.risk} (conf ${d.v.confidence}) — ${firstSentence(d.v.rationale)}`;
}

function evalLabelled(): void {
  const rows = readJsonl<Labelled>('dev-labelled-tools.jsonl');
  const matrix = CATS.map(() => CATS.map(() => 0));
  let riskExact = 0;
  let riskWithin = 0;
  let riskUnder = 0;
  let actionTotal = 0;
  let actionRight = 0;
  let unclassified = 0;
  let roFalse = 0;
  let roFalseRead = 0;
  const misses: string[] = [];
  // Calibration: category accuracy per confidence band, to check that confidence means something.
  const bands = [
    { lo: 0, hi: 0.5, n: 0, right: 0 },
    { lo: 0.5, hi: 0.75, n: 0, right: 0 },
    { lo: 0.75, hi: 1.01, n: 0, right: 0 },
  ];
  for (const r of rows) {
    const tool: ToolDefinition = {
      name: r.name,
      ...(r.description ? { description: r.description } : {}),
      inputSchema: (r.inputSchema ?? { type: 'object' }) as ToolDefinition['inputSchema'],
    };
    const v = classifyTool(tool, { serverName: r.package });
    if (v.flags.some((f) => f.kind === 'internal-error')) unclassified++;
    const band = bands.find((b) => v.confidence >= b.lo && v.confidence < b.hi);
    if (band) {
      band.n++;
      if (v.category === r.category) band.right++;
    }
    const row = matrix[CATS.indexOf(r.category)];
    if (row) row[CATS.indexOf(v.category)]! += 1;
    const dr = RISKS.indexOf(v.risk) - RISKS.indexOf(r.risk);
    if (dr === 0) riskExact++;
    if (Math.abs(dr) <= 1) riskWithin++;
    if (dr < 0) riskUnder++;
    if (r.category !== 'Read') {
      roFalse++;
      if (v.category === 'Read') roFalseRead++;
    }
    if (r.actions) {
      for (const [value, cat] of Object.entries(r.actions)) {
        actionTotal++;
        const a = v.actions.find((x) => x.value === value);
        if (a?.category === cat) actionRight++;
        else if (verbose)
          misses.push(`  action ${r.name}.${value}: want ${cat}, got ${a?.category ?? 'none'}`);
      }
    }
    if (verbose && (v.category !== r.category || v.risk !== r.risk))
      misses.push(
        `  ${r.name} (${r.package}): want ${r.category}/${r.risk}, got ${v.category}/${v.risk} conf ${v.confidence} — ${v.rationale.slice(0, 220)}`,
      );
  }
  console.log(`\n== dev-labelled-tools.jsonl (${rows.length} tools, hand labels as truth)`);
  console.log('confusion matrix (rows: label, columns: classifier)');
  console.log(`  ${''.padEnd(12)}${CATS.map((c) => c.padStart(12)).join('')}`);
  CATS.forEach((c, i) =>
    console.log(`  ${c.padEnd(12)}${(matrix[i] ?? []).map((n) => String(n).padStart(12)).join('')}`),
  );
  let f1sum = 0;
  CATS.forEach((c, i) => {
    const tp = matrix[i]?.[i] ?? 0;
    const predicted = CATS.reduce((s, _, j) => s + (matrix[j]?.[i] ?? 0), 0);
    const actual = (matrix[i] ?? []).reduce((s, n) => s + n, 0);
    const p = predicted ? tp / predicted : 0;
    const rc = actual ? tp / actual : 0;
    const f1 = p + rc ? (2 * p * rc) / (p + rc) : 0;
    f1sum += f1;
    console.log(
      `  ${c.padEnd(12)} precision ${p.toFixed(3)}  recall ${rc.toFixed(3)}  F1 ${f1.toFixed(3)}  (n=${actual})`,
    );
  });
  const n = rows.length;
  console.log(`macro-F1:                         ${(f1sum / CATS.length).toFixed(3)}`);
  console.log(
    `accuracy:                         ${pct(
      matrix.reduce((s, row, i) => s + (row[i] ?? 0), 0),
      n,
    )}`,
  );
  console.log(`labelled non-Read called Read:    ${roFalseRead}/${roFalse} = ${pct(roFalseRead, roFalse)}`);
  console.log(`risk exact:                       ${riskExact}/${n} = ${pct(riskExact, n)}`);
  console.log(`risk within one level:            ${riskWithin}/${n} = ${pct(riskWithin, n)}`);
  console.log(`risk under-rated:                 ${riskUnder}/${n} = ${pct(riskUnder, n)}`);
  console.log(
    `per-action accuracy:              ${actionRight}/${actionTotal} = ${pct(actionRight, actionTotal)}`,
  );
  console.log(`unclassified:                     ${unclassified}`);
  for (const b of bands)
    console.log(
      `confidence ${b.lo.toFixed(2)}–${Math.min(1, b.hi).toFixed(2)}: ${b.right}/${b.n} right = ${pct(b.right, b.n)}`,
    );
  if (verbose) for (const m of misses) console.log(m);
}

evalAnnotated();
evalLabelled();
