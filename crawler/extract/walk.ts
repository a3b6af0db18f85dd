// Finds the files a scan reads: source files by language and the manifests that mark server roots.
// Never follows a symlink out of the scanned directory or into a directory already seen.
import fs from 'node:fs';
import path from 'node:path';
import { decodeSource, looksMinified } from './decode.ts';
import type { ExtractNote, ExtractOptions, SourceFile, SourceLanguage } from './types.ts';

const EXTENSIONS: Record<string, SourceLanguage> = {
  '.py': 'python',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'typescript',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.go': 'go',
  '.cs': 'csharp',
  '.rs': 'rust',
  '.java': 'java',
};

const MANIFESTS = new Set(['package.json', 'pyproject.toml', 'setup.py', 'go.mod', 'Cargo.toml', 'pom.xml']);
const MANIFEST_SUFFIXES = ['.csproj', 'build.gradle', 'build.gradle.kts'];

/** Never the server's own code. */
const ALWAYS_SKIP = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'vendor',
  'third_party',
  'third-party',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  'site-packages',
  'target',
  'obj',
  '.next',
  '.turbo',
  'coverage',
  'bower_components',
  '.mypy_cache',
  '.pytest_cache',
]);
const TEST_DIRS = new Set([
  'test',
  'tests',
  '__tests__',
  'spec',
  'specs',
  'testdata',
  'e2e',
  'fixtures',
  '__mocks__',
]);
const EXAMPLE_DIRS = new Set(['examples', 'example', 'samples', 'sample', 'demo', 'demos', 'docs', 'doc']);
/** Build output: kept, but used only when a server has no other code in that language family. */
export const BUILD_DIRS = new Set(['dist', 'build', 'out']);

const TEST_FILE =
  /(^test_.*\.py$|_test\.py$|_test\.go$|\.(test|spec)\.[cm]?[jt]sx?$|Tests?\.(cs|java)$|^conftest\.py$)/;

export interface WalkResult {
  files: SourceFile[];
  /** Relative paths of manifest files. */
  manifests: string[];
  notes: ExtractNote[];
  stats: { files: number; bytes: number; skipped: number };
}

export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_FILES = 50_000;
const MINIFIED_PARSE_LIMIT = 512 * 1024;

function isManifest(name: string): boolean {
  return MANIFESTS.has(name) || MANIFEST_SUFFIXES.some((s) => name.endsWith(s));
}

