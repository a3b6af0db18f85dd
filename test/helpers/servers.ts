// The fixture MCP servers in test/fixtures/servers, as launches and ServerRefs the crawler accepts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerRef, StdioLaunch } from '../../data/model.ts';

export const FIXTURE_SERVERS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/servers',
);

export interface FixtureOptions {
  args?: string[];
  env?: Record<string, string>;
}

/** Run `test/fixtures/servers/<file>` with this node, directly (no shell, no npx). */
export function fixtureLaunch(file: string, options: FixtureOptions = {}): StdioLaunch {
  const launch: StdioLaunch = {
    transport: 'stdio',
    command: process.execPath,
    args: [path.join(FIXTURE_SERVERS_DIR, file), ...(options.args ?? [])],
  };
  if (options.env) launch.env = options.env;
  return launch;
}

/** A ServerRef for a fixture, with id `fixture/<name>`. */
export function fixtureRef(
  name: string,
  file: string,
  options: FixtureOptions & Partial<Omit<ServerRef, 'launch'>> = {},
): ServerRef {
  const { args, env, ...fields } = options;
  const launchOptions: FixtureOptions = {};
  if (args) launchOptions.args = args;
  if (env) launchOptions.env = env;
  return {
    id: `fixture/${name}`,
    name,
    source: 'test',
    packages: [],
    ...fields,
    launch: fixtureLaunch(file, launchOptions),
  };
}
