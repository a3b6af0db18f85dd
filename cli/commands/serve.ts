// `mcp-catalog serve`: the site over the catalogue, read-only.
import path from 'node:path';
import type { Command } from 'commander';
import { upgradeDatabase } from '../../data/db.ts';
import { countNumber, positiveNumber, type CliContext } from '../context.ts';
import { UsageError } from '../errors.ts';
import { dbOption } from './options.ts';

/** The site's public origin, checked: an http(s) URL with nothing after the host and port. */
function publicOrigin(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`site URL "${value}" is not a URL (expected e.g. https://catalog.example.org)`);
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.pathname !== '/' ||
    url.search ||
    url.hash ||
    url.username
  ) {
    throw new UsageError(
      `site URL "${value}" must be a plain http(s) origin such as https://catalog.example.org`,
    );
  }
  return url.origin;
}

export interface ServeOptions {
  db?: string;
  host?: string;
  port?: number;
  cacheMb?: number;
  siteUrl?: string;
  workers?: number;
}

/** Serve until SIGINT/SIGTERM; shared by `serve` and `start`. */
export async function runServe(ctx: CliContext, opts: ServeOptions): Promise<void> {
  const dbPath = opts.db ? path.resolve(opts.db) : ctx.config.dbPath;
  const publicUrl = publicOrigin(opts.siteUrl ?? ctx.config.siteUrl);
  // The site only reads; the catalogue may come from an older version of this code, so migrate it first.
  upgradeDatabase(dbPath, (pending) =>
    ctx.err(
      `mcp-catalog: updating ${dbPath} to the current schema (${pending.join(', ')}); ` +
        'on a large catalogue this can take a few minutes',
    ),
  );
  const workers = Math.floor(opts.workers ?? ctx.config.siteWorkers);
  const options = {
    dbPath,
    host: opts.host ?? ctx.config.host,
    port: opts.port ?? ctx.config.port,
    cacheMb: opts.cacheMb ?? ctx.config.siteCacheMb,
    ...(publicUrl ? { publicUrl } : {}),
  };
  const { serveSite } = await import('../../site/cluster.ts'); // the site stack loads only when serving
  const site = await serveSite({ ...options, workers });
  ctx.err(`mcp-catalog: serving ${dbPath}${workers > 1 ? ` from ${workers} processes` : ''}`);
  ctx.out(`Site ready at ${site.url} (Ctrl+C to stop)`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void site.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerServe(program: Command, ctx: () => CliContext): void {
  dbOption(program.command('serve').description('serve the catalogue site (read-only)'))
    .option('--host <host>', 'address to listen on (default: $HOST or localhost)')
    .option('--port <port>', 'port to listen on (default: $PORT or 4321)', positiveNumber('--port'))
    .option(
      '--cache-mb <mb>',
      'megabytes of rendered pages kept until the catalogue changes, 0 = off (default: $MCP_CATALOG_SITE_CACHE_MB or 256)',
      countNumber('--cache-mb'),
    )
    .option(
      '--workers <n>',
      'processes serving the site on one port (default: $MCP_CATALOG_SITE_WORKERS or 1)',
      positiveNumber('--workers'),
    )
    .option(
      '--site-url <url>',
      'public origin for canonical URLs and sitemaps (default: $MCP_CATALOG_SITE_URL)',
    )
    .action((opts: ServeOptions) => runServe(ctx(), opts));
}
