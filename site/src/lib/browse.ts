// Browse by category and by risk: the index with counts, and one category's or risk's tools in catalogue
// order, 100 to a page, paged by the last id seen (keyset), so a deep page costs what the first does.
import { browseTools } from '../../../data/browse.ts';
import type { Db } from '../../../data/db.ts';
import type { Category, Risk } from '../../../data/model.ts';
import { CATEGORIES, RISKS } from '../../../data/model.ts';
import { getStats } from '../../../data/queries.ts';
import { serverHref, toolHref } from './urls.ts';

export const TOOLS_PER_BROWSE_PAGE = 100;

export type BrowseBy = { kind: 'category'; value: Category } | { kind: 'risk'; value: Risk };

export interface BrowseIndexModel {
  categories: { category: Category; count: number; href: string }[];
  risks: { risk: Risk; count: number; href: string }[];
}

export interface BrowseModel {
  by: BrowseBy;
  title: string;
  total: number;
  after: number;
  tools: {
    name: string;
    description: string;
    href: string;
    serverName: string;
    serverHref: string;
    category: Category | null;
    risk: Risk | null;
  }[];
  nextHref: string | null;
  firstHref: string | null;
}

export const browseHref = (by: BrowseBy, after = 0): string =>
  `/browse/${by.kind}/${encodeURIComponent(by.value)}${after > 0 ? `?after=${after}` : ''}`;

export function browseIndexModel(db: Db): BrowseIndexModel {
  const stats = getStats(db);
  return {
    categories: CATEGORIES.map((category) => ({
      category,
      count: stats.byCategory[category],
      href: browseHref({ kind: 'category', value: category }),
    })),
    risks: RISKS.map((risk) => ({
      risk,
      count: stats.byRisk[risk],
      href: browseHref({ kind: 'risk', value: risk }),
    })),
  };
}

/** What a /browse/<kind>/<value> path names, or null. */
export function parseBrowse(kind: string | undefined, value: string | undefined): BrowseBy | null {
  if (kind === 'category' && (CATEGORIES as readonly string[]).includes(value ?? ''))
    return { kind, value: value as Category };
  if (kind === 'risk' && (RISKS as readonly string[]).includes(value ?? ''))
    return { kind, value: value as Risk };
  return null;
}

/** `after` from the query: absent → 0; a non-negative whole number → itself; anything else → null. */
export function parseAfter(raw: string | null): number | null {
  if (raw === null) return 0;
  return /^\d{1,15}$/.test(raw) ? Number(raw) : null;
}

export function browseModel(db: Db, by: BrowseBy, after: number): BrowseModel {
  const { total, hits, nextAfter } = browseTools(
    db,
    by.kind === 'category' ? { category: by.value } : { risk: by.value },
    after,
    TOOLS_PER_BROWSE_PAGE,
  );
  return {
    by,
    title: by.kind === 'category' ? `${by.value} tools` : `${by.value}-risk tools`,
    total,
    after,
    tools: hits.map((h) => ({
      name: h.name,
      description: h.description,
      href: toolHref(h.serverId, h.name),
      serverName: h.serverName,
      serverHref: serverHref(h.serverId),
      category: h.category,
      risk: h.risk,
    })),
    nextHref: nextAfter === null ? null : browseHref(by, nextAfter),
    firstHref: after > 0 ? browseHref(by) : null,
  };
}
