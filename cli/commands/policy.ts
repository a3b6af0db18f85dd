// `mcp-catalog policy <server>`: the recommended policy for a catalogued server, in a gateway's format.
import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import {
  buildPolicy,
  POLICY_FORMATS,
  renderPolicy,
  type PolicyFormat,
} from '../../classifier/policy/index.ts';
import { openDatabase } from '../../data/db.ts';
import { getServer, listServerToolDetails, searchServers } from '../../data/queries.ts';
import type { CliContext } from '../context.ts';
import { UsageError } from '../errors.ts';
import { dbOption } from './options.ts';

export function registerPolicy(program: Command, ctx: () => CliContext): void {
  dbOption(
    program
      .command('policy')
      .description('print the recommended policy for a catalogued server')
      .argument('<server>', 'server id as the catalogue shows it (see `mcp-catalog stats` or the site)')
      .addOption(
        new Option('--format <format>', 'policy format').choices([...POLICY_FORMATS]).default('policy.json'),
      )
      .option('--tool <name>', 'only this tool')
      .option('--out <file>', 'write to a file instead of standard output'),
  ).action((serverId: string, opts: { db?: string; format: PolicyFormat; tool?: string; out?: string }) => {
    const { config, out, err } = ctx();
    const db = openDatabase(opts.db ? path.resolve(opts.db) : config.dbPath, { readonly: true });
    try {
      const server = getServer(db, serverId);
      if (!server) {
        const similar = searchServers(db, serverId, { limit: 5, offset: 0 }).servers.map((s) => s.id);
        throw new UsageError(
          `no server "${serverId}" in the catalogue${similar.length ? `; did you mean: ${similar.join(', ')}` : ''}`,
        );
      }
      let tools = listServerToolDetails(db, serverId);
      if (opts.tool) {
        tools = tools.filter((t) => t.name === opts.tool);
        if (tools.length === 0) throw new UsageError(`server "${serverId}" has no tool "${opts.tool}"`);
      }
      const model = buildPolicy(
        { id: server.id, name: server.name },
        tools.map((t) => ({ name: t.name, verdict: t.verdict })),
      );
      const rendered = renderPolicy(model, opts.format);
      if (opts.out) {
        fs.writeFileSync(opts.out, rendered.content);
        err(`wrote ${opts.format} policy for ${tools.length} tool(s) to ${opts.out}`);
      } else {
        out(rendered.content);
      }
    } finally {
      db.close();
    }
  });
}
