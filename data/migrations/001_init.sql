-- Servers, their tools, verdicts per classifier, crawl runs and per-item failures, and FTS5 search.
CREATE TABLE servers (
  pk             INTEGER PRIMARY KEY,  -- stable rowid for the FTS index (VACUUM may renumber implicit ones)
  id             TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL,
  description    TEXT,
  repository_url TEXT,
  homepage_url   TEXT,
  source         TEXT NOT NULL,
  ref_json       TEXT NOT NULL,
  info_json      TEXT,
  tool_count     INTEGER NOT NULL DEFAULT 0,
  first_seen     TEXT NOT NULL,
  last_crawled   TEXT,
  last_status    TEXT,
  last_error     TEXT
);

CREATE TABLE tools (
  id            INTEGER PRIMARY KEY,
  server_id     TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  position      INTEGER NOT NULL,
  title         TEXT,
  description   TEXT NOT NULL DEFAULT '',
  definition    TEXT NOT NULL,
  def_hash      TEXT NOT NULL,
  source_path   TEXT,
  source_line   INTEGER,
  truncated     TEXT,
  first_seen    TEXT NOT NULL,
  last_seen     TEXT NOT NULL,
  UNIQUE (server_id, name)
);
CREATE INDEX tools_server_position ON tools(server_id, position);

-- Every distinct definition a tool has had, for change detection and history.
CREATE TABLE tool_history (
  tool_id     INTEGER NOT NULL REFERENCES tools(id) ON DELETE CASCADE,
  def_hash    TEXT NOT NULL,
  definition  TEXT NOT NULL,
  category    TEXT,
  risk        TEXT,
  seen_at     TEXT NOT NULL,
  PRIMARY KEY (tool_id, def_hash)
);

CREATE TABLE verdicts (
  tool_id            INTEGER NOT NULL REFERENCES tools(id) ON DELETE CASCADE,
  classifier         TEXT NOT NULL,
  classifier_version TEXT NOT NULL,
  def_hash           TEXT NOT NULL,
  category           TEXT NOT NULL,
  risk               TEXT NOT NULL,
  confidence         REAL NOT NULL,
  verdict            TEXT NOT NULL,
  created_at         TEXT NOT NULL,
  PRIMARY KEY (tool_id, classifier)
);
CREATE INDEX verdicts_category_risk ON verdicts(category, risk);

CREATE TABLE crawl_runs (
  id          INTEGER PRIMARY KEY,
  source      TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  status      TEXT NOT NULL DEFAULT 'running',
  stats       TEXT
);

CREATE TABLE crawl_failures (
  id        INTEGER PRIMARY KEY,
  run_id    INTEGER REFERENCES crawl_runs(id) ON DELETE CASCADE,
  server_id TEXT NOT NULL,
  kind      TEXT NOT NULL,
  reason    TEXT NOT NULL,
  at        TEXT NOT NULL
);
CREATE INDEX crawl_failures_server ON crawl_failures(server_id);

-- Full-text search. Kept in step by triggers so no writer can forget it.
CREATE VIRTUAL TABLE tools_fts USING fts5(
  name, title, description, server,
  tokenize = "unicode61 remove_diacritics 2 tokenchars '_'",
  prefix = '2 3'
);
CREATE VIRTUAL TABLE servers_fts USING fts5(
  id, name, description,
  tokenize = "unicode61 remove_diacritics 2",
  prefix = '2 3'
);

CREATE TRIGGER tools_ai AFTER INSERT ON tools BEGIN
  INSERT INTO tools_fts(rowid, name, title, description, server)
  VALUES (new.id, new.name, coalesce(new.title, ''), new.description,
          (SELECT name FROM servers WHERE id = new.server_id));
END;
CREATE TRIGGER tools_au AFTER UPDATE OF name, title, description ON tools BEGIN
  UPDATE tools_fts SET name = new.name, title = coalesce(new.title, ''), description = new.description
  WHERE rowid = new.id;
END;
CREATE TRIGGER tools_ad AFTER DELETE ON tools BEGIN
  DELETE FROM tools_fts WHERE rowid = old.id;
END;

CREATE TRIGGER servers_ai AFTER INSERT ON servers BEGIN
  INSERT INTO servers_fts(rowid, id, name, description) VALUES (new.pk, new.id, new.name, coalesce(new.description, ''));
END;
CREATE TRIGGER servers_au AFTER UPDATE OF name, description ON servers BEGIN
  UPDATE servers_fts SET name = new.name, description = coalesce(new.description, '') WHERE rowid = new.pk;
  UPDATE tools_fts SET server = new.name WHERE rowid IN (SELECT id FROM tools WHERE server_id = new.id);
END;
CREATE TRIGGER servers_ad AFTER DELETE ON servers BEGIN
  DELETE FROM servers_fts WHERE rowid = old.pk;
END;
