// `mcp-catalog crawl`: introspect servers and store their classified tools in the catalogue.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import * as z from 'zod/v4';
import { openDatabase } from '../../data/db.ts';
import { ServerRefSchema, type ServerRef } from '../../data/model.ts';
import { positiveNumber, type CliContext } from '../context.ts';
import { FailOnError, InterruptedError, UsageError } from '../errors.ts';
import { crawlProgress, crawlSummaryText } from '../progress.ts';
import { runSourceCrawl, SOURCE_NAMES, type SourceCrawlCommandOptions } from '../crawl-sources.ts';
import { dbOption } from './options.ts';

const ConfigFileSchema = z.union([z.array(ServerRefSchema), z.object({ servers: z.array(ServerRefSchema) })]);

/** Read a crawl config file: `{"servers": [ServerRef, ...]}` or a bare array; relative cwd resolve to the file. */
export function readCrawlConfig(file: string): ServerRef[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new UsageError(`cannot read crawl config ${file}: ${(cause as Error).message}`, { cause });
  }
  const parsed = ConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `crawl config ${file}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`,
    );
  }
  const servers = Array.isArray(parsed.data) ? parsed.data : parsed.data.servers;
  const base = path.dirname(path.resolve(file));
  return servers.map((s) =>
    s.launch?.transport === 'stdio' && s.launch.cwd
      ? { ...s, launch: { ...s.launch, cwd: path.resolve(base, s.launch.cwd) } }
      : s,
  );
}

export interface CrawlCommandOptions {
  db?: string;
  config?: string;
  defaults?: boolean;
  concurrency?: number;
  timeout?: number;
  strict?: boolean;
}

/** Run a crawl with progress and a summary; shared by `crawl` and `start`. */
export async function runCrawl(ctx: CliContext, opts: CrawlCommandOptions): Promise<void> {
  const { config } = ctx;
  const { crawl } = await import('../../crawler/crawl.ts');
  const { defaultServers } = await import('../../crawler/defaults.ts');
  const { killAllServers } = await import('../../crawler/live/index.ts');
  const { judgeFromConfig } = await import('../../classifier/llm/index.ts');
  const refs: ServerRef[] = [];
  if (opts.config) refs.push(...readCrawlConfig(opts.config));
  if (opts.defaults || !opts.config) refs.push(...defaultServers({ scratchDir: config.scratchDir }));
  const dbPath = opts.db ? path.resolve(opts.db) : config.dbPath;
  const db = openDatabase(dbPath);
  // Servers run in their own process groups, so Ctrl+C does not reach them: stop the crawl ourselves,
  // shut the servers down, keep what was stored. A second Ctrl+C kills them at once.
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      killAllServers();
      process.exit(130);
    }
    ctx.err(`\n${signal}: stopping the crawl and shutting servers down (again to force)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const judge = judgeFromConfig(config, db);
    if (judge) ctx.err(`LLM judge on: ${judge.model} at ${config.llmBaseUrl}`);
    const source = opts.config ? `config:${path.basename(opts.config)}` : 'defaults';
    const summary = await crawl(db, refs, {
      source,
      concurrency: opts.concurrency ?? config.concurrency,
      connectTimeoutS: opts.timeout ?? config.connectTimeoutS,
      listTimeoutS: opts.timeout ?? config.listTimeoutS,
      maxReadBytes: config.maxReadMb * 1024 * 1024,
      onEvent: crawlProgress(ctx, 'crawling'),
      signal: controller.signal,
      judge,
    });
    ctx.err(crawlSummaryText(summary));
    ctx.err(`catalogue: ${dbPath}`);
    if (controller.signal.aborted) throw new InterruptedError('crawl interrupted; what was stored is kept');
    if (opts.strict && summary.failed > 0) throw new FailOnError(`${summary.failed} server(s) failed`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    db.close();
  }
}

const wholeNumber =
  (name: string) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`${name} must be a whole number above 0, got "${value}"`);
    return n;
  };

type CrawlCliOptions = CrawlCommandOptions & SourceCrawlCommandOptions;

export function registerCrawl(program: Command, ctx: () => CliContext): void {
  dbOption(
    program
      .command('crawl')
      .description(
        'crawl discovery sources (--source) from their source code, or introspect servers live ' +
          '(--config; default: the built-in offline set)',
      )
      .option(
        '--source <names>',
        `discovery sources, comma-separated: ${SOURCE_NAMES.join(', ')}; fetch, extract and classify each server`,
      )
      .option(
        '--seed-file <path>',
        'seed list for --source seed/pypi (default: ../shared/data/servers-seed.jsonl)',
      )
      .option('--markdown-file <path>', 'awesome-style markdown list for --source markdown')
      .option('--limit <n>', 'servers taken from each source at most', wholeNumber('--limit'))
      .option('--since <date>', 'only servers changed since (registry) or created since (github search)')
      .option('--retry-failed', 'give failed servers a fresh set of attempts (alone: retry only those)')
      .option(
        '--npm-registry <url>',
        'npm registry for --source npm and npm packages',
        'https://registry.npmjs.org',
      )
      .option('--pypi-url <url>', 'PyPI for --source pypi and PyPI packages', 'https://pypi.org')
      .option(
        '--config <file>',
        'JSON file listing servers: {"servers":[{"id","name","source","launch":{...}}]}',
      )
      .option('--defaults', 'also crawl the built-in default servers when --config is given')
      .option(
        '--concurrency <n>',
        'servers worked on at once (default: 8 with --source, else $MCP_CATALOG_CONCURRENCY)',
        positiveNumber('--concurrency'),
      )
      .option(
        '--timeout <seconds>',
        'seconds allowed to connect and to list each server',
        positiveNumber('--timeout'),
      )
      .option('--strict', 'exit with code 1 if any server failed'),
  ).action((opts: CrawlCliOptions) => {
    if (opts.source !== undefined || opts.retryFailed) {
      if (opts.config || opts.defaults)
        throw new UsageError('--config/--defaults introspect servers live; they do not mix with --source');
      return runSourceCrawl(ctx(), opts);
    }
    for (const flag of ['seedFile', 'markdownFile', 'limit', 'since'] as const) {
      if (opts[flag] !== undefined)
        throw new UsageError(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --source`);
    }
    return runCrawl(ctx(), opts);
  });
}
