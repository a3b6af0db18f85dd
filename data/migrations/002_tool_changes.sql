-- Change detection: one row per tool that appeared, changed or vanished between two crawls of a server.
-- Keyed by server and tool *name* (not tools.id) so a removal outlives the deleted tool row.
CREATE TABLE tool_changes (
  id           INTEGER PRIMARY KEY,
  server_id    TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
  tool_name    TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('added', 'changed', 'removed')),
  run_id       INTEGER REFERENCES crawl_runs(id) ON DELETE SET NULL,
  old_hash     TEXT,
  new_hash     TEXT,
  old_category TEXT,
  new_category TEXT,
  old_risk     TEXT,
  new_risk     TEXT,
  -- JSON array of {path, op: 'added'|'removed'|'changed', before?, after?} over description, title,
  -- inputSchema, annotations (see classifier/changes.ts).
  diff         TEXT NOT NULL DEFAULT '[]',
  -- JSON array of marks: 'risk-rose', 'category-rose', 'new-flags', 'annotations-weakened'.
  marks        TEXT NOT NULL DEFAULT '[]',
  -- 1 when the risk or category became more dangerous: a possible "rug pull".
  rug_pull     INTEGER NOT NULL DEFAULT 0 CHECK (rug_pull IN (0, 1)),
  detected_at  TEXT NOT NULL
);
CREATE INDEX tool_changes_tool ON tool_changes(server_id, tool_name, id);
CREATE INDEX tool_changes_recent ON tool_changes(detected_at, id);
CREATE INDEX tool_changes_rug_pull ON tool_changes(detected_at, id) WHERE rug_pull = 1;
