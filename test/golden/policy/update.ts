// Rewrites the golden files from the current generators: `npx tsx test/golden/policy/update.ts`.
// Review the diff before committing: the goldens are the contract, not a snapshot to accept blindly.
import { mkdirSync, writeFileSync } from 'node:fs';
import { buildPolicy, renderPolicy } from '../../../classifier/policy/index.ts';
import { GOLDEN_CASES, goldenPath } from './cases.ts';
import { SERVER } from './fixtures.ts';

for (const { format, file, tools, overrides } of GOLDEN_CASES) {
  const path = goldenPath(format, file);
  mkdirSync(new URL('.', path), { recursive: true });
  writeFileSync(path, renderPolicy(buildPolicy(SERVER, tools, overrides), format).content);
}