export function walk(root: string, options: ExtractOptions = {}): WalkResult {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
  const result: WalkResult = {
    files: [],
    manifests: [],
    notes: [],
    stats: { files: 0, bytes: 0, skipped: 0 },
  };
  const rootReal = fs.realpathSync(root);
  const seenDirs = new Set<string>([rootReal]);
  let limitNoted = false;
  const unreadable: string[] = [];
  const skip = (rel: string, message: string, level: 'info' | 'warn' = 'info') => {
    result.stats.skipped++;
    result.notes.push({ path: rel, level, message });
  };

  // Directories are marked seen when read, and real directories are read before symlinks to them, so
  // that files are reported under their real path and a link back into the tree is the one noted.
  const stack: { rel: string; real: string; link: boolean }[] = [{ rel: '', real: rootReal, link: false }];
  seenDirs.clear();
  while (stack.length > 0) {
    options.signal?.throwIfAborted();
    const { rel: relDir, real: realDir, link } = stack.pop() as { rel: string; real: string; link: boolean };
    if (seenDirs.has(realDir)) {
      if (link) skip(relDir, 'symlink loop: directory already scanned; not followed', 'warn');
      continue;
    }
    seenDirs.add(realDir);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(rootReal, relDir), { withFileTypes: true });
    } catch (error) {
      skip(relDir || '.', `directory not readable: ${(error as Error).message}`, 'warn');
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const dirs: { rel: string; real: string; link: boolean }[] = [];
    for (const entry of entries) {
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      const abs = path.join(rootReal, rel);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let real = abs;
      if (entry.isSymbolicLink()) {
        try {
          real = fs.realpathSync(abs);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          skip(rel, code === 'ELOOP' ? 'symlink loop; not followed' : 'broken symlink; not followed', 'warn');
          continue;
        }
        if (real !== rootReal && !real.startsWith(rootReal + path.sep)) {
          skip(rel, 'symlink points outside the scanned directory; not followed');
          continue;
        }
        const stat = fs.statSync(real);
        isDir = stat.isDirectory();
        isFile = stat.isFile();
      }
      if (isDir) {
        if (!skipDirectory(entry.name, rel, options)) dirs.push({ rel, real, link: entry.isSymbolicLink() });
        continue;
      }
      if (!isFile) continue;
      if (isManifest(entry.name)) result.manifests.push(rel);
      const language = languageOf(entry.name);
      if (!language) {
        if (/\.kts?$/.test(entry.name)) unreadable.push(rel);
        continue;
      }
      if (!options.includeTests && TEST_FILE.test(entry.name)) continue;
      if (result.files.length >= maxFiles) {
        if (!limitNoted) {
          limitNoted = true;
          result.notes.push({
            path: rel,
            level: 'warn',
            message: `file limit of ${maxFiles} reached; rest not read`,
          });
        }
        result.stats.skipped++;
        continue;
      }
      readSource(rel, abs, language, maxBytes, result, skip);
    }
    // Stack order: symlinks first (popped last), then real directories in reverse name order.
    const ordered = [...dirs.filter((d) => d.link), ...dirs.filter((d) => !d.link).reverse()];
    stack.push(...ordered);
  }
  if (unreadable.length > 0)
    result.notes.push({
      path: unreadable[0] as string,
      level: 'info',
      message: `${unreadable.length} Kotlin file(s) not read: no tree-sitter grammar for Kotlin is available`,
    });
  result.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  result.manifests.sort();
  return result;
}

function skipDirectory(name: string, rel: string, options: ExtractOptions): boolean {
  if (ALWAYS_SKIP.has(name)) return true;
  if (name.startsWith('.') && name !== '.') return true;
  if (!options.includeTests && (TEST_DIRS.has(name) || /[._-](tests?|specs?)$/i.test(name))) return true;
  // Inside a JVM source root, `example` is a package name (com/example/...), not sample code.
  const inPackageTree = /(^|\/)(java|kotlin|scala)\//.test(rel);
  if (!options.includeExamples && EXAMPLE_DIRS.has(name) && !inPackageTree) return true;
  return false;
}

function languageOf(name: string): SourceLanguage | undefined {
  if (name.endsWith('.d.ts') || name.endsWith('.d.mts') || name.endsWith('.d.cts')) return undefined;
  const ext = path.extname(name).toLowerCase();
  return EXTENSIONS[ext];
}

function readSource(
  rel: string,
  abs: string,
  language: SourceLanguage,
  maxBytes: number,
  result: WalkResult,
  skip: (rel: string, message: string, level?: 'info' | 'warn') => void,
): void {
  let size: number;
  try {
    size = fs.statSync(abs).size;
  } catch (error) {
    skip(rel, `not readable: ${(error as Error).message}`, 'warn');
    return;
  }
  if (size > maxBytes) {
    skip(rel, `skipped: ${size} bytes is over the ${maxBytes}-byte cap`, 'warn');
    return;
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(abs);
  } catch (error) {
    skip(rel, `not readable: ${(error as Error).message}`, 'warn');
    return;
  }
  const decoded = decodeSource(bytes);
  if ('binary' in decoded) {
    skip(rel, 'skipped: binary content');
    return;
  }
  if (bytes.length > MINIFIED_PARSE_LIMIT && looksMinified(decoded.text)) {
    skip(rel, `skipped: minified or generated (${bytes.length} bytes of very long lines)`);
    return;
  }
  if (decoded.note) result.notes.push({ path: rel, level: 'info', message: `encoding: ${decoded.note}` });
  result.stats.files++;
  result.stats.bytes += bytes.length;
  result.files.push({ path: rel, absPath: abs, language, text: decoded.text });
}
