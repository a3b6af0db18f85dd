-- Tool names as words in search: `track_fx_move` is indexed as track, fx, move, so a search for "move" finds
-- it by name (the column bm25 weighs most) and not only when its description says so. Migration 001 kept
-- `_` inside tokens, which made each name a single token that only a search for its beginning could match.
-- A query for a whole name still matches: FTS5 reads "track_fx_move" as the phrase track fx move.
DROP TABLE tools_fts;
CREATE VIRTUAL TABLE tools_fts USING fts5(
  name, title, description, server,
  tokenize = "unicode61 remove_diacritics 2",
  prefix = '2 3'
);
INSERT INTO tools_fts (rowid, name, title, description, server)
  SELECT t.id, t.name, coalesce(t.title, ''), t.description, s.name
  FROM tools t JOIN servers s ON s.id = t.server_id;
