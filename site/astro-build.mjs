// Runs Astro's programmatic build for site/build.ts in a child process, so Vite, NODE_ENV and Astro's
// globals never touch the process that serves (or tests) the site. Usage: node astro-build.mjs <outDir>
import { fileURLToPath } from 'node:url';
import { build } from 'astro';

const outDir = process.argv[2];
if (!outDir) {
  process.stderr.write('usage: node astro-build.mjs <outDir>\n');
  process.exit(2);
}
await build({ root: fileURLToPath(new URL('.', import.meta.url)), outDir, logLevel: 'warn' });
