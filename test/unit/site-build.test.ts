// The build-if-stale machinery behind startSite: the sources fingerprint and the cross-process lock.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintOf, withLock } from '../../site/build.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('fingerprintOf', () => {
  const root = tempDir('site-build-');
  const src = path.join(root, 'src');
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('src/a.ts', 'a');
  write('src/pages/b.astro', 'b');
  write('src/styles/c.css', 'c');
  write('src/notes.txt', 'ignored');
  write('src/node_modules/x.ts', 'ignored');
  write('src/.cache/y.ts', 'ignored');
  write('config.mjs', 'config');
  const inputs = [src, path.join(root, 'config.mjs'), path.join(root, 'missing')];
  const fp = () => fingerprintOf(inputs, root);

  it('is stable while nothing changes and ignores non-source files', () => {
    const before = fp();
    expect(fp()).toBe(before);
    write('src/notes.txt', 'changed');
    write('src/node_modules/x.ts', 'changed');
    write('src/.cache/y.ts', 'changed');
    expect(fp()).toBe(before);
  });

  it('changes when a source is edited, touched, added or removed', () => {
    let last = fp();
    const changed = () => {
      const now = fp();
      const differs = now !== last;
      last = now;
      return differs;
    };
    write('src/a.ts', 'a2');
    expect(changed()).toBe(true);
    const when = new Date(Date.now() + 5_000);
    fs.utimesSync(path.join(root, 'src/pages/b.astro'), when, when);
    expect(changed()).toBe(true);
    write('src/d.ts', 'd');
    expect(changed()).toBe(true);
    fs.rmSync(path.join(root, 'src/d.ts'));
    expect(changed()).toBe(true);
    write('config.mjs', 'config2');
    expect(changed()).toBe(true);
  });
});

describe('withLock', () => {
  const dir = tempDir('site-lock-');
  const lock = path.join(dir, 'lock');

  it('runs holders one at a time and removes the lock after', async () => {
    const events: string[] = [];
    const holder = (name: string) =>
      withLock(lock, async () => {
        events.push(`${name} in`);
        expect(fs.readFileSync(path.join(lock, 'pid'), 'utf8')).toBe(String(process.pid));
        await new Promise((resolve) => setTimeout(resolve, 50));
        events.push(`${name} out`);
        return name;
      });
    expect(await Promise.all([holder('a'), holder('b'), holder('c')])).toEqual(['a', 'b', 'c']);
    // Every "in" is followed by its own "out" before anyone else enters.
    for (let i = 0; i < events.length; i += 2) {
      expect(events[i + 1]).toBe(events[i]!.replace(' in', ' out'));
    }
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('releases the lock when the holder throws', async () => {
    await expect(withLock(lock, () => Promise.reject(new Error('build failed')))).rejects.toThrow(
      'build failed',
    );
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('takes over a lock whose owner process is gone', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'pid'), dead.stdout);
    expect(await withLock(lock, () => Promise.resolve('taken over'))).toBe('taken over');
  });

  it('takes over a lock older than the stale limit', async () => {
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'pid'), String(process.ppid));
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    expect(await withLock(lock, () => Promise.resolve('taken over'), 30_000)).toBe('taken over');
  });
});
