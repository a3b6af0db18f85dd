// The crawler's conditional-request cache (ETag / Last-Modified + body per request key) and the per-server
// source versions, both in SQLite (migration 004). The only SQL the fetchers need, kept here.
import type { Db } from './db.ts';

export interface CachedResponse {
  etag: string | null;
  lastModified: string | null;
  body: unknown;
  storedAt: string;
}

/** Where the GitHub client keeps validators; an in-memory map satisfies it in tests and benchmarks. */
export interface ConditionalCache {
  get(key: string): CachedResponse | undefined;
  put(key: string, entry: Omit<CachedResponse, 'storedAt'>): void;
}

export interface SourceVersion {
  version: string;
  commit: string | null;
  checkedAt: string;
}

export class HttpCache implements ConditionalCache {
  private readonly getStmt;
  private readonly putStmt;
  private readonly getVersionStmt;
  private readonly putVersionStmt;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.getStmt = db.prepare<
      [string],
      { etag: string | null; last_modified: string | null; body: string; stored_at: string }
    >('SELECT etag, last_modified, body, stored_at FROM http_cache WHERE key = ?');
    this.putStmt = db.prepare(
      `INSERT INTO http_cache (key, etag, last_modified, body, stored_at) VALUES (@key, @etag, @lastModified, @body, @storedAt)
       ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
         body = excluded.body, stored_at = excluded.stored_at`,
    );
    this.getVersionStmt = db.prepare<
      [string],
      { version: string; commit_sha: string | null; checked_at: string }
    >('SELECT version, commit_sha, checked_at FROM source_versions WHERE server_id = ?');
    this.putVersionStmt = db.prepare(
      `INSERT INTO source_versions (server_id, version, commit_sha, checked_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(server_id) DO UPDATE SET version = excluded.version, commit_sha = excluded.commit_sha,
         checked_at = excluded.checked_at`,
    );
  }

  get(key: string): CachedResponse | undefined {
    const row = this.getStmt.get(key);
    if (!row) return undefined;
    return {
      etag: row.etag,
      lastModified: row.last_modified,
      body: JSON.parse(row.body) as unknown,
      storedAt: row.stored_at,
    };
  }

  put(key: string, entry: Omit<CachedResponse, 'storedAt'>): void {
    this.putStmt.run({
      key,
      etag: entry.etag,
      lastModified: entry.lastModified,
      body: JSON.stringify(entry.body ?? null),
      storedAt: this.now().toISOString(),
    });
  }

  /** Drop validators older than `before` (ISO time); returns how many went. */
  prune(before: string): number {
    return this.db.prepare('DELETE FROM http_cache WHERE stored_at < ?').run(before).changes;
  }

  getVersion(serverId: string): SourceVersion | undefined {
    const row = this.getVersionStmt.get(serverId);
    return row ? { version: row.version, commit: row.commit_sha, checkedAt: row.checked_at } : undefined;
  }

  /** Record the version a server's tree was processed at; call once its tools are stored. */
  setVersion(serverId: string, version: string, commit?: string): void {
    this.putVersionStmt.run(serverId, version, commit ?? null, this.now().toISOString());
  }
}

/** An in-memory ConditionalCache (tests, benchmarks, one-off scans). */
export class MemoryCache implements ConditionalCache {
  private readonly map = new Map<string, CachedResponse>();
  get(key: string) {
    return this.map.get(key);
  }
  put(key: string, entry: Omit<CachedResponse, 'storedAt'>) {
    this.map.set(key, { ...entry, storedAt: new Date().toISOString() });
  }
}
