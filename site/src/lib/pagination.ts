// Page numbers from the query string and the links between pages.

export interface Pager {
  page: number;
  pages: number;
  perPage: number;
  total: number;
  /** Offset of the first item on this page. */
  offset: number;
  /** 1-based positions of the first and last item shown (0 and 0 when there are none). */
  from: number;
  to: number;
  prevHref: string | null;
  nextHref: string | null;
}

/** The largest page number accepted; anything past it is not a page. */
const MAX_PAGE = 1_000_000;

/**
 * The page a query asks for: absent → 1; a positive whole number → itself; anything else (0, -1, 1.5, "x",
 * a huge number) → null, which the route answers with 404.
 */
export function parsePage(raw: string | null): number | null {
  if (raw === null) return 1;
  if (!/^[1-9]\d{0,6}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= MAX_PAGE ? n : null;
}

export function offsetOf(page: number, perPage: number): number {
  return (page - 1) * perPage;
}

/**
 * The pager for `total` items, or null when `page` is past the last page (page 1 always exists, even
 * empty). `href(n)` builds the link to page n.
 */
export function makePager(
  total: number,
  page: number,
  perPage: number,
  href: (page: number) => string,
): Pager | null {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (page > pages) return null;
  const offset = offsetOf(page, perPage);
  const shown = Math.max(0, Math.min(perPage, total - offset));
  return {
    page,
    pages,
    perPage,
    total,
    offset,
    from: shown > 0 ? offset + 1 : 0,
    to: offset + shown,
    prevHref: page > 1 ? href(page - 1) : null,
    nextHref: page < pages ? href(page + 1) : null,
  };
}
