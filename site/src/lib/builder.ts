// The policy builder: pick servers, set each tool's decision (allow / rate-limit / approve / deny), download
// the policy in any format. The page is a plain form (GET to pick servers, POST to download), so it works
// without JavaScript; a bundled script only adds bulk controls and live counts.
import {
  buildPolicy,
  decisionFor,
  DECISIONS,
  renderPolicy,
  type Decision,
  type VerdictLike,
} from '../../../classifier/policy/index.ts';
import type { Db } from '../../../data/db.ts';
import { LIMITS } from '../../../data/limits.ts';
import type { Category, Risk } from '../../../data/model.ts';
import { getServer, listServerToolVerdicts, searchServers } from '../../../data/queries.ts';
import {
  downloadName,
  isPolicyFormat,
  POLICY_FORMATS,
  FORMAT_INFO,
  type PolicyDownload,
  type PolicyFormat,
} from './policy.ts';
import { safeJson } from './respond.ts';
import { escapeInvisibleInJson } from './text.ts';
import { serverHref } from './urls.ts';

export const MAX_BUILDER_SERVERS = 10;
/** Tools listed with a control per server; the rest keep their recommended decision. */
export const MAX_BUILDER_TOOLS = 500;

export const DECISION_LABELS: Record<Decision, string> = {
  allow: 'Allow',
  'rate-limit': 'Rate-limit',
  approve: 'Require approval',
  deny: 'Deny',
};

export interface BuilderTool {
  name: string;
  category: Category | null;
  risk: Risk | null;
  recommended: Decision;
  /** The form field holding this tool's decision. */
  field: string;
}

export interface BuilderServer {
  index: number;
  id: string;
  name: string;
  href: string;
  toolCount: number;
  tools: BuilderTool[];
  removeHref: string;
}

export interface BuilderModel {
  query: string;
  selected: BuilderServer[];
  /** Servers matching the query that can be added. */
  candidates: { id: string; name: string; toolCount: number; addHref: string }[];
  formats: { format: PolicyFormat; label: string; approval: string }[];
  /** Formats that can hold several servers in one file. */
  combinedFormats: PolicyFormat[];
  full: boolean;
}

/** The form field for a tool's decision: `d/<server index>/<tool name>` (the name may hold anything). */
export const fieldFor = (index: number, tool: string): string => `d/${index}/${tool}`;

export function builderHref(serverIds: readonly string[], query = ''): string {
  const params = new URLSearchParams();
  for (const id of serverIds) params.append('server', id);
  if (query) params.set('q', query);
  const qs = params.toString();
  return qs ? `/builder?${qs}` : '/builder';
}

/** Selected server ids from a query string or form: distinct, bounded, in order. */
export function selectedIds(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter((v) => v.length > 0 && v.length <= 300))].slice(
    0,
    MAX_BUILDER_SERVERS,
  );
}

export function builderModel(db: Db, ids: readonly string[], rawQuery: string): BuilderModel {
  const query = rawQuery.trim().slice(0, 200);
  const selected: BuilderServer[] = [];
  for (const id of selectedIds(ids)) {
    const server = getServer(db, id);
    if (!server) continue;
    const index = selected.length;
    const tools = listServerToolVerdicts(db, id, MAX_BUILDER_TOOLS).map((t) => ({
      ...t,
      recommended: decisionFor(verdictLike(t)).decision,
      field: fieldFor(index, t.name),
    }));
    selected.push({
      index,
      id,
      name: server.name,
      href: serverHref(id),
      toolCount: server.toolCount,
      tools,
      removeHref: builderHref(
        selectedIds(ids).filter((x) => x !== id),
        query,
      ),
    });
  }
  const chosen = selected.map((s) => s.id);
  const candidates = query
    ? searchServers(db, query, { limit: 10, offset: 0 })
        .servers.filter((s) => !chosen.includes(s.id))
        .map((s) => ({
          id: s.id,
          name: s.name,
          toolCount: s.toolCount,
          addHref: builderHref([...chosen, s.id]),
        }))
    : [];
  return {
    query,
    selected,
    candidates,
    formats: POLICY_FORMATS.map((format) => ({
      format,
      label: FORMAT_INFO[format].label,
      approval: FORMAT_INFO[format].approval,
    })),
    combinedFormats: ['claude-code', 'cedar'],
    full: selected.length >= MAX_BUILDER_SERVERS,
  };
}

