// `mcp-catalog scan`: list and classify every tool of one server — a local source directory (static
// extraction), a live server over stdio or HTTP — without touching the catalogue. Made for CI.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parse as parseShell } from 'shell-quote';
import { classifyTool } from '../../classifier/index.ts';
import type { ClassifiedTool, Launch, ToolDefinition } from '../../data/model.ts';
import { positiveNumber, type CliContext } from '../context.ts';
import { UsageError } from '../errors.ts';
import { terminalSafe, toolsJson, toolsTable } from '../render.ts';
import { checkFailOn } from './classify.ts';
import { failOnOption, type FailOnOptions } from './options.ts';

interface ScanOptions extends FailOnOptions {
  json?: boolean;
  stdio?: string;
  timeout?: number;
  includeTests?: boolean;
  includeExamples?: boolean;
}

/** Split `--stdio "<command and args>"` like a shell would, but refuse shell operators: nothing is run by a shell. */
export function parseStdioCommand(text: string): Launch {
  const parts = parseShell(text);
  const words: string[] = [];
  for (const p of parts) {
    if (typeof p !== 'string') {
      throw new UsageError(
        `--stdio takes a command and its arguments, not shell syntax (found ${JSON.stringify(p)})`,
      );
    }
    words.push(p);
  }
  const [command, ...args] = words;
  if (!command) throw new UsageError('--stdio needs a command, e.g. --stdio "node server.js"');
  return { transport: 'stdio', command, args };
}

const classify = (tools: ToolDefinition[], serverName?: string): ClassifiedTool[] =>
  tools.map((t) => ({ ...t, verdict: classifyTool(t, { serverName }) }));

export function registerScan(program: Command, ctx: () => CliContext): void {
  failOnOption(
    program
      .command('scan')
      .description(
        'list and classify the tools of one server: a source directory, a GitHub repository, an http(s) MCP endpoint, or --stdio',
      )
      .argument(
        '[target]',
        'a local directory, github:owner/repo[/subdir][@ref], or an http(s):// MCP endpoint',
      )
      .option('--stdio <command>', 'start a server with this command line and ask it over stdio')
      .option('--json', 'print {"tools":[...]} instead of a table')
      .option(
        '--timeout <seconds>',
        'seconds allowed to connect and to list tools',
        positiveNumber('--timeout'),
      )
      .option('--include-tests', 'also read tests when scanning a directory')
      .option('--include-examples', 'also read examples and docs when scanning a directory'),
  ).action(async (target: string | undefined, opts: ScanOptions) => {
    const { config, out, err } = ctx();
    if (opts.stdio && target) throw new UsageError('give either a target or --stdio, not both');
    const live = {
      connectTimeoutS: opts.timeout ?? config.connectTimeoutS,
      listTimeoutS: opts.timeout ?? config.listTimeoutS,
      maxReadBytes: config.maxReadMb * 1024 * 1024,
    };

    // Loaded on demand: each brings in a parser or an SDK transport the other paths never need.
    const { introspect } = await import('../../crawler/live/introspect.ts');
    let tools: ClassifiedTool[];
    if (opts.stdio) {
      const launch = parseStdioCommand(opts.stdio);
      const result = await introspect(launch, { label: opts.stdio, ...live });
      tools = classify(result.tools, result.info.name);
    } else if (target && /^https?:\/\//i.test(target)) {
      const result = await introspect({ transport: 'http', url: target }, { label: target, ...live });
      tools = classify(result.tools, result.info.name);
    } else if (target && target.startsWith('github:')) {
      const { scanGitHub } = await import('../scan-github.ts');
      tools = await scanGitHub(ctx(), target, opts);
    } else if (target) {
      const dir = path.resolve(target);
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new UsageError(`${target} is not a directory, an http(s):// URL, or github:owner/repo`);
      }
      const { extractFromDirectory } = await import('../../crawler/extract/index.ts');
      const result = await extractFromDirectory(dir, {
        includeTests: opts.includeTests,
        includeExamples: opts.includeExamples,
      });
      for (const note of result.notes.filter((n) => n.level === 'warn')) {
        err(
          `note: ${terminalSafe(note.path)}${note.line ? `:${note.line}` : ''}: ${terminalSafe(note.message)}`,
        );
      }
      tools = result.servers.flatMap((s) => classify(s.tools, s.name));
      if (!opts.json && result.servers.length > 1) {
        err(
          `found ${result.servers.length} servers: ${result.servers.map((s) => `${s.root} (${s.tools.length})`).join(', ')}`,
        );
      }
    } else {
      throw new UsageError(
        'scan needs a target (a directory, github:owner/repo or an http(s):// URL) or --stdio "<command>"',
      );
    }
    out(opts.json ? toolsJson(tools) : toolsTable(tools));
    checkFailOn(tools, opts);
  });
}
