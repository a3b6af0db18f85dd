// The home page: catalogue totals, the category and risk distribution, and the server list.
import type { Db } from '../../../data/db.ts';
import type { Category, Risk } from '../../../data/model.ts';
import { CATEGORIES, RISKS } from '../../../data/model.ts';
import { getStats, listServers } from '../../../data/queries.ts';
import { makePager, offsetOf, type Pager } from './pagination.ts';
import { homeHref, serverHref } from './urls.ts';

export const SERVERS_PER_PAGE = 50;

export interface ServerListItem {
  id: string;
  name: string;
  description: string | null;
  href: string;
  toolCount: number;
  status: string | null;
  maxRisk: Risk | null;
}

export interface HomeModel {
  totals: { servers: number; tools: number; failedServers: number };
  byCategory: { category: Category; count: number }[];
  byRisk: { risk: Risk; count: number }[];
  lastRun: { startedAt: string; finishedAt: string | null; status: string } | null;
  servers: ServerListItem[];
  pager: Pager;
}

export function toServerListItem(s: {
  id: string;
  name: string;
  description: string | null;
  toolCount: number;
  lastStatus: string | null;
  maxRisk: Risk | null;
}): ServerListItem {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    href: serverHref(s.id),
    toolCount: s.toolCount,
    status: s.lastStatus,
    maxRisk: s.maxRisk,
  };
}

/** The home page model, or null when `page` is past the last page of servers. */
export function homeModel(db: Db, page: number): HomeModel | null {
  const stats = getStats(db);
  const pager = makePager(stats.servers, page, SERVERS_PER_PAGE, homeHref);
  if (!pager) return null;
  const { servers } = listServers(db, { limit: SERVERS_PER_PAGE, offset: offsetOf(page, SERVERS_PER_PAGE) });
  return {
    totals: { servers: stats.servers, tools: stats.tools, failedServers: stats.failedServers },
    byCategory: CATEGORIES.map((category) => ({ category, count: stats.byCategory[category] })),
    byRisk: RISKS.map((risk) => ({ risk, count: stats.byRisk[risk] })),
    lastRun: stats.lastRun
      ? {
          startedAt: stats.lastRun.startedAt,
          finishedAt: stats.lastRun.finishedAt,
          status: stats.lastRun.status,
        }
      : null,
    servers: servers.map(toServerListItem),
    pager,
  };
}
