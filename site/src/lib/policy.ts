// The recommended policy for one tool or a whole server, rendered by the classifier's policy module.
import {
  buildPolicy,
  DECISIONS,
  FORMAT_INFO,
  isPolicyFormat,
  POLICY_FORMATS,
  renderPolicy,
  type Decision,
  type PolicyFormat,
  type VerdictLike,
} from '../../../classifier/policy/index.ts';
import type { Db } from '../../../data/db.ts';
import { LIMITS } from '../../../data/limits.ts';
import { getServer, getTool, listServerToolVerdicts } from '../../../data/queries.ts';
import { escapeInvisibleInJson } from './text.ts';
import { policyHref } from './urls.ts';

export { DECISIONS, FORMAT_INFO, isPolicyFormat, POLICY_FORMATS, type Decision, type PolicyFormat };

export interface PolicyDownload {
  format: PolicyFormat;
  /** A file name safe in a Content-Disposition header: ASCII letters, digits, `.`, `_` and `-`. */
  filename: string;
  mediaType: string;
  content: string;
}

export interface PolicyLink {
  format: PolicyFormat;
  label: string;
  href: string;
}

/** Download links for a server's or a tool's policy in every format the policy module renders. */
export function policyLinks(serverId: string, tool?: string): PolicyLink[] {
  return POLICY_FORMATS.map((format) => ({
    format,
    label: FORMAT_INFO[format].label,
    href: policyHref(serverId, tool, format),
  }));
}

/** `npm/@scope/name` + `read_file` → `npm-scope-name.read_file`: readable, ASCII, bounded. */
export function downloadName(serverId: string, tool: string | undefined, formatFile: string): string {
  const slug = (s: string) =>
    s
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+|-+$/g, '')
      .slice(0, 80);
  const parts = [slug(serverId) || 'server', ...(tool === undefined ? [] : [slug(tool) || 'tool'])];
  return `${parts.join('.')}.${formatFile}`;
}

/**
 * The file as served and shown. JSON formats get invisible characters escaped (the same JSON value), so
 * the file on screen, on the clipboard and on disk shows what a tool name really holds.
 */
function served(rendered: { mediaType: string; content: string }): string {
  return rendered.mediaType.includes('json') ? escapeInvisibleInJson(rendered.content) : rendered.content;
}

export interface ToolPolicyView extends PolicyDownload {
  decision: Decision;
  note: string;
  /** How the format stands in for approval, when the decision is approval. */
  approvalNote: string | null;
}

export function toolPolicy(
  server: { id: string; name: string },
  tool: { name: string; verdict: VerdictLike | null },
  format: PolicyFormat = 'policy.json',
): ToolPolicyView {
  const model = buildPolicy(server, [tool]);
  const rendered = renderPolicy(model, format);
  const entry = model.tools[0];
  const decision = entry?.decision ?? 'approve';
  return {
    format,
    filename: downloadName(server.id, tool.name, rendered.filename),
    mediaType: rendered.mediaType,
    content: served(rendered),
    decision,
    note: entry?.note ?? '',
    approvalNote: decision === 'approve' ? FORMAT_INFO[format].approval : null,
  };
}

/** The whole server's policy, or undefined for an unknown server. */
export function serverPolicy(db: Db, serverId: string, format: PolicyFormat): PolicyDownload | undefined {
  const server = getServer(db, serverId);
  if (!server) return undefined;
  // Category and risk are all a policy needs, so the light listing serves even a 50,000-tool server.
  const tools = listServerToolVerdicts(db, serverId, LIMITS.toolsPerServer);
  const model = buildPolicy(
    { id: server.id, name: server.name },
    tools.map((t) => ({
      name: t.name,
      verdict:
        t.category && t.risk
          ? {
              category: t.category,
              risk: t.risk,
              ...(t.confidence === null ? {} : { confidence: t.confidence }),
            }
          : null,
    })),
  );
  const rendered = renderPolicy(model, format);
  return {
    format,
    filename: downloadName(server.id, undefined, rendered.filename),
    mediaType: rendered.mediaType,
    content: served(rendered),
  };
}

/** One tool's policy as a download, or undefined for an unknown tool. */
export function toolPolicyDownload(
  db: Db,
  serverId: string,
  name: string,
  format: PolicyFormat,
): PolicyDownload | undefined {
  const tool = getTool(db, serverId, name);
  if (!tool) return undefined;
  const verdict = tool.verdict
    ? { category: tool.verdict.category, risk: tool.verdict.risk, confidence: tool.verdict.confidence }
    : null;
  const { filename, mediaType, content } = toolPolicy(
    { id: tool.serverId, name: tool.serverName },
    { name: tool.name, verdict },
    format,
  );
  return { format, filename, mediaType, content };
}
