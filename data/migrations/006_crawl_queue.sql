-- The persistent crawl queue (issue 5): one item per server with its state, attempts, next-try time and
-- last error, so a crawl of 43,000 servers survives being killed. A pass is one sweep of a source (or a
-- set of sources): an unfinished pass is resumed by the next `crawl` of the same sources, a finished one
-- starts a new pass that re-checks everything (unchanged sources cost nothing thanks to source_versions).
CREATE TABLE crawl_passes (
  id           INTEGER PRIMARY KEY,
  source       TEXT NOT NULL,        -- e.g. `seed` or `registry,seed` (sorted)
  started_at   TEXT NOT NULL,
  finished_at  TEXT                  -- NULL while the pass still has work
);
CREATE INDEX crawl_passes_open ON crawl_passes(source, finished_at);

CREATE TABLE crawl_queue (
  server_id    TEXT PRIMARY KEY,
  pass_id      INTEGER NOT NULL REFERENCES crawl_passes(id),
  source       TEXT NOT NULL,        -- the discovery source that enqueued it
  ref_json     TEXT NOT NULL,        -- the ServerRef
  needs_github INTEGER NOT NULL DEFAULT 0,  -- only GitHub can fetch it (no npm/PyPI package)
  state        TEXT NOT NULL DEFAULT 'pending'
               CHECK (state IN ('pending', 'running', 'done', 'failed', 'gone')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_try_at  TEXT NOT NULL,        -- ISO time; pending items wait until then (backoff, rate limits)
  last_error   TEXT,
  last_kind    TEXT,                 -- failure kind or gone reason, for the summary's grouping
  run_id       INTEGER,              -- the crawl run that holds (or last held) it
  toolset_hash TEXT,                 -- hash of the tool set it stored last, to spot forks that add nothing
  enqueued_at  TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE INDEX crawl_queue_claim ON crawl_queue(pass_id, state, next_try_at);
CREATE INDEX crawl_queue_running ON crawl_queue(run_id) WHERE state = 'running';
CREATE INDEX crawl_queue_toolset ON crawl_queue(toolset_hash) WHERE toolset_hash IS NOT NULL;

-- Which process runs a crawl run, so a later crawl can tell a live run from a dead one (kill -9) and take
-- back the items the dead one held.
CREATE TABLE crawl_workers (
  run_id       INTEGER PRIMARY KEY REFERENCES crawl_runs(id) ON DELETE CASCADE,
  pid          INTEGER NOT NULL,
  host         TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL
);
