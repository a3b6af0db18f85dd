// What a path under /servers/ names: a server page (with its tool page number) or a tool page. The HTML
// route and its JSON twin both resolve through here, so they always agree.
import type { Db } from '../../../data/db.ts';
import { parsePage } from './pagination.ts';
import { parseToolFilter, serverModel, type ServerModel } from './server.ts';
import { toolModel, type ToolModel } from './tool.ts';
import { restOf, targetsOf } from './urls.ts';

export type Resolved = { kind: 'server'; model: ServerModel } | { kind: 'tool'; model: ToolModel };

/** Resolve a /servers/ URL, or null (→ 404). The whole path as a server id is tried first. */
export function resolveServerUrl(db: Db, url: URL, json: boolean): Resolved | null {
  const rest = restOf(url.pathname, '/servers/', json);
  if (rest === null) return null;
  const page = parsePage(url.searchParams.get('page'));
  if (page === null) return null;
  for (const target of targetsOf(rest, url.searchParams.get('tool'))) {
    if (target.kind === 'server') {
      const filter = parseToolFilter(url.searchParams);
      if (filter === null) return null;
      const model = serverModel(db, target.serverId, page, filter);
      if (model === null) return null; // the server exists; the page does not
      if (model) return { kind: 'server', model };
    } else {
      const model = toolModel(db, target.serverId, target.tool);
      if (model) return { kind: 'tool', model };
    }
  }
  return null;
}
