// Why a repository could not be resolved: one REST `GET /repos/{owner}/{repo}` (octokit follows a 301 to
// the renamed or transferred repository) turns into moved, not found (404), DMCA or other legal block
// (451), or blocked by GitHub (403 "Repository access blocked"). Other failures are thrown as they are.
import { RequestError } from '@octokit/request-error';
import type { GitHubClient } from './client.ts';
import type { GoneReason } from './outcome.ts';

export type RepoStatus =
  | { kind: 'ok'; fullName: string; defaultBranch: string; archived: boolean; fork: boolean; empty: boolean }
  | { kind: 'gone'; reason: GoneReason; httpStatus: number; detail: string };

export async function repoStatus(
  client: GitHubClient,
  owner: string,
  repo: string,
  signal?: AbortSignal,
): Promise<RepoStatus> {
  const subject = `${owner}/${repo}`;
  try {
    const { data } = await client.request('GET /repos/{owner}/{repo}', {
      owner,
      repo,
      request: signal ? { signal } : {},
    });
    return {
      kind: 'ok',
      fullName: data.full_name,
      defaultBranch: data.default_branch,
      archived: data.archived,
      fork: data.fork,
      empty: data.size === 0 && !data.pushed_at,
    };
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    const body = (error.response?.data ?? {}) as { message?: string; block?: { reason?: string } };
    if (error.status === 404) {
      return {
        kind: 'gone',
        reason: 'not-found',
        httpStatus: 404,
        detail: `${subject}: repository not found (deleted, private or never existed)`,
      };
    }
    if (error.status === 451) {
      const dmca = body.block?.reason === 'dmca';
      return {
        kind: 'gone',
        reason: dmca ? 'dmca' : 'blocked',
        httpStatus: 451,
        detail: `${subject}: repository access blocked${dmca ? ' (DMCA takedown)' : ` (${body.block?.reason ?? 'legal'})`}`,
      };
    }
    if (error.status === 403 && /access blocked/i.test(body.message ?? '')) {
      return { kind: 'gone', reason: 'blocked', httpStatus: 403, detail: `${subject}: ${body.message}` };
    }
    throw error;
  }
}

/** The commit a ref points at, via the sha media type: with a stored ETag an unchanged ref costs nothing. */
export async function refCommit(
  client: GitHubClient,
  owner: string,
  repo: string,
  ref: string,
  signal?: AbortSignal,
): Promise<string> {
  const res = await client.request('GET /repos/{owner}/{repo}/commits/{ref}', {
    owner,
    repo,
    ref,
    headers: { accept: 'application/vnd.github.sha' },
    request: signal ? { signal } : {},
  });
  return String(res.data).trim();
}
