// Parsing GitHub links as lists write them: `github.com/o/r`, `.git`, `/tree/<ref>/<path>` (monorepo
// subfolders), `/blob/<ref>/<file>` (a file inside the server's folder), `git+https://`, `git@github.com:`.
import type { GitHubRef } from '../../data/model.ts';

/** Top-level github.com paths that are not repositories. */
const NOT_OWNERS = new Set([
  'about',
  'apps',
  'collections',
  'enterprise',
  'features',
  'login',
  'marketplace',
  'new',
  'notifications',
  'orgs',
  'pricing',
  'search',
  'settings',
  'site',
  'sponsors',
  'topics',
  'trending',
  'users',
]);

const NAME = /^[A-Za-z0-9_.-]+$/;

/** Parse a GitHub repository link, or return undefined when it does not point into a repository. */
export function parseGitHubUrl(raw: string): GitHubRef | undefined {
  let s = raw.trim();
  s = s.replace(/^git\+/, '').replace(/^git@github\.com:/i, 'https://github.com/');
  s = s.replace(/^git:\/\//, 'https://').replace(/^ssh:\/\/git@github\.com\//i, 'https://github.com/');
  if (!/^https?:\/\//i.test(s)) s = `https://${s}`;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return undefined;
  }
  if (!/^(www\.)?github\.com$/i.test(url.hostname)) return undefined;
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponentSafe);
  const [owner, rawRepo, kind, ref, ...rest] = parts;
  if (!owner || !rawRepo || NOT_OWNERS.has(owner.toLowerCase())) return undefined;
  const repo = rawRepo.replace(/\.git$/i, '');
  if (!NAME.test(owner) || !NAME.test(repo) || repo === '.' || repo === '..') return undefined;
  const out: GitHubRef = { owner, repo };
  if ((kind === 'tree' || kind === 'blob') && ref) {
    out.ref = ref;
    // A blob link names a file; the server lives in the folder holding it.
    const pathParts = kind === 'blob' ? rest.slice(0, -1) : rest;
    const subdir = normalizeSubdir(pathParts.join('/'));
    if (subdir) out.subdir = subdir;
  }
  // Other links into a repository (issues, wiki, releases…) still name the repository itself.
  return out;
}

/** Normalize a subfolder: no leading/trailing slashes, no `.`/`..` segments; undefined when empty. */
export function normalizeSubdir(p: string | undefined): string | undefined {
  if (!p) return undefined;
  const parts = p.split('/').filter((x) => x !== '' && x !== '.');
  if (parts.some((x) => x === '..')) return undefined;
  return parts.length ? parts.join('/') : undefined;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The `scan` target form `github:owner/repo[/subdir][@ref]` (also `https://github.com/...` links), so the
 * CLI and the crawler fetch through the same GitHubRef. Undefined when it is not a GitHub target.
 */
export function parseGitHubTarget(target: string): GitHubRef | undefined {
  if (!target.startsWith('github:'))
    return /github\.com\//i.test(target) ? parseGitHubUrl(target) : undefined;
  let rest = target.slice('github:'.length);
  let ref: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at > 0) {
    ref = rest.slice(at + 1) || undefined;
    rest = rest.slice(0, at);
  }
  const [owner, repo, ...sub] = rest.split('/');
  if (!owner || !repo || !NAME.test(owner) || !NAME.test(repo)) return undefined;
  const subdir = normalizeSubdir(sub.join('/'));
  if (sub.length && !subdir) return undefined;
  return { owner, repo: repo.replace(/\.git$/i, ''), ...(subdir ? { subdir } : {}), ...(ref ? { ref } : {}) };
}
