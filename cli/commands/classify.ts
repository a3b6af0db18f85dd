// `mcp-catalog classify <file|->`: classify MCP tool definitions given as JSON, JSON lines or a tools/list
// result; one result per tool, in the same order.
import type { Command } from 'commander';
import { classifyTool } from '../../classifier/index.ts';
import type { ClassifiedTool } from '../../data/model.ts';
import type { CliContext } from '../context.ts';
import { FailOnError } from '../errors.ts';
import { riskAtLeast, toolsJson, toolsTable } from '../render.ts';
import { parseToolDefinitions, readSource } from '../tool-input.ts';
import { failOnOption, type FailOnOptions } from './options.ts';

export function registerClassify(program: Command, ctx: () => CliContext): void {
  failOnOption(
    program
      .command('classify')
      .description('classify MCP tool definitions (a JSON array, a tools/list result, or JSON lines)')
      .argument('<file>', 'file to read, or - for standard input')
      .option('--json', 'print {"tools":[...]} instead of a table')
      .option('--server <name>', 'the server the tools come from (context for ambiguous verbs)'),
  ).action(async (file: string, opts: { json?: boolean; server?: string } & FailOnOptions) => {
    const { out } = ctx();
    const label = file === '-' ? 'stdin' : file;
    const definitions = parseToolDefinitions(await readSource(file), label);
    const tools: ClassifiedTool[] = definitions.map((d) => ({
      ...d,
      verdict: classifyTool(d, { serverName: opts.server }),
    }));
    out(opts.json ? toolsJson(tools) : toolsTable(tools));
    checkFailOn(tools, opts);
  });
}

export function checkFailOn(tools: ClassifiedTool[], opts: FailOnOptions): void {
  if (!opts.failOn) return;
  const over = tools.filter((t) => riskAtLeast(t.verdict.risk, opts.failOn!));
  if (over.length > 0) {
    const names = over.slice(0, 10).map((t) => `${t.name} (${t.verdict.risk})`);
    throw new FailOnError(
      `${over.length} tool(s) at or above ${opts.failOn} risk: ${names.join(', ')}${over.length > 10 ? ', …' : ''}`,
    );
  }
}
