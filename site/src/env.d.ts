/// <reference types="astro/client" />
import type { Catalog } from './lib/catalog.ts';

// site/serve.ts opens the catalogue once and hands it to every request through the adapter's `locals`.
declare global {
  namespace App {
    interface Locals {
      catalog?: Catalog;
      /** The site's public origin (site/serve.ts): canonical URLs, sitemaps, OpenGraph. */
      origin?: string;
    }
  }
}
