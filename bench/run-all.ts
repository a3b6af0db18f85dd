// `npm run bench`: every benchmark in turn, each in its own process so one's memory and JIT state do not
// colour the next. Prints each benchmark's closing figure line at the end.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../data/config.ts';

const BENCHES = ['classify', 'extract', 'crawl', 'site'];
const summary: string[] = [];
let failed = 0;
for (const name of BENCHES) {
  const file = path.join(PROJECT_ROOT, 'bench', `${name}.ts`);
  if (!fs.existsSync(file)) {
    summary.push(`${name}-bench: not present`);
    continue;
  }
  console.log(`\n=== bench:${name}`);
  const res = spawnSync(process.execPath, ['--import', 'tsx', file], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(res.stdout);
  const last = res.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith(`${name}-bench:`))
    .at(-1);
  if (res.status !== 0) failed++;
  summary.push(last ?? `${name}-bench: failed (exit ${res.status})`);
}
console.log(`\n=== summary\n${summary.join('\n')}`);
process.exitCode = failed > 0 ? 1 : 0;
