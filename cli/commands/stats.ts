// `mcp-catalog stats`: what the catalogue holds.
import type { Command } from 'commander';
import path from 'node:path';
import { openDatabase } from '../../data/db.ts';
import { getStats } from '../../data/queries.ts';
import type { CliContext } from '../context.ts';
import { dbOption } from './options.ts';

export function registerStats(program: Command, ctx: () => CliContext): void {
  dbOption(program.command('stats').description('show totals: servers, tools, categories, risks, last crawl'))
    .option('--json', 'print JSON')
    .action((opts: { db?: string; json?: boolean }) => {
      const { config, out } = ctx();
      const file = opts.db ? path.resolve(opts.db) : config.dbPath;
      const db = openDatabase(file, { readonly: true });
      try {
        const stats = getStats(db);
        if (opts.json) return out(JSON.stringify(stats, null, 2));
        const fmt = (r: Record<string, number>) =>
          Object.entries(r)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ');
        out(
          [
            `catalogue   ${file}`,
            `servers     ${stats.servers} (${stats.failedServers} failed on their last crawl)`,
            `tools       ${stats.tools}`,
            `categories  ${fmt(stats.byCategory)}`,
            `risks       ${fmt(stats.byRisk)}`,
            `last crawl  ${stats.lastRun ? `#${stats.lastRun.id} ${stats.lastRun.source}, ${stats.lastRun.status}, started ${stats.lastRun.startedAt}` : 'none'}`,
          ].join('\n'),
        );
      } finally {
        db.close();
      }
    });
}
