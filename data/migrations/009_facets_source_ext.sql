-- Search counts and filters by source and language read only the narrow tool_facets row: each tool's server
-- source and its source file's extension (lower case, no dot; '' when unknown) join its category, risk,
-- flags and tags there. The search window then reads no tool or server rows (~3 ms of a ~5 ms window of
-- 1,000 matches on a 700,000-tool catalogue). Kept in step by the facet triggers of migration 005, redefined
-- here over one view, and by two new ones for a server's source and a tool's source path changing alone.
ALTER TABLE tool_facets ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE tool_facets ADD COLUMN ext TEXT NOT NULL DEFAULT '';

-- A tool's facets row as its newest verdict (created_at, then rowid) gives it: what every trigger writes.
CREATE VIEW tool_facets_current AS
  SELECT v.tool_id, t.server_id, v.category,
    CASE v.risk WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'critical' THEN 4 ELSE 0 END AS risk,
    coalesce((SELECT ' ' || replace(group_concat(DISTINCT json_extract(f.value, '$.kind')), ',', ' ') || ' '
              FROM json_each(v.verdict, '$.flags') f), '') AS flags,
    coalesce((SELECT ' ' || replace(group_concat(DISTINCT g.value), ',', ' ') || ' '
              FROM json_each(v.verdict, '$.tags') g), '') AS tags,
    coalesce((SELECT source FROM servers WHERE id = t.server_id), '') AS source,
    CASE WHEN instr(coalesce(t.source_path, ''), '.') = 0 THEN '' ELSE lower(replace(t.source_path, rtrim(t.source_path, replace(t.source_path, '.', '')), '')) END AS ext
  FROM verdicts v JOIN tools t ON t.id = v.tool_id
  WHERE v.rowid = (SELECT rowid FROM verdicts WHERE tool_id = v.tool_id ORDER BY created_at DESC, rowid DESC LIMIT 1);

UPDATE tool_facets SET (source, ext) = (
  SELECT c.source, c.ext FROM tool_facets_current c WHERE c.tool_id = tool_facets.tool_id);

DROP TRIGGER verdicts_facets_ai;
DROP TRIGGER verdicts_facets_au;
DROP TRIGGER verdicts_facets_ad2;

CREATE TRIGGER verdicts_facets_ai AFTER INSERT ON verdicts BEGIN
  INSERT INTO tool_facets (tool_id, server_id, category, risk, flags, tags, source, ext)
    SELECT * FROM tool_facets_current WHERE tool_id = new.tool_id
    ON CONFLICT (tool_id) DO UPDATE SET category = excluded.category, risk = excluded.risk,
      flags = excluded.flags, tags = excluded.tags, source = excluded.source, ext = excluded.ext;
END;
CREATE TRIGGER verdicts_facets_au AFTER UPDATE ON verdicts BEGIN
  INSERT INTO tool_facets (tool_id, server_id, category, risk, flags, tags, source, ext)
    SELECT * FROM tool_facets_current WHERE tool_id = new.tool_id
    ON CONFLICT (tool_id) DO UPDATE SET category = excluded.category, risk = excluded.risk,
      flags = excluded.flags, tags = excluded.tags, source = excluded.source, ext = excluded.ext;
END;
CREATE TRIGGER verdicts_facets_ad2 AFTER DELETE ON verdicts
  WHEN EXISTS (SELECT 1 FROM verdicts WHERE tool_id = old.tool_id) BEGIN
  INSERT INTO tool_facets (tool_id, server_id, category, risk, flags, tags, source, ext)
    SELECT * FROM tool_facets_current WHERE tool_id = old.tool_id
    ON CONFLICT (tool_id) DO UPDATE SET category = excluded.category, risk = excluded.risk,
      flags = excluded.flags, tags = excluded.tags, source = excluded.source, ext = excluded.ext;
END;

CREATE TRIGGER servers_facets_source AFTER UPDATE OF source ON servers
  WHEN old.source IS NOT new.source BEGIN
  UPDATE tool_facets SET source = new.source WHERE tool_id IN (SELECT id FROM tools WHERE server_id = new.id);
END;
CREATE TRIGGER tools_facets_ext AFTER UPDATE OF source_path ON tools
  WHEN old.source_path IS NOT new.source_path BEGIN
  UPDATE tool_facets SET ext = CASE WHEN instr(coalesce(new.source_path, ''), '.') = 0 THEN '' ELSE lower(replace(new.source_path, rtrim(new.source_path, replace(new.source_path, '.', '')), '')) END WHERE tool_id = new.id;
END;
