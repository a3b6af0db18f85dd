// Building the site when its output is missing or older than its sources. The built server bundle
// includes data/ and classifier/ code, so those count as sources too. Builds are serialised across
// processes by a lock directory and written to a temporary folder that replaces site/dist only when
// complete, so a reader never sees half a build.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SITE_DIR = path.dirname(fileURLToPath(import.meta.url));
export const DIST_DIR = path.join(SITE_DIR, 'dist');
const ROOT = path.dirname(SITE_DIR);
const STAMP = path.join(DIST_DIR, '.sources-fingerprint');
const LOCK = path.join(SITE_DIR, '.build-lock');
/** A lock older than this is from a build that died without cleaning up. */
const STALE_LOCK_MS = 10 * 60_000;

/** Files and folders whose contents end up in the build. */
const INPUTS = [
  path.join(SITE_DIR, 'src'),
  path.join(SITE_DIR, 'astro.config.mjs'),
  path.join(ROOT, 'data'),
  path.join(ROOT, 'classifier'),
];
const SOURCE_FILE = /\.(ts|mts|mjs|js|astro|css|sql|json)$/;

function listFiles(entry: string, out: string[]): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(entry);
  } catch {
    return;
  }
  if (stat.isFile()) {
    if (SOURCE_FILE.test(entry)) out.push(entry);
    return;
  }
  if (!stat.isDirectory()) return;
  for (const name of fs.readdirSync(entry).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    listFiles(path.join(entry, name), out);
  }
}

/** A fingerprint of the path, size and modification time of every source file under `inputs`. */
export function fingerprintOf(inputs: readonly string[], root: string): string {
  const files: string[] = [];
  for (const input of inputs) listFiles(input, files);
  const hash = createHash('sha256');
  for (const file of files) {
    const stat = fs.statSync(file);
    hash.update(`${path.relative(root, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

export function sourcesFingerprint(): string {
  return fingerprintOf(INPUTS, ROOT);
}

function newestMtime(inputs: readonly string[]): number {
  const files: string[] = [];
  for (const input of inputs) listFiles(input, files);
  return files.reduce((newest, file) => Math.max(newest, fs.statSync(file).mtimeMs), 0);
}

/**
 * Whether site/dist is current. A build made here carries the sources' fingerprint; one made by
 * `npm run build` (plain `astro build`) has none, and counts as current when it is newer than every source.
 */
export function isSiteBuilt(fingerprint = sourcesFingerprint()): boolean {
  const entry = path.join(DIST_DIR, 'server', 'entry.mjs');
  try {
    if (fs.existsSync(STAMP)) return fs.readFileSync(STAMP, 'utf8') === fingerprint && fs.existsSync(entry);
    return fs.statSync(entry).mtimeMs > newestMtime(INPUTS);
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Run `fn` holding a lock directory shared by every process. A lock whose owner died, or older than
 * `staleMs`, is taken over.
 */
export async function withLock<T>(lock: string, fn: () => Promise<T>, staleMs = STALE_LOCK_MS): Promise<T> {
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    // Someone else is building: wait, unless their lock is abandoned.
    let owner = NaN;
    let age = 0;
    try {
      owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
      age = Date.now() - fs.statSync(lock).mtimeMs;
    } catch {
      // The lock is being created or removed right now.
    }
    if ((Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) || age > staleMs) {
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    await sleep(250);
  }
  fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export class SiteBuildError extends Error {
  override name = 'SiteBuildError';
}

function runAstroBuild(outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(SITE_DIR, 'astro-build.mjs'), outDir], {
      cwd: SITE_DIR,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (cause) =>
      reject(new SiteBuildError(`could not start the site build: ${cause.message}`, { cause })),
    );
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(new SiteBuildError(`the site build failed (${signal ?? `exit ${code}`}):\n${output.trim()}`));
    });
  });
}

/**
 * Build the site unless site/dist is current. `log` hears one line when a build starts and one when it
 * ends. Returns whether this call built it.
 */
export async function ensureSiteBuilt(log: (line: string) => void = () => {}): Promise<boolean> {
  if (isSiteBuilt()) return false;
  return withLock(LOCK, async () => {
    // Another process may have finished a build while this one waited for the lock.
    const fingerprint = sourcesFingerprint();
    if (isSiteBuilt(fingerprint)) return false;
    log('mcp-catalog: building the site (site/dist is missing or older than its sources)…');
    const tmp = path.join(SITE_DIR, `.build-${process.pid}-${Date.now()}`);
    const old = `${tmp}-old`;
    try {
      await runAstroBuild(tmp);
      fs.writeFileSync(path.join(tmp, '.sources-fingerprint'), fingerprint);
      if (fs.existsSync(DIST_DIR)) fs.renameSync(DIST_DIR, old);
      fs.renameSync(tmp, DIST_DIR);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.rmSync(old, { recursive: true, force: true });
    }
    log('mcp-catalog: site built.');
    return true;
  });
}
