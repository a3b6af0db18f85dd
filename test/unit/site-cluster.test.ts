// serve --workers: several processes on one port over one catalogue; a worker that dies is replaced, and
// closing stops every one of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteWorkers, type ClusterSite } from '../../site/cluster.ts';
import { IDS, standardCatalogFile } from '../helpers/site.ts';

let site: ClusterSite;
const log: string[] = [];
beforeAll(async () => {
  site = await startSiteWorkers({
    dbPath: standardCatalogFile(),
    host: '127.0.0.1',
    port: 0,
    workers: 2,
    log: (line) => log.push(line),
  });
}, 120_000);
afterAll(() => site?.close());

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('site workers', () => {
  it('serve the catalogue from two processes on one port', async () => {
    expect(site.pids()).toHaveLength(2);
    expect(new Set(site.pids()).size).toBe(2);
    const pages = await Promise.all(
      Array.from({ length: 12 }, () => fetch(`${site.url}/servers/${IDS.notes}`).then((r) => r.status)),
    );
    expect(pages).toEqual(Array(12).fill(200));
  });

  it('replace a worker that dies, and keep answering', async () => {
    const [victim, survivor] = site.pids() as [number, number];
    process.kill(victim, 'SIGKILL');
    await waitFor(() => site.pids().length === 2 && !site.pids().includes(victim));
    expect(site.pids()).toContain(survivor);
    expect(log.join('\n')).toContain(`site worker ${victim} exited (SIGKILL); starting another`);
    const res = await fetch(`${site.url}/`);
    expect(res.status).toBe(200);
  });

  it('all stop on close', async () => {
    const pids = site.pids();
    await site.close();
    expect(pids.some(alive)).toBe(false);
    expect(site.pids()).toEqual([]);
  });
});
