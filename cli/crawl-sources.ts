// `mcp-catalog crawl --source …`: discovery sources into the persistent queue, each server's source
// fetched, extracted, classified and stored. Wiring only: options → discovery iterators and fetchers
// (from the configuration table) → crawler/source-crawl.ts, with progress, Ctrl+C and a summary.
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../data/config.ts';
import { openDatabase } from '../data/db.ts';
import type { ServerRef } from '../data/model.ts';
import type { CliContext } from './context.ts';
import { FailOnError, InterruptedError, UsageError } from './errors.ts';
import { crawlProgress, crawlSummaryText } from './progress.ts';

export const SOURCE_NAMES = ['registry', 'seed', 'markdown', 'github', 'npm', 'pypi'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

export const DEFAULT_SEED_FILE = path.join(PROJECT_ROOT, '..', 'shared', 'data', 'servers-seed.jsonl');
const DEFAULT_NPM_REGISTRY = 'https://registry.npmjs.org';
const DEFAULT_PYPI = 'https://pypi.org';
/** npm search text for MCP servers (the keyword most server packages carry). */
const NPM_SEARCH = 'keywords:mcp-server';

export interface SourceCrawlCommandOptions {
  db?: string;
  source?: string;
  seedFile?: string;
  markdownFile?: string;
  npmRegistry?: string;
  pypiUrl?: string;
  limit?: number;
  concurrency?: number;
  since?: string;
  retryFailed?: boolean;
  strict?: boolean;
}

export function parseSources(text: string | undefined): SourceName[] {
  if (text === undefined) return [];
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError(`--source needs one of ${SOURCE_NAMES.join(', ')}`);
  for (const n of names) {
    if (!(SOURCE_NAMES as readonly string[]).includes(n))
      throw new UsageError(`unknown source "${n}"; choose from ${SOURCE_NAMES.join(', ')}`);
  }
  return [...new Set(names)] as SourceName[];
}

/** `--since`: a date or date-time, as the RFC 3339 time the registry and GitHub search take. */
export function parseSince(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = Date.parse(text);
  if (!Number.isFinite(t)) throw new UsageError(`--since must be a date such as 2026-01-31, got "${text}"`);
  return new Date(t).toISOString();
}

function seedFile(opts: SourceCrawlCommandOptions): string {
  const file = opts.seedFile ? path.resolve(opts.seedFile) : DEFAULT_SEED_FILE;
  if (!fs.existsSync(file)) {
    throw new UsageError(
      opts.seedFile
        ? `seed file ${file} does not exist`
        : `--source seed/pypi needs --seed-file <servers-seed.jsonl> (no ${DEFAULT_SEED_FILE} here)`,
    );
  }
  return file;
}

/** Remove fetched trees left by crawls that were killed (their folder names carry their pid). */
function sweepWorkDirs(root: string): void {
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(root);
  } catch {
    return;
  }
  for (const name of entries) {
    const pid = Number(/^pid-(\d+)$/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH')
        fs.rmSync(path.join(root, name), { recursive: true, force: true });
    }
  }
}

