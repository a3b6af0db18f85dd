-- What the site needs to stay fast at 700,000 tools: each tool's current verdict (the newest stored, as the
-- pages show it) in a narrow table, and per-server and catalogue-wide counts by category and risk, all kept
-- in step by triggers so no writer can forget them.
--
-- tool_facets holds one row per tool that has a verdict: category, risk (1 low .. 4 critical), and flags
-- and tags as " kind kind " (each once, so a filter can match " kind " exactly), from the newest verdict
-- (created_at, then rowid), the same one data/queries.ts CURRENT_VERDICT picks.
CREATE TABLE tool_facets (
  tool_id   INTEGER PRIMARY KEY REFERENCES tools(id) ON DELETE CASCADE,
  server_id TEXT NOT NULL,
  category  TEXT NOT NULL,
  risk      INTEGER NOT NULL,
  flags     TEXT NOT NULL,
  tags      TEXT NOT NULL
);
-- Browse by category / risk walks these in id order (keyset pagination).
CREATE INDEX tool_facets_category ON tool_facets(category, tool_id);
CREATE INDEX tool_facets_risk ON tool_facets(risk, tool_id);

-- Counts of a server's classified tools by (category, risk), and the same over the whole catalogue.
CREATE TABLE server_counts (
  server_id TEXT NOT NULL,
  category  TEXT NOT NULL,
  risk      INTEGER NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (server_id, category, risk)
) WITHOUT ROWID;
CREATE TABLE catalog_counts (
  category TEXT NOT NULL,
  risk     INTEGER NOT NULL,
  n        INTEGER NOT NULL,
  PRIMARY KEY (category, risk)
) WITHOUT ROWID;

-- The home page lists servers by name.
CREATE INDEX servers_name ON servers(name COLLATE NOCASE, id);

-- Backfill what an existing catalogue already holds.
INSERT INTO tool_facets (tool_id, server_id, category, risk, flags, tags)
  SELECT t.id, t.server_id, v.category,
    CASE v.risk WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'critical' THEN 4 ELSE 0 END,
    coalesce((SELECT ' ' || replace(group_concat(DISTINCT json_extract(f.value, '$.kind')), ',', ' ') || ' '
              FROM json_each(v.verdict, '$.flags') f), ''),
    coalesce((SELECT ' ' || replace(group_concat(DISTINCT g.value), ',', ' ') || ' '
              FROM json_each(v.verdict, '$.tags') g), '')
  FROM tools t JOIN verdicts v ON v.rowid = (
    SELECT rowid FROM verdicts WHERE tool_id = t.id ORDER BY created_at DESC, rowid DESC LIMIT 1);
INSERT INTO server_counts (server_id, category, risk, n)
  SELECT server_id, category, risk, count(*) FROM tool_facets GROUP BY 1, 2, 3;
INSERT INTO catalog_counts (category, risk, n)
  SELECT category, risk, count(*) FROM tool_facets GROUP BY 1, 2;

-- A verdict stored, replaced or removed: the tool's facets follow its newest verdict.
CREATE TRIGGER verdicts_facets_ai AFTER INSERT ON verdicts BEGIN
  INSERT INTO tool_facets (tool_id, server_id, category, risk, flags, tags)
    SELECT c.tool_id, (SELECT server_id FROM tools WHERE id = c.tool_id), c.category,
      CASE c.risk WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'critical' THEN 4 ELSE 0 END,
      coalesce((SELECT ' ' || replace(group_concat(DISTINCT json_extract(f.value, '$.kind')), ',', ' ') || ' '
                FROM json_each(c.verdict, '$.flags') f), ''),
      coalesce((SELECT ' ' || replace(group_concat(DISTINCT g.value), ',', ' ') || ' '
                FROM json_each(c.verdict, '$.tags') g), '')
    FROM (SELECT tool_id, category, risk, verdict FROM verdicts WHERE tool_id = new.tool_id
          ORDER BY created_at DESC, rowid DESC LIMIT 1) AS c
    WHERE EXISTS (SELECT 1 FROM tools WHERE id = c.tool_id)
    ON CONFLICT (tool_id) DO UPDATE SET category = excluded.category, risk = excluded.risk,
      flags = excluded.flags, tags = excluded.tags;
