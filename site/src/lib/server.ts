// The server page: who the server is, how its crawl went, and its tools, 100 to a page.
import type { Db } from '../../../data/db.ts';
import type { Category, Risk } from '../../../data/model.ts';
import { CATEGORIES, RISKS } from '../../../data/model.ts';
import { getServer, listServerTools } from '../../../data/queries.ts';
import { makePager, offsetOf, type Pager } from './pagination.ts';
import { policyLinks, type PolicyLink } from './policy.ts';
import { safeHttpUrl } from './text.ts';
import { policyHref, serverHref, toolHref } from './urls.ts';

export const TOOLS_PER_SERVER_PAGE = 100;

/** A URL the server claims: shown as text always, linked only when it is http(s). */
export interface ClaimedUrl {
  text: string;
  href: string | null;
}

export interface ServerToolRow {
  name: string;
  title: string | null;
  description: string;
  href: string;
  category: Category | null;
  risk: Risk | null;
  truncated: boolean;
}

export interface ServerModel {
  id: string;
  name: string;
  href: string;
  description: string | null;
  source: string;
  repository: ClaimedUrl | null;
  homepage: ClaimedUrl | null;
  packages: { registry: string; name: string; version: string | null }[];
  info: { name: string; title: string | null; version: string | null; protocolVersion: string | null } | null;
  instructions: string | null;
  status: string | null;
  lastError: string | null;
  firstSeen: string;
  lastCrawled: string | null;
  toolCount: number;
  maxRisk: Risk | null;
  byCategory: { category: Category; count: number }[];
  byRisk: { risk: Risk; count: number }[];
  policyHref: string;
  /** The server's whole policy in every format, for download. */
  policyFormats: PolicyLink[];
  tools: ServerToolRow[];
  pager: Pager;
}

const claimed = (raw: string | null | undefined): ClaimedUrl | null =>
  raw ? { text: raw, href: safeHttpUrl(raw) } : null;

/** The server page model; undefined for an unknown server, null for a page past the last. */
export function serverModel(db: Db, id: string, page: number): ServerModel | undefined | null {
  const server = getServer(db, id);
  if (!server) return undefined;
  const { total, tools } = listServerTools(db, id, {
    limit: TOOLS_PER_SERVER_PAGE,
    offset: offsetOf(page, TOOLS_PER_SERVER_PAGE),
  });
  const pager = makePager(total, page, TOOLS_PER_SERVER_PAGE, (n) => serverHref(id, n));
  if (!pager) return null;
  const packages = Array.isArray(server.ref.packages) ? server.ref.packages : [];
  return {
    id: server.id,
    name: server.name,
    href: serverHref(server.id),
    description: server.description,
    source: server.source,
    repository: claimed(server.repositoryUrl),
    homepage: claimed(server.homepageUrl),
    packages: packages.map((p) => ({ registry: p.registry, name: p.name, version: p.version ?? null })),
    info: server.info
      ? {
          name: server.info.name,
          title: server.info.title ?? null,
          version: server.info.version ?? null,
          protocolVersion: server.info.protocolVersion ?? null,
        }
      : null,
    instructions: server.info?.instructions ?? null,
    status: server.lastStatus,
    lastError: server.lastError,
    firstSeen: server.firstSeen,
    lastCrawled: server.lastCrawled,
    toolCount: total,
    maxRisk: server.maxRisk,
    byCategory: CATEGORIES.map((category) => ({ category, count: server.byCategory[category] })),
    byRisk: RISKS.map((risk) => ({ risk, count: server.byRisk[risk] })),
    policyHref: policyHref(server.id),
    policyFormats: policyLinks(server.id),
    tools: tools.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      href: toolHref(id, t.name),
      category: t.category,
      risk: t.risk,
      truncated: t.truncated.length > 0,
    })),
    pager,
  };
}
