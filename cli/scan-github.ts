// `scan github:owner/repo[/subdir][@ref]`: the crawler's own path for one repository — the GitHub
// fetcher (head, then one tarball), static extraction, the ref's server picked as the crawl picks it —
// into a temporary folder that is removed afterwards. Nothing is stored.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classifyTool } from '../classifier/index.ts';
import { createSourceFetchers } from '../crawler/source-fetchers.ts';
import { pickServer } from '../crawler/source-tools.ts';
import { parseGitHubTarget } from '../crawler/sources/github-url.ts';
import { MemoryCache } from '../data/http-cache.ts';
import type { ClassifiedTool } from '../data/model.ts';
import type { CliContext } from './context.ts';
import { UsageError } from './errors.ts';
import { terminalSafe } from './render.ts';

export interface GitHubScanOptions {
  includeTests?: boolean | undefined;
  includeExamples?: boolean | undefined;
  json?: boolean | undefined;
}

export async function scanGitHub(
  ctx: CliContext,
  target: string,
  opts: GitHubScanOptions,
): Promise<ClassifiedTool[]> {
  const g = parseGitHubTarget(target);
  if (!g) throw new UsageError(`${target} is not a GitHub target; expected github:owner/repo[/subdir][@ref]`);
  const { config } = ctx;
  if (!config.githubToken) {
    throw new UsageError(
      `scanning ${target} needs GITHUB_TOKEN: the fetcher learns the head commit from GitHub's GraphQL API, which refuses anonymous calls`,
    );
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-catalog-scan-'));
  try {
    const { github } = createSourceFetchers({
      githubApiUrl: config.githubApiUrl,
      githubToken: config.githubToken,
      workDir: work,
      cache: new MemoryCache(),
    });
    const outcome = await github!.fetch({ github: g, id: target });
    if (outcome.status === 'gone') throw new UsageError(`cannot scan ${outcome.detail}`);
    if (outcome.status === 'failed') throw new UsageError(outcome.error.message, { cause: outcome.error });
    if (outcome.status !== 'fetched') throw new UsageError(`${target}: nothing was fetched`);
    const { extractFromDirectory } = await import('../crawler/extract/index.ts');
    const result = await extractFromDirectory(outcome.dir, {
      includeTests: opts.includeTests,
      includeExamples: opts.includeExamples,
    });
    for (const note of result.notes.filter((n) => n.level === 'warn')) {
      ctx.err(
        `note: ${terminalSafe(note.path)}${note.line ? `:${note.line}` : ''}: ${terminalSafe(note.message)}`,
      );
    }
    const picked = pickServer(result);
    if (!opts.json) {
      const at = `${outcome.movedTo ?? `${g.owner}/${g.repo}`}@${(outcome.commit ?? '').slice(0, 7)}`;
      const from = picked && picked.roots.length > 1 ? ` from ${picked.roots.join(', ')}` : '';
      ctx.err(
        `${terminalSafe(at)}${g.subdir ? `/${terminalSafe(g.subdir)}` : ''}: ${picked?.tools.length ?? 0} tools${terminalSafe(from)}`,
      );
    }
    const serverName = picked?.name ?? g.repo;
    return (picked?.tools ?? []).map((t) => ({ ...t, verdict: classifyTool(t, { serverName }) }));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