export async function runSourceCrawl(ctx: CliContext, opts: SourceCrawlCommandOptions): Promise<void> {
  const { config } = ctx;
  const names = parseSources(opts.source);
  const since = parseSince(opts.since);
  if (names.length === 0 && !opts.retryFailed) throw new UsageError('crawl needs --source or --retry-failed');
  if (names.includes('markdown') && !opts.markdownFile)
    throw new UsageError('--source markdown needs --markdown-file <list.md>');
  const seed = names.includes('seed') || names.includes('pypi') ? seedFile(opts) : undefined;
  const sources = await import('../crawler/sources/index.ts');
  const { crawlSources } = await import('../crawler/source-crawl.ts');
  const { createSourceFetchers } = await import('../crawler/source-fetchers.ts');
  const { HttpCache } = await import('../data/http-cache.ts');
  const { judgeFromConfig } = await import('../classifier/llm/index.ts');

  const dbPath = opts.db ? path.resolve(opts.db) : config.dbPath;
  const db = openDatabase(dbPath);
  const workRoot = path.join(config.scratchDir, 'crawl');
  sweepWorkDirs(workRoot);
  const workDir = path.join(workRoot, `pid-${process.pid}`);
  const controller = new AbortController();
  const signal = controller.signal;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (signal.aborted) process.exit(130);
    ctx.err(`\n${sig}: stopping the crawl; what is stored stays and the next crawl resumes (again to force)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const cache = new HttpCache(db);
    const fetchers = createSourceFetchers({
      githubApiUrl: config.githubApiUrl,
      githubToken: config.githubToken,
      npmRegistryUrl: opts.npmRegistry ?? DEFAULT_NPM_REGISTRY,
      pypiBaseUrl: opts.pypiUrl ?? DEFAULT_PYPI,
      workDir,
      cache,
    });
    if (!fetchers.github) {
      ctx.err(
        'GITHUB_TOKEN is not set: servers only on GitHub stay queued (npm and PyPI ones are crawled)' +
          (names.includes('github') ? ', and the github search source is skipped' : ''),
      );
    }
    const common = { signal, ...(opts.limit !== undefined ? { limit: opts.limit } : {}) };
    const discovery: { name: string; refs: AsyncIterable<ServerRef> }[] = [];
    for (const name of names) {
      if (since && (name === 'seed' || name === 'markdown' || name === 'npm' || name === 'pypi'))
        ctx.err(`note: --since does not apply to the ${name} source; all of it is read`);
      if (name === 'registry')
        discovery.push({
          name,
          refs: sources.discoverRegistry({
            baseUrl: config.registryUrl,
            ...common,
            ...(since ? { updatedSince: since } : {}),
          }),
        });
      else if (name === 'seed')
        discovery.push({ name, refs: sources.discoverSeed({ file: seed!, ...common }) });
      else if (name === 'markdown')
        discovery.push({ name, refs: sources.discoverMarkdown({ file: opts.markdownFile!, ...common }) });
      else if (name === 'github' && fetchers.client)
        discovery.push({
          name,
          refs: sources.discoverGitHubSearch({
            client: fetchers.client,
            ...common,
            ...(since ? { since: since.slice(0, 10) } : {}),
          }),
        });
      else if (name === 'npm')
        discovery.push({
          name,
          refs: sources.discoverNpm({ registryUrl: fetchers.npmRegistryUrl!, search: NPM_SEARCH, ...common }),
        });
      else if (name === 'pypi')
        discovery.push({
          name,
          refs: sources.discoverPypi({
            baseUrl: fetchers.pypiBaseUrl!,
            names: seedPypiNames(seed!),
            ...common,
          }),
        });
    }
    const judge = judgeFromConfig(config, db);
    if (judge) ctx.err(`LLM judge on: ${judge.model} at ${config.llmBaseUrl}`);
    const summary = await crawlSources(db, {
      sources: discovery,
      fetchers,
      cache,
      concurrency: opts.concurrency ?? 8,
      retryFailed: opts.retryFailed ?? false,
      judge,
      signal,
      onEvent: crawlProgress(ctx, 'crawling'),
    });
    ctx.err(crawlSummaryText(summary));
    ctx.err(`catalogue: ${dbPath}`);
    if (signal.aborted) throw new InterruptedError('crawl interrupted; run it again to resume');
    if (opts.strict && summary.failed > 0) throw new FailOnError(`${summary.failed} server(s) failed`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    fs.rmSync(workDir, { recursive: true, force: true });
    db.close();
  }
}

/** PyPI has no search: the names are the seed list's PyPI projects. */
async function* seedPypiNames(file: string): AsyncGenerator<string> {
  const { discoverSeed } = await import('../crawler/sources/seed.ts');
  for await (const ref of discoverSeed({ file, kinds: ['pypi'] })) {
    const pkg = ref.packages.find((p) => p.registry === 'pypi');
    yield pkg?.name ?? ref.id.replace(/^pypi\//, '');
  }
}
