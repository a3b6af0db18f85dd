// Package-name rules shared by the npm and PyPI sources and fetchers.

/** PEP 503 normalized name: lowercase, runs of `-`, `_`, `.` become one `-`. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** npm registry path for a package (scoped names keep `@` and escape the `/`). */
export function npmPath(name: string): string {
  return name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
}

/** npm names: lowercase URL-safe, optional scope (what the registry accepts for new packages, loosely). */
export function isNpmName(name: string): boolean {
  return /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9._~-][a-z0-9._~-]*$/i.test(name) && name.length <= 214;
}
