// What site/serve.ts hands every request: the catalogue, opened read-only once per process.
import type { Db } from '../../../data/db.ts';

export interface Catalog {
  db: Db;
}

export class CatalogMissingError extends Error {
  override name = 'CatalogMissingError';
}

/** The catalogue from a request's locals; the site only runs behind site/serve.ts, which provides it. */
export function catalogFrom(locals: { catalog?: Catalog | undefined }): Catalog {
  if (!locals.catalog) {
    throw new CatalogMissingError(
      'no catalogue in locals: serve the site with startSite() from site/serve.ts',
    );
  }
  return locals.catalog;
}

/** The public origin for absolute URLs; `http://localhost` only when the site runs outside serve.ts. */
export function originFrom(locals: { origin?: string | undefined }): string {
  return locals.origin ?? 'http://localhost';
}
