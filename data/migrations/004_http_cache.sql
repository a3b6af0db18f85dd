-- Conditional-request cache for the crawler's HTTP clients (GitHub REST, registries): the ETag or
-- Last-Modified a response carried and its body, so a 304 answer (free on GitHub) can be served from here.
CREATE TABLE http_cache (
  key            TEXT PRIMARY KEY,   -- method, URL and Accept header
  etag           TEXT,
  last_modified  TEXT,
  body           TEXT NOT NULL,      -- the parsed JSON body, re-serialized
  stored_at      TEXT NOT NULL
);

-- The source version (commit, subfolder tree id or package version) last processed per server, so an
-- unchanged repository costs no download. Written by the pipeline after a tree was extracted and stored.
CREATE TABLE source_versions (
  server_id   TEXT PRIMARY KEY,
  version     TEXT NOT NULL,
  commit_sha  TEXT,
  checked_at  TEXT NOT NULL
);
