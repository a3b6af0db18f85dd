// The catalogue site: server output through @astrojs/node in middleware mode, so site/serve.ts owns the
// HTTP server and hands every request the read-only catalogue through `locals`.
import node from '@astrojs/node';
import { defineConfig } from 'astro/config';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'middleware' }),
  devToolbar: { enabled: false },
  // Astro's own check compares a POST's Origin with the URL it rebuilds from allowed domains, which in
  // middleware mode is http://localhost whatever the real host; the only POST route (the policy builder's
  // download, which changes nothing) checks Sec-Fetch-Site itself.
  security: { checkOrigin: false },
  build: {
    // Stylesheets and scripts as files, never inline, so the Content-Security-Policy needs no
    // 'unsafe-inline' and no hashes.
    inlineStylesheets: 'never',
  },
  vite: {
    build: { assetsInlineLimit: 0 },
    // A native module: it must be loaded by Node at run time, never bundled.
    ssr: { external: ['better-sqlite3'] },
    server: { fs: { allow: ['..'] } },
  },
});
