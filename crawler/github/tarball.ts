// One tarball download per new or changed repository: `GET /repos/{o}/{r}/tarball/{commit}` (one REST
// request; GitHub redirects to codeload, which is not charged), streamed straight into the safe extractor,
// pinned to the exact commit so the tree matches the version recorded, and limited to the subfolder.
import { extractTarGz, type ExtractLimits, type ExtractResult } from '../archive.ts';
import type { GitHubClient } from './client.ts';

export interface TarballOptions {
  owner: string;
  repo: string;
  commit: string;
  dest: string;
  subdir?: string;
  limits?: Partial<ExtractLimits>;
  signal?: AbortSignal;
  /** Return the extracted paths (for sharing one tree among monorepo members). */
  listFiles?: boolean;
}

export async function downloadTarball(client: GitHubClient, o: TarballOptions): Promise<ExtractResult> {
  const res = await client.request('GET /repos/{owner}/{repo}/tarball/{ref}', {
    owner: o.owner,
    repo: o.repo,
    ref: o.commit,
    request: { parseSuccessResponseBody: false, ...(o.signal ? { signal: o.signal } : {}) },
  });
  const body = res.data as unknown as ReadableStream<Uint8Array>;
  return extractTarGz(body, {
    dest: o.dest,
    stripComponents: 1,
    ...(o.subdir ? { subdir: o.subdir } : {}),
    ...(o.limits ? { limits: o.limits } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.listFiles ? { listFiles: true } : {}),
    subject: `${o.owner}/${o.repo}@${o.commit.slice(0, 12)}`,
  });
}
