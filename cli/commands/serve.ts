// `mcp-catalog serve`: the site over the catalogue, read-only.
import path from 'node:path';
import type { Command } from 'commander';
import { upgradeDatabase } from '../../data/db.ts';
import { positiveNumber, type CliContext } from '../context.ts';
import { dbOption } from './options.ts';

export interface ServeOptions {
  db?: string;
  host?: string;
  port?: number;
}

/** Serve until SIGINT/SIGTERM; shared by `serve` and `start`. */
export async function runServe(ctx: CliContext, opts: ServeOptions): Promise<void> {
  const dbPath = opts.db ? path.resolve(opts.db) : ctx.config.dbPath;
  // The site only reads; the catalogue may come from an older version of this code, so migrate it first.
  upgradeDatabase(dbPath);
  const { startSite } = await import('../../site/serve.ts'); // the site stack loads only when serving
  const site = await startSite({
    dbPath,
    host: opts.host ?? ctx.config.host,
    port: opts.port ?? ctx.config.port,
  });
  ctx.err(`mcp-catalog: serving ${dbPath}`);
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
    .action((opts: ServeOptions) => runServe(ctx(), opts));
}