END;
CREATE TRIGGER verdicts_facets_au AFTER UPDATE ON verdicts BEGIN
  INSERT INTO tool_facets (tool_id, server_id, category, risk, flags, tags)
    SELECT c.tool_id, (SELECT server_id FROM tools WHERE id = c.tool_id), c.category,
      CASE c.risk WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'critical' THEN 4 ELSE 0 END,
      coalesce((SELECT ' ' || replace(group_concat(DISTINCT json_extract(f.value, '$.kind')), ',', ' ') || ' '
                FROM json_each(c.verdict, '$.flags') f), ''),
      coalesce((SELECT ' ' || replace(group_concat(DISTINCT g.value), ',', ' ') || ' '
                FROM json_each(c.verdict, '$.tags') g), '')
    FROM (SELECT tool_id, category, risk, verdict FROM verdicts WHERE tool_id = new.tool_id
          ORDER BY created_at DESC, rowid DESC LIMIT 1) AS c
    WHERE EXISTS (SELECT 1 FROM tools WHERE id = c.tool_id)
    ON CONFLICT (tool_id) DO UPDATE SET category = excluded.category, risk = excluded.risk,
      flags = excluded.flags, tags = excluded.tags;
END;
CREATE TRIGGER verdicts_facets_ad AFTER DELETE ON verdicts
  WHEN NOT EXISTS (SELECT 1 FROM verdicts WHERE tool_id = old.tool_id) BEGIN
  DELETE FROM tool_facets WHERE tool_id = old.tool_id;
END;
CREATE TRIGGER verdicts_facets_ad2 AFTER DELETE ON verdicts
  WHEN EXISTS (SELECT 1 FROM verdicts WHERE tool_id = old.tool_id) BEGIN
  INSERT INTO tool_facets (tool_id, server_id, category, risk, flags, tags)
    SELECT c.tool_id, (SELECT server_id FROM tools WHERE id = c.tool_id), c.category,
      CASE c.risk WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'critical' THEN 4 ELSE 0 END,
      coalesce((SELECT ' ' || replace(group_concat(DISTINCT json_extract(f.value, '$.kind')), ',', ' ') || ' '
                FROM json_each(c.verdict, '$.flags') f), ''),
      coalesce((SELECT ' ' || replace(group_concat(DISTINCT g.value), ',', ' ') || ' '
                FROM json_each(c.verdict, '$.tags') g), '')
    FROM (SELECT tool_id, category, risk, verdict FROM verdicts WHERE tool_id = old.tool_id
          ORDER BY created_at DESC, rowid DESC LIMIT 1) AS c
    WHERE EXISTS (SELECT 1 FROM tools WHERE id = c.tool_id)
    ON CONFLICT (tool_id) DO UPDATE SET category = excluded.category, risk = excluded.risk,
      flags = excluded.flags, tags = excluded.tags;
END;

-- Counts follow the facet rows.
CREATE TRIGGER tool_facets_ai AFTER INSERT ON tool_facets BEGIN
  INSERT INTO server_counts (server_id, category, risk, n) VALUES (new.server_id, new.category, new.risk, 1)
    ON CONFLICT (server_id, category, risk) DO UPDATE SET n = n + 1;
  INSERT INTO catalog_counts (category, risk, n) VALUES (new.category, new.risk, 1)
    ON CONFLICT (category, risk) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tool_facets_ad AFTER DELETE ON tool_facets BEGIN
  UPDATE server_counts SET n = n - 1
    WHERE server_id = old.server_id AND category = old.category AND risk = old.risk;
  UPDATE catalog_counts SET n = n - 1 WHERE category = old.category AND risk = old.risk;
END;
CREATE TRIGGER tool_facets_au AFTER UPDATE OF category, risk ON tool_facets
  WHEN old.category <> new.category OR old.risk <> new.risk BEGIN
  UPDATE server_counts SET n = n - 1
    WHERE server_id = old.server_id AND category = old.category AND risk = old.risk;
  INSERT INTO server_counts (server_id, category, risk, n) VALUES (new.server_id, new.category, new.risk, 1)
    ON CONFLICT (server_id, category, risk) DO UPDATE SET n = n + 1;
  UPDATE catalog_counts SET n = n - 1 WHERE category = old.category AND risk = old.risk;
  INSERT INTO catalog_counts (category, risk, n) VALUES (new.category, new.risk, 1)
    ON CONFLICT (category, risk) DO UPDATE SET n = n + 1;
END;
-- A tool deleted: its facets go too (the writer has foreign keys on; this covers one that does not).
CREATE TRIGGER tools_facets_ad AFTER DELETE ON tools BEGIN
  DELETE FROM tool_facets WHERE tool_id = old.id;
END;
CREATE TRIGGER servers_counts_ad AFTER DELETE ON servers BEGIN
  DELETE FROM server_counts WHERE server_id = old.id;
END;
