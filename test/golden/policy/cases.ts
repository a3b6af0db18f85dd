// Which golden files exist and what each pins. Files end in `.golden` so prettier leaves their bytes alone.
import type { Decision, PolicyFormat } from '../../../classifier/policy/index.ts';
import { DESTRUCTIVE, EXECUTE, MIXED, READ, UNCLASSIFIED, WRITE, type FixtureTool } from './fixtures.ts';

export interface GoldenCase {
  format: PolicyFormat;
  file: string;
  tools: FixtureTool[];
  overrides?: Record<string, Decision>;
}

const DIR: Record<PolicyFormat, string> = {
  'policy.json': 'policylayer',
  'claude-code': 'claude-code',
  cedar: 'cedar',
  intercept: 'intercept',
};
const EXT: Record<PolicyFormat, string> = {
  'policy.json': 'json',
  'claude-code': 'json',
  cedar: 'cedar',
  intercept: 'yaml',
};

/** The user's choices in the policy builder: opt into one destructive tool, lock down one read tool. */
export const BUILDER_OVERRIDES: Record<string, Decision> = {
  delete_track: 'approve',
  list_tracks: 'deny',
  run_command: 'rate-limit',
  mystery_tool: 'allow',
};

const SINGLE: [string, FixtureTool][] = [
  ['read', READ],
  ['write', WRITE],
  ['execute', EXECUTE],
  ['destructive', DESTRUCTIVE],
  ['unclassified', UNCLASSIFIED],
];

export const GOLDEN_CASES: GoldenCase[] = [
  // PolicyLayer pins every single-tool shape (the tool page's download) as well as whole servers.
  ...SINGLE.map(([name, tool]): GoldenCase => ({ format: 'policy.json', file: name, tools: [tool] })),
  ...(['policy.json', 'claude-code', 'cedar', 'intercept'] as const).flatMap((format): GoldenCase[] => [
    { format, file: 'mixed-server', tools: MIXED },
    { format, file: 'builder-overrides', tools: MIXED, overrides: BUILDER_OVERRIDES },
  ]),
];

export function goldenPath(format: PolicyFormat, file: string): URL {
  return new URL(`./${DIR[format]}/${file}.${EXT[format]}.golden`, import.meta.url);
}
