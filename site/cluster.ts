// Serving the site from several processes on one port (node:cluster), for machines with cores to spare:
// rendering a page is CPU-bound JavaScript, so one process uses one core. The primary builds the site once,
// starts `workers` processes that each open the catalogue read-only and serve it (site/serve.ts, each with
// its own page cache), and starts a new one when one dies. Linux hands connections to the workers in turn.
import cluster, { type Worker } from 'node:cluster';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureSiteBuilt } from './build.ts';
import { startSite, type RunningSite, type SiteOptions } from './serve.ts';

const WORKER_ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cluster-worker.ts');
/** Replacements allowed within RESTART_WINDOW_MS before the primary gives up on a crashing site. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

export interface ClusterSite extends RunningSite {
  /** Process ids of the workers serving now. */
  pids(): number[];
}

type WorkerMessage = { type: 'ready'; url: string } | { type: 'failed'; message: string };

/** What a worker needs from the primary, passed in its environment. */
export const WORKER_OPTIONS_ENV = 'MCP_CATALOG_SITE_WORKER_OPTIONS';

export async function startSiteWorkers(options: SiteOptions & { workers: number }): Promise<ClusterSite> {
  if (!cluster.isPrimary) throw new Error('startSiteWorkers must run in the primary process');
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  await ensureSiteBuilt(log); // once, before any worker looks for the build
  const { log: _log, workers: count, ...plain } = options;
  // Workers run the TypeScript sources through tsx, found from here rather than from the working directory.
  cluster.setupPrimary({
    exec: WORKER_ENTRY,
    execArgv: ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href],
    silent: false,
  });

  const live = new Set<Worker>();
  let closing = false;
  const restarts: number[] = [];

  const fork = (): Promise<string> =>
    new Promise((resolve, reject) => {
      // Every worker asks for the same address and port, 0 included: the primary then hands all of them the
      // one socket (with 0, the one free port it picked).
      const worker = cluster.fork({ [WORKER_OPTIONS_ENV]: JSON.stringify(plain) });
      live.add(worker);
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') resolve(message.url);
        else reject(new Error(`site worker ${worker.process.pid} could not start: ${message.message}`));
      });
      worker.once('exit', (code, signal) => {
        live.delete(worker);
        reject(new Error(`site worker ${worker.process.pid} exited (${signal ?? code}) before it was ready`));
        if (closing) return;
        const now = Date.now();
        restarts.push(now);
        while (restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
        if (restarts.length > MAX_RESTARTS) {
          log(`mcp-catalog: site workers keep dying (${restarts.length} in a minute); not starting more`);
          return;
        }
        log(`mcp-catalog: site worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
        fork().catch((err: unknown) => log(`mcp-catalog: ${(err as Error).message}`));
      });
    });

  const stopAll = () =>
    Promise.all(
      [...live].map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            const timer = setTimeout(() => worker.process.kill('SIGKILL'), 5_000);
            worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            worker.process.kill('SIGTERM');
          }),
      ),
    ).then(() => undefined);

  let url: string;
  try {
    [url] = (await Promise.all(Array.from({ length: count }, () => fork()))) as [string, ...string[]];
  } catch (err) {
    closing = true;
    await stopAll();
    throw err;
  }

  let closed: Promise<void> | undefined;
  return {
    url,
    cacheStats: () => undefined,
    pids: () => [...live].filter((w) => !w.isDead()).map((w) => w.process.pid!),
    close() {
      closing = true;
      closed ??= stopAll();
      return closed;
    },
  };
}

/** The site in this process (`workers` 1, the default) or from `workers` processes on one port. */
export function serveSite(options: SiteOptions & { workers?: number }): Promise<RunningSite> {
  const { workers = 1, ...site } = options;
  return workers > 1 ? startSiteWorkers({ ...site, workers }) : startSite(site);
}
