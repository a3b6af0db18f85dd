// `mcp-catalog start` (what `npm start` runs): crawl the built-in offline servers, then serve the site.
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { runCrawl } from './crawl.ts';
import { runServe } from './serve.ts';

export function registerStart(program: Command, ctx: () => CliContext): void {
  program
    .command('start')
    .description('crawl the built-in offline servers into the catalogue, then serve the site')
    .option('--db <file>', 'catalogue database (default: $MCP_CATALOG_DB or data/catalog.db)')
    .option('--config <file>', 'also crawl the servers listed in this file')
    .action(async (opts: { db?: string; config?: string }) => {
      const c = ctx();
      await runCrawl(c, { db: opts.db, config: opts.config, defaults: true });
      await runServe(c, { db: opts.db });
    });
}
