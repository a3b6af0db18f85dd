// Splits a scanned tree into servers at manifest boundaries (package.json, pyproject.toml, go.mod,
// Cargo.toml, *.csproj, pom.xml, build.gradle) and reads each server's name from its manifest.
import fs from 'node:fs';
import path from 'node:path';
import type { SourceFile } from './types.ts';
import { BUILD_DIRS } from './walk.ts';

export interface ServerGroup {
  root: string;
  name?: string;
  files: SourceFile[];
}

export function groupServers(scanRoot: string, files: SourceFile[], manifests: string[]): ServerGroup[] {
  const roots = new Map<string, ServerGroup>();
  roots.set('.', { root: '.', files: [] });
  for (const manifest of manifests) {
    const dir = path.posix.dirname(manifest);
    const group = roots.get(dir) ?? { root: dir, files: [] };
    group.name ??= manifestName(path.join(scanRoot, manifest));
    roots.set(dir, group);
  }
  for (const file of files) {
    let dir = path.posix.dirname(file.path);
    while (!roots.has(dir)) dir = dir === '.' || dir === '' ? '.' : path.posix.dirname(dir);
    (roots.get(dir) as ServerGroup).files.push(file);
  }
  for (const group of roots.values()) group.files = dropShadowedBuilds(group);
  return [...roots.values()].filter((g) => g.files.length > 0);
}

function underBuildDir(rel: string, root: string): boolean {
  const inside = root === '.' ? rel : rel.slice(root.length + 1);
  return inside
    .split('/')
    .slice(0, -1)
    .some((seg) => BUILD_DIRS.has(seg));
}

/** Compiled JavaScript is read only when the server ships no source in the JS family besides it. */
function dropShadowedBuilds(group: ServerGroup): SourceFile[] {
  const isJs = (f: SourceFile) => f.language === 'javascript' || f.language === 'typescript';
  const hasSource = group.files.some((f) => isJs(f) && !underBuildDir(f.path, group.root));
  if (!hasSource) return group.files;
  return group.files.filter((f) => !(isJs(f) && underBuildDir(f.path, group.root)));
}

function manifestName(abs: string): string | undefined {
  let text: string;
  try {
    const stat = fs.statSync(abs);
    if (stat.size > 1024 * 1024) return undefined;
    text = fs.readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
  const base = path.basename(abs);
  if (base === 'package.json') {
    try {
      const name = (JSON.parse(text) as { name?: unknown }).name;
      return typeof name === 'string' ? name : undefined;
    } catch {
      return undefined;
    }
  }
  if (base === 'pyproject.toml' || base === 'Cargo.toml') {
    const section = base === 'Cargo.toml' ? /\[package\]([^[]*)/ : /\[(?:project|tool\.poetry)\]([^[]*)/;
    const body = section.exec(text)?.[1];
    return body ? /^\s*name\s*=\s*["']([^"']+)["']/m.exec(body)?.[1] : undefined;
  }
  if (base === 'go.mod') return /^module\s+(\S+)/m.exec(text)?.[1];
  if (base === 'setup.py') return /name\s*=\s*["']([^"']+)["']/.exec(text)?.[1];
  if (base.endsWith('.csproj')) return /<PackageId>([^<]+)</.exec(text)?.[1] ?? base.replace(/\.csproj$/, '');
  if (base === 'pom.xml') {
    const withoutParent = text.replace(/<parent>[\s\S]*?<\/parent>/, '');
    return /<artifactId>([^<]+)</.exec(withoutParent)?.[1];
  }
  if (base.startsWith('build.gradle')) return undefined;
  return undefined;
}
