// A fake GitHub filled from ServerRefs (the seed list, or a few test refs): one repository per distinct
// repo with a generated MCP server in each subfolder, and a stable share of deleted, DMCA'd, empty, renamed
// and archived repositories. Used by bench/crawl.ts and by crawl tests that need realistic sources.
import crypto from 'node:crypto';
import path from 'node:path';
import type { ServerRef } from '../../data/model.ts';
import type { FakeGitHub } from './github.ts';

/** A stable number in [0, 1) per name, so every run deals the same fates. */
export const unit = (s: string) => crypto.createHash('sha1').update(s).digest().readUInt32BE(0) / 2 ** 32;

/** A small MCP server per folder (TypeScript SDK or FastMCP), its text varying with the head commit. */
export function generatedTree(name: string, head: string, folders: string[]): Record<string, string> {
  const files: Record<string, string> = {};
  const python = unit(`${name}#lang`) < 0.35;
  for (const folder of folders.length ? folders : ['']) {
    const at = (p: string) => (folder ? `${folder}/${p}` : p);
    const tools = ['list_items', 'get_item', 'create_item', 'delete_item'].slice(
      0,
      2 + Math.floor(unit(name + folder) * 3),
    );
    if (python) {
      files[at('pyproject.toml')] =
        `[project]\nname = "${path.basename(folder || name)}"\nversion = "0.1.0"\n`;
      files[at('server.py')] =
        `# revision ${head}\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP("${name}")\n` +
        tools
          .map(
            (t) =>
              `\n@mcp.tool()\ndef ${t}(id: str) -> str:\n    """${t.replace('_', ' ')}."""\n    return id\n`,
          )
          .join('');
    } else {
      files[at('package.json')] = JSON.stringify({
        name: path.basename(folder || name),
        version: '0.1.0',
        type: 'module',
      });
      files[at('src/index.ts')] =
        `// revision ${head}\nimport { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n` +
        `const server = new McpServer({ name: '${name}', version: '0.1.0' });\n` +
        tools
          .map((t) => `server.tool('${t}', '${t.replace('_', ' ')}.', {}, async () => ({ content: [] }));\n`)
          .join('');
    }
  }
  files['README.md'] = `# ${name}\n`;
  return files;
}

export interface Fates {
  deleted: number;
  dmca: number;
  renamed: number;
  empty: number;
  archived: number;
}

/**
 * Add a repository per distinct GitHub repo among `refs`, with their subfolders, to the fake. With `fates`
 * (the default), a stable share is deleted (3%), DMCA'd (0.3%), empty (0.3%), renamed (0.5%) or archived (10%).
 */
export function populate(
  fake: FakeGitHub,
  refs: ServerRef[],
  options: { fates?: boolean } = {},
): { repos: string[]; fates: Fates } {
  const withFates = options.fates ?? true;
  const folders = new Map<string, { owner: string; repo: string; subdirs: string[] }>();
  for (const r of refs) {
    if (!r.github) continue;
    const key = `${r.github.owner}/${r.github.repo}`.toLowerCase();
    const entry = folders.get(key) ?? { owner: r.github.owner, repo: r.github.repo, subdirs: [] };
    if (r.github.subdir) entry.subdirs.push(r.github.subdir);
    folders.set(key, entry);
  }
  const fates: Fates = { deleted: 0, dmca: 0, renamed: 0, empty: 0, archived: 0 };
  for (const [key, { owner, repo, subdirs }] of folders) {
    const u = withFates ? unit(key) : 0.5;
    // Shares guessed from the seed README's notes (dead links, moved repos, archived reference servers).
    const state = u < 0.03 ? 'deleted' : u < 0.033 ? 'dmca' : 'ok';
    const empty = u >= 0.033 && u < 0.036;
    const r = fake.addRepo({
      owner,
      name: repo,
      state,
      archived: u >= 0.9,
      ...(empty ? { head: undefined } : {}),
      files: () => generatedTree(key, r.head ?? '', subdirs),
    });
    if (state === 'deleted') fates.deleted++;
    else if (state === 'dmca') fates.dmca++;
    else if (empty) fates.empty++;
    else if (u >= 0.9) fates.archived++;
    if (state === 'ok' && !empty && u >= 0.04 && u < 0.045) {
      fake.rename(key, `${owner}-moved`, repo);
      fates.renamed++;
    }
  }
  return { repos: [...folders.keys()], fates };
}
