// Entry point of the `mcp-catalog` command: wiring only. Each subcommand lives in cli/commands/.
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError, PROJECT_ROOT } from '../data/config.ts';
import { createContext, type CliContext } from './context.ts';
import { FailOnError, UsageError } from './errors.ts';
import { registerClassify } from './commands/classify.ts';
import { registerCrawl } from './commands/crawl.ts';
import { registerPolicy } from './commands/policy.ts';
import { registerScan } from './commands/scan.ts';
import { registerServe } from './commands/serve.ts';
import { registerStart } from './commands/start.ts';
import { registerStats } from './commands/stats.ts';

let context: CliContext | undefined;
const ctx = (): CliContext => (context ??= createContext());

const program = new Command('mcp-catalog')
  .description('Catalogue MCP servers’ tools: what each does, how risky it is, and a policy to enforce.')
  .version(
    (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string })
      .version,
  )
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerScan(program, ctx);
registerClassify(program, ctx);
registerPolicy(program, ctx);
registerCrawl(program, ctx);
registerServe(program, ctx);
registerStats(program, ctx);
registerStart(program, ctx);

/** Map every failure to the exit codes of DESIGN.md: 1 = a problem asked to fail on, 2 = bad usage/input. */
function exitCodeFor(error: unknown): number {
  if (error instanceof FailOnError) return 1;
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof UsageError || error instanceof ConfigError) return 2;
  const code = (error as { exitCode?: unknown }).exitCode;
  return typeof code === 'number' ? code : 2;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const code = exitCodeFor(error);
  // Commander has already printed its own usage errors and help.
  if (!(error instanceof CommanderError)) {
    process.stderr.write(`mcp-catalog: ${(error as Error).message}\n`);
    if (process.env.MCP_CATALOG_DEBUG && error instanceof Error && error.stack)
      process.stderr.write(`${error.stack}\n`);
  }
  process.exitCode = code;
}
