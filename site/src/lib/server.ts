// The server page: who the server is, how its crawl went, and its tools, 100 to a page.
import { gradeServer, GRADE_MEANING, type Grade } from '../../../classifier/grade.ts';
import { countRugPulls } from '../../../data/changes.ts';
import type { Db } from '../../../data/db.ts';
import type { Category, Risk } from '../../../data/model.ts';
import { CATEGORIES, RISKS } from '../../../data/model.ts';
import {
  getServer,
  listServerGradeInputs,
  listServerTools,
  TOOL_SORTS,
  type ToolFilter,
  type ToolSort,
} from '../../../data/queries.ts';
import { riskChart, type RiskChart } from './chart.ts';
import { makePager, offsetOf, type Pager } from './pagination.ts';
import { policyLinks, type PolicyLink } from './policy.ts';
import { safeHttpUrl } from './text.ts';
import { policyHref, serverHref, toolHref } from './urls.ts';

export const TOOLS_PER_SERVER_PAGE = 100;
/** Tools read to grade a server; a larger server is graded on its first ones, and the page says so. */
export const MAX_GRADED_TOOLS = 5_000;

export interface ServerGradeView {
  grade: Grade;
  score: number;
  reasons: string[];
  meaning: string;
  rugPulls: number;
  /** How many tools the grade read (all, unless the server has more than MAX_GRADED_TOOLS). */
  graded: number;
}

/** Sort and filter links for the tools table: plain links, so the table sorts without JavaScript. */
export interface TableControls {
  filter: ToolFilter;
  sorts: { sort: ToolSort; label: string; href: string; current: boolean }[];
  categories: { category: Category; href: string; current: boolean }[];
  risks: { risk: Risk; href: string; current: boolean }[];
  clearHref: string | null;
}

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
  chart: RiskChart;
  grade: ServerGradeView;
  transports: string[];
  builderHref: string;
  controls: TableControls;
  policyHref: string;
  /** The server's whole policy in every format, for download. */
  policyFormats: PolicyLink[];
  tools: ServerToolRow[];
  pager: Pager;
}

const claimed = (raw: string | null | undefined): ClaimedUrl | null =>
  raw ? { text: raw, href: safeHttpUrl(raw) } : null;

const SORT_LABELS: Record<ToolSort, string> = {
  position: 'Served order',
  name: 'Name',
  risk: 'Risk (highest first)',
  category: 'Category (Execute first)',
};

/** The server page URL with its table state. */
export function serverTableHref(id: string, filter: ToolFilter, page = 1): string {
  const params = new URLSearchParams();
  if (filter.sort && filter.sort !== 'position') params.set('sort', filter.sort);
  if (filter.category) params.set('category', filter.category);
  if (filter.risk) params.set('risk', filter.risk);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return `${serverHref(id)}${qs ? `?${qs}` : ''}`;
}

/** Table state from a query string; null when a value is not one we know (→ 404, like a bad page). */
export function parseToolFilter(params: URLSearchParams): ToolFilter | null {
  const sort = params.get('sort');
  const category = params.get('category');
  const risk = params.get('risk');
  if (sort !== null && !(TOOL_SORTS as readonly string[]).includes(sort)) return null;
  if (category !== null && !(CATEGORIES as readonly string[]).includes(category)) return null;
  if (risk !== null && !(RISKS as readonly string[]).includes(risk)) return null;
  return {
    ...(sort ? { sort: sort as ToolSort } : {}),
    ...(category ? { category: category as Category } : {}),
    ...(risk ? { risk: risk as Risk } : {}),
  };
}

function controlsFor(id: string, filter: ToolFilter): TableControls {
  return {
    filter,
    sorts: TOOL_SORTS.map((sort) => ({
      sort,
      label: SORT_LABELS[sort],
      href: serverTableHref(id, { ...filter, sort }),
      current: (filter.sort ?? 'position') === sort,
    })),
    categories: CATEGORIES.map((category) => ({
      category,
      href: serverTableHref(id, { ...filter, category: filter.category === category ? undefined : category }),
      current: filter.category === category,
    })),
    risks: RISKS.map((risk) => ({
      risk,
      href: serverTableHref(id, { ...filter, risk: filter.risk === risk ? undefined : risk }),
      current: filter.risk === risk,
    })),
    clearHref: filter.category || filter.risk ? serverTableHref(id, { sort: filter.sort }) : null,
  };
}

function gradeOf(db: Db, id: string): ServerGradeView {
  const inputs = listServerGradeInputs(db, id, MAX_GRADED_TOOLS);
  const rugPulls = countRugPulls(db, id);
  const g = gradeServer(
    inputs.map((t) => ({ name: t.name, verdict: t.verdict, annotations: t.annotations ?? undefined })),
    { rugPulls },
  );
  return { ...g, meaning: GRADE_MEANING[g.grade], rugPulls, graded: inputs.length };
}

/** The server page model; undefined for an unknown server, null for a page past the last. */
export function serverModel(
  db: Db,
  id: string,
  page: number,
  filter: ToolFilter = {},
): ServerModel | undefined | null {
  const server = getServer(db, id);
  if (!server) return undefined;
  const { total, tools } = listServerTools(
    db,
    id,
    { limit: TOOLS_PER_SERVER_PAGE, offset: offsetOf(page, TOOLS_PER_SERVER_PAGE) },
    filter,
  );
  const pager = makePager(total, page, TOOLS_PER_SERVER_PAGE, (n) => serverTableHref(id, filter, n));
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
    toolCount: server.toolCount,
    maxRisk: server.maxRisk,
    byCategory: CATEGORIES.map((category) => ({ category, count: server.byCategory[category] })),
    byRisk: RISKS.map((risk) => ({ risk, count: server.byRisk[risk] })),
    chart: riskChart(RISKS.map((risk) => ({ risk, count: server.byRisk[risk] }))),
    grade: gradeOf(db, id),
    transports: server.ref.launch
      ? [server.ref.launch.transport === 'http' ? 'Streamable HTTP' : 'stdio']
      : [],
    builderHref: `/builder?server=${encodeURIComponent(id)}`,
    controls: controlsFor(id, filter),
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
