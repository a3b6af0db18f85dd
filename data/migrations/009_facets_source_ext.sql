-- Search counts and filters by source and language read only the narrow tool_facets row: each tool's server
-- source and its source file's extension (lower case, no dot; '' when unknown) join its category, risk,
-- flags and tags there. The search window then reads no tool or server rows (~3 ms of a ~5 ms window of
-- 1,000 matches on a 700,000-tool catalogue). Kept in step by the facet triggers of migration 005, redefined
-- here, and by two new ones for a server's source and a tool's source path changing on their own.
ALTER TABLE tool_facets ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE tool_facets ADD COLUMN ext TEXT NOT NULL DEFAULT '';

UPDATE tool_facets SET
  source = coalesce((SELECT s.source FROM servers s WHERE s.id = tool_facets.server_id), ''),
  ext = coalesce((SELECT CASE WHEN instr(coalesce(t.source_path, ''), '.') = 0 THEN '' ELSE lower(replace(t.source_path, rtrim(t.source_path, replace(t.source_path, '.', '')), '')) END FROM tools t WHERE t.id = tool_facets.tool_id), '');

DROP TRIGGER verdicts_facets_ai;
DROP TRIGGER verdicts_facets_au;
DROP TRIGGER verdicts_facets_ad2;

CREATE TRIGGER verdicts_facets_ai AFTER INSERT ON verdicts BEGIN
  INSERT INTO tool_facets (tool_id, server_id, category, risk, flags, tags, source, ext)
    SELECT c.tool_id, t.server_id, c.category,
      CASE c.risk WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'critical' THEN 4 ELSE 0 END,
      coalesce((SELECT ' ' || replace(group_concat(DISTINCT json_extract(f.value, '$.kind')), ',', ' ') || ' '
                FROM json_each(c.verdict, '$.flags') f), ''),
      coalesce((SELECT ' ' || replace(group_concat(DISTINCT g.value), ',', ' ') || ' '
                FROM json_each(c.verdict, '$.tags') g), ''),
      coalesce((SELECT source FROM servers WHERE id = t.server_id), ''),
      CASE WHEN instr(coalesce(t.source_path, ''), '.') = 0 THEN '' ELSE lower(replace(t.source_path, rtrim(t.source_path, replace(t.source_path, '.', '')), '')) END
    FROM (SELECT tool_id, category, risk, verdict FROM verdicts WHERE tool_id = new.tool_id
          ORDER BY created_at DESC, rowid DESC LIMIT 1) AS c
    JOIN tools t ON t.id = c.tool_id
    WHERE true
    ON CONFLICT (tool_id) DO UPDATE SET category = excluded.category, risk = excluded.risk,
      flags = excluded.flags, tags = excluded.tags, source = excluded.source, ext = excluded.ext;
END;
CREATE TRIGGER verdicts_facets_au AFTER UPDATE ON verdicts BEGIN
  INSERT INTO tool_facets (tool_id, server_id, category, risk, flags, tags, source, ext)
    SELECT c.tool_id, t.server_id, c.category,
      CASE c.risk WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'critical' THEN 4 ELSE 0 END,
      coalesce((SELECT ' ' || replace(group_concat(DISTINCT json_extract(f.value, '$.kind')), ',', ' ') || ' '
                FROM json_each(c.verdict, '$.flags') f), ''),
      coalesce((SELECT ' ' || replace(group_concat(DISTINCT g.value), ',', ' ') || ' '
                FROM json_each(c.verdict, '$.tags') g), ''),
      coalesce((SELECT source FROM servers WHERE id = t.server_id), ''),
      CASE WHEN instr(coalesce(t.source_path, ''), '.') = 0 THEN '' ELSE lower(replace(t.source_path, rtrim(t.source_path, replace(t.source_path, '.', '')), '')) END
    FROM (SELECT tool_id, category, risk, verdict FROM verdicts WHERE tool_id = new.tool_id
          ORDER BY created_at DESC, rowid DESC LIMIT 1) AS c
    JOIN tools t ON t.id = c.tool_id
    WHERE true
    ON CONFLICT (tool_id) DO UPDATE SET category = excluded.category, risk = excluded.risk,
      flags = excluded.flags, tags = excluded.tags, source = excluded.source, ext = excluded.ext;
END;
CREATE TRIGGER verdicts_facets_ad2 AFTER DELETE ON verdicts
  WHEN EXISTS (SELECT 1 FROM verdicts WHERE tool_id = old.tool_id) BEGIN
  INSERT INTO tool_facets (tool_id, server_id, category, risk, flags, tags, source, ext)
    SELECT c.tool_id, t.server_id, c.category,
      CASE c.risk WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'critical' THEN 4 ELSE 0 END,
      coalesce((SELECT ' ' || replace(group_concat(DISTINCT json_extract(f.value, '$.kind')), ',', ' ') || ' '
                FROM json_each(c.verdict, '$.flags') f), ''),
      coalesce((SELECT ' ' || replace(group_concat(DISTINCT g.value), ',', ' ') || ' '
                FROM json_each(c.verdict, '$.tags') g), ''),
      coalesce((SELECT source FROM servers WHERE id = t.server_id), ''),
      CASE WHEN instr(coalesce(t.source_path, ''), '.') = 0 THEN '' ELSE lower(replace(t.source_path, rtrim(t.source_path, replace(t.source_path, '.', '')), '')) END
    FROM (SELECT tool_id, category, risk, verdict FROM verdicts WHERE tool_id = old.tool_id
          ORDER BY created_at DESC, rowid DESC LIMIT 1) AS c
    JOIN tools t ON t.id = c.tool_id
    WHERE true
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
