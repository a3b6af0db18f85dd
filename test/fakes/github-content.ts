// Repository content as the fake GitHub serves it: `git archive`-style tarballs from the codeload host
// (top folder `owner-repo-<sha7>`, the commit id in a pax global comment), optionally slow or cut off
// mid-body, and git trees (flat or recursive) for the naive tree-then-files route.
import crypto from 'node:crypto';
import type http from 'node:http';
import type { FakeRepo } from './github-shapes.ts';
import { packTarGz } from './tar.ts';

const sha1 = (s: string) => crypto.createHash('sha1').update(s).digest('hex');

export function codeloadTarball(repo: FakeRepo, commit: string, files: Record<string, string>) {
  const top = `${repo.owner}-${repo.name}-${commit.slice(0, 7)}`;
  const body = packTarGz(
    [
      { path: `${top}/`, type: 'dir' as const },
      ...Object.entries(files).map(([p, content]) => ({ path: `${top}/${p}`, content })),
    ],
    { comment: commit },
  );
  return { top, body };
}

export async function sendTarball(
  res: http.ServerResponse,
  tgz: { top: string; body: Buffer },
  options: { truncate: boolean; delayMs: number },
) {
  res.writeHead(200, {
    'content-type': 'application/x-gzip',
    'content-length': tgz.body.length,
    'content-disposition': `attachment; filename=${tgz.top}.tar.gz`,
  });
  if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
  if (options.truncate) {
    // Headers and half the body arrive, then the connection drops: the client has already started reading.
    res.flushHeaders();
    res.write(tgz.body.subarray(0, Math.floor(tgz.body.length / 2)));
    await new Promise((r) => setTimeout(r, 30));
    res.socket?.destroy();
    return;
  }
  res.end(tgz.body);
}

export function gitTree(
  api: string,
  repo: FakeRepo,
  commit: string,
  files: Record<string, string>,
  treeOid: (dir: string) => string,
  recursive: boolean,
) {
  const base = `${api}/repos/${repo.owner}/${repo.name}/git`;
  const blobs = Object.entries(files).map(([p, content]) => ({
    path: p,
    mode: '100644',
    type: 'blob',
    sha: sha1(`blob ${content}`),
    size: Buffer.byteLength(content),
    url: `${base}/blobs/${sha1(`blob ${content}`)}`,
  }));
  const dirs = [
    ...new Set(
      blobs.flatMap((b) =>
        b.path
          .split('/')
          .slice(0, -1)
          .map((_, i, a) => a.slice(0, i + 1).join('/')),
      ),
    ),
  ];
  const entries = recursive
    ? [
        ...dirs.map((d) => ({
          path: d,
          mode: '040000',
          type: 'tree',
          sha: treeOid(d),
          url: `${base}/trees/${treeOid(d)}`,
        })),
        ...blobs,
      ]
    : blobs.filter((b) => !b.path.includes('/'));
  return { sha: commit, url: `${base}/trees/${commit}`, tree: entries, truncated: false };
}
