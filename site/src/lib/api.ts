// The API page's content: the endpoint table and the policy-format mapping (from the policy module's
// FORMAT_INFO, so the page cannot drift from what the generators do).
import { FORMAT_INFO, POLICY_FORMATS, type PolicyFormat } from './policy.ts';

export interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  params: string;
  answers: string;
}

export const FORMAT_FILES: Record<PolicyFormat, string> = {
  'policy.json': 'policy.json',
  'claude-code': 'settings.json',
  cedar: 'policy.cedar',
  intercept: 'policy.yaml',
};

export const ENDPOINTS: Endpoint[] = [
  {
    method: 'GET',
    path: '/index.json',
    params: 'page',
    answers: 'Totals, tools by category and risk, one page of servers.',
  },
  {
    method: 'GET',
    path: '/api/search',
    params:
      'q (words match as prefixes), category, risk, tag, flag, source, language (each repeatable: OR within one, AND across), page',
    answers:
      'Tool hits ranked by bm25 (50 a page), facet counts per filter value, matching servers, pager links.',
  },
  {
    method: 'GET',
    path: '/search.json',
    params: 'as /api/search',
    answers: 'The same model; links point at /search.',
  },
  {
    method: 'GET',
    path: '/servers/<id>.json',
    params: 'page, sort (position, name, risk, category), category, risk',
    answers:
      'The server: repository, packages, transports, last crawl, grade with reasons, counts, one page of tools.',
  },
  {
    method: 'GET',
    path: '/servers/<id>/tools/<tool>.json',
    params: '—',
    answers:
      'The tool: verdict, evidence, annotations declared and inferred, per-action verdicts, flags, change history, policy, FAQ, related and similar tools.',
  },
  {
    method: 'GET',
    path: '/browse/category/<Category>.json, /browse/risk/<risk>.json',
    params: 'after (the last tool id of the previous page)',
    answers: 'Tools of one category or risk in catalogue order, 100 a page, with the next page link.',
  },
  {
    method: 'GET',
    path: '/policy/<id>.json',
    params: 'format (policy.json, claude-code, cedar, intercept)',
    answers: "The server's recommended policy as a download (attachment), in the format's own media type.",
  },
  {
    method: 'GET',
    path: '/policy/<id>/tools/<tool>.json',
    params: 'format',
    answers: "One tool's recommended policy as a download.",
  },
  {
    method: 'POST',
    path: '/builder/download',
    params:
      'form: server (repeatable), d/<server index>/<tool> = allow | rate-limit | approve | deny, download = <server index>:<format> or all:<claude-code|cedar>',
    answers: 'The policy with your decisions, as a download.',
  },
  {
    method: 'GET',
    path: '/sitemap.xml, /robots.txt',
    params: '—',
    answers: 'Sitemap index (chunks of 40,000 URLs) and crawler rules.',
  },
];

export function apiModel() {
  return {
    endpoints: ENDPOINTS,
    example: 'curl "http://localhost:4321/api/search?q=delete&category=Destructive&risk=high"',
    formats: POLICY_FORMATS.map((format) => ({
      format,
      filename: FORMAT_FILES[format],
      label: FORMAT_INFO[format].label,
      approval: FORMAT_INFO[format].approval,
      description: FORMAT_INFO[format].description,
    })),
  };
}
