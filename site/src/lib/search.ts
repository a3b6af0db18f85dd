// Search results: tools (paginated) and the best-matching servers, both through the FTS5 index.
import type { Db } from '../../../data/db.ts';
import type { Category, Risk } from '../../../data/model.ts';
import { searchServers, searchTools, toFtsQuery } from '../../../data/queries.ts';
import { toServerListItem, type ServerListItem } from './home.ts';
import { makePager, offsetOf, type Pager } from './pagination.ts';
import { searchHref, serverHref, toolHref } from './urls.ts';

export const TOOLS_PER_SEARCH_PAGE = 50;
export const SERVERS_PER_SEARCH = 10;
/** Longest query taken; the rest is ignored (the FTS query keeps 16 words anyway). */
export const MAX_QUERY_CHARS = 200;

export interface ToolHit {
  name: string;
  title: string | null;
  description: string;
  href: string;
  serverId: string;
  serverName: string;
  serverHref: string;
  category: Category | null;
  risk: Risk | null;
}

export interface SearchModel {
  query: string;
  /** False when the query holds nothing searchable (empty, only punctuation). */
  searched: boolean;
  servers: { total: number; hits: ServerListItem[] };
  tools: { total: number; hits: ToolHit[]; pager: Pager };
}

/** The search page model, or null when `page` is past the last page of tool hits. */
export function searchModel(db: Db, rawQuery: string, page: number): SearchModel | null {
  const query = rawQuery.slice(0, MAX_QUERY_CHARS).trim();
  const searched = toFtsQuery(query) !== null;
  const tools = searched
    ? searchTools(db, query, { limit: TOOLS_PER_SEARCH_PAGE, offset: offsetOf(page, TOOLS_PER_SEARCH_PAGE) })
    : { total: 0, hits: [] };
  const pager = makePager(tools.total, page, TOOLS_PER_SEARCH_PAGE, (n) => searchHref(query, n));
  if (!pager) return null;
  const servers = searched ? searchServers(db, query, { limit: SERVERS_PER_SEARCH, offset: 0 }) : null;
  return {
    query,
    searched,
    servers: { total: servers?.total ?? 0, hits: (servers?.servers ?? []).map(toServerListItem) },
    tools: {
      total: tools.total,
      pager,
      hits: tools.hits.map((h) => ({
        name: h.name,
        title: h.title,
        description: h.description,
        href: toolHref(h.serverId, h.name),
        serverId: h.serverId,
        serverName: h.serverName,
        serverHref: serverHref(h.serverId),
        category: h.category,
        risk: h.risk,
      })),
    },
  };
}