/** What the policy model decides from: category, risk and (for unsure reads) confidence. */
export function verdictLike(t: {
  category: Category | null;
  risk: Risk | null;
  confidence: number | null;
}): VerdictLike | null {
  if (!t.category || !t.risk) return null;
  return t.confidence === null
    ? { category: t.category, risk: t.risk }
    : { category: t.category, risk: t.risk, confidence: t.confidence };
}

export class BuilderError extends Error {
  override name = 'BuilderError';
}

interface ParsedForm {
  servers: string[];
  overrides: Record<string, Decision>[];
  target: { server: number | 'all'; format: PolicyFormat };
}

/** Read the builder's POSTed form; throws BuilderError with a message for the person on bad input. */
export function parseBuilderForm(form: FormData): ParsedForm {
  const servers = selectedIds(form.getAll('server').filter((v): v is string => typeof v === 'string'));
  if (servers.length === 0) throw new BuilderError('pick at least one server');
  const overrides = servers.map(() => ({}) as Record<string, Decision>);
  for (const [key, value] of form.entries()) {
    if (typeof value !== 'string' || !key.startsWith('d/')) continue;
    const slash = key.indexOf('/', 2);
    const index = Number(key.slice(2, slash));
    const tool = key.slice(slash + 1);
    if (slash < 0 || !Number.isInteger(index) || !overrides[index]) continue;
    if (!(DECISIONS as readonly string[]).includes(value))
      throw new BuilderError(`unknown decision "${value}"`);
    overrides[index]![tool] = value as Decision;
  }
  const download = String(form.get('download') ?? '');
  const colon = download.indexOf(':');
  const which = download.slice(0, colon);
  const format = download.slice(colon + 1);
  if (colon < 0 || !isPolicyFormat(format)) throw new BuilderError('choose a format to download');
  const server = which === 'all' ? 'all' : Number(which);
  if (server !== 'all' && (!Number.isInteger(server) || server < 0 || server >= servers.length)) {
    throw new BuilderError('choose a server to download');
  }
  return { servers, overrides, target: { server, format } };
}

function renderOne(db: Db, id: string, overrides: Record<string, Decision>, format: PolicyFormat) {
  const server = getServer(db, id);
  if (!server) throw new BuilderError(`server ${id} is not in the catalogue`);
  const tools = listServerToolVerdicts(db, id, LIMITS.toolsPerServer).map((t) => ({
    name: t.name,
    verdict: verdictLike(t),
  }));
  return renderPolicy(buildPolicy({ id: server.id, name: server.name }, tools, overrides), format);
}

const served = (mediaType: string, content: string) =>
  mediaType.includes('json') ? escapeInvisibleInJson(content) : content;

/** The file the builder's form asks for. */
export function builderDownload(db: Db, form: FormData): PolicyDownload {
  const { servers, overrides, target } = parseBuilderForm(form);
  const { format } = target;
  if (target.server !== 'all') {
    const id = servers[target.server]!;
    const rendered = renderOne(db, id, overrides[target.server] ?? {}, format);
    return {
      format,
      filename: downloadName(id, undefined, rendered.filename),
      mediaType: rendered.mediaType,
      content: served(rendered.mediaType, rendered.content),
    };
  }
  const parts = servers.map((id, i) => renderOne(db, id, overrides[i] ?? {}, format));
  let content: string;
  if (format === 'claude-code') {
    // One settings file: the servers' rules side by side (rule names carry the server name).
    const merged = { permissions: { allow: [] as string[], ask: [] as string[], deny: [] as string[] } };
    for (const p of parts) {
      const { permissions } = JSON.parse(p.content) as typeof merged;
      merged.permissions.allow.push(...permissions.allow);
      merged.permissions.ask.push(...permissions.ask);
      merged.permissions.deny.push(...permissions.deny);
    }
    content = `${safeJson(merged, 2)}\n`;
  } else if (format === 'cedar') {
    // A Cedar policy set is a sequence of policies, so the servers' sets concatenate.
    content = parts.map((p) => p.content).join('\n');
  } else {
    throw new BuilderError(`${FORMAT_INFO[format].label} holds one server: download each server's file`);
  }
  const first = parts[0]!;
  return {
    format,
    filename: `mcp-servers.${first.filename}`,
    mediaType: first.mediaType,
    content: served(first.mediaType, content),
  };
}
