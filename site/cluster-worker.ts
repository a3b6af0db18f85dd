// One site worker under site/cluster.ts: serve the catalogue with the options the primary passed, tell it
// the URL, and close cleanly on SIGTERM.
import process from 'node:process';
import { WORKER_OPTIONS_ENV } from './cluster.ts';
import { startSite, type SiteOptions } from './serve.ts';

const send = (message: unknown) => process.send?.(message);

try {
  const options = JSON.parse(process.env[WORKER_OPTIONS_ENV] ?? '') as SiteOptions;
  const site = await startSite(options);
  process.once('SIGTERM', () => {
    void site.close().then(() => process.exit(0));
  });
  // The primary handles Ctrl+C for the whole group.
  process.on('SIGINT', () => {});
  send({ type: 'ready', url: site.url });
} catch (err) {
  send({ type: 'failed', message: (err as Error).message });
  process.exitCode = 1;
  process.disconnect?.();
}
