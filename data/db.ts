// Opening the SQLite catalogue: WAL, foreign keys, and numbered migrations applied on open.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export type Db = Database.Database;

export interface OpenOptions {
  /** The site opens the catalogue read-only; it never migrates. */
  readonly?: boolean;
}

export class DatabaseError extends Error {
  override name = 'DatabaseError';
}

/** Migration files `NNN_name.sql`, in order. */
export function listMigrations(): { version: number; name: string; sql: string }[] {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 3)),
      name: f,
      sql: fs.readFileSync(path.join(MIGRATIONS_DIR, f), 'utf8'),
    }));
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (options.readonly && file !== ':memory:' && !fs.existsSync(file)) {
    throw new DatabaseError(`catalogue database ${file} does not exist; run \`mcp-catalog crawl\` first`);
  }
  if (!options.readonly && file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: Db;
  try {
    db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
  } catch (cause) {
    throw new DatabaseError(`cannot open catalogue database ${file}: ${(cause as Error).message}`, { cause });
  }
  try {
    configure(db, file, options);
  } catch (cause) {
    db.close();
    if (cause instanceof DatabaseError) throw cause;
    // A file that is not SQLite at all (or is damaged) fails on its first read, here.
    throw new DatabaseError(`cannot open catalogue database ${file}: ${(cause as Error).message}`, { cause });
  }
  return db;
}

function configure(db: Db, file: string, options: OpenOptions): void {
  db.pragma('busy_timeout = 5000');
  if (options.readonly) {
    db.pragma('query_only = ON');
    const version = db.pragma('user_version', { simple: true }) as number;
    const latest = listMigrations().at(-1)?.version ?? 0;
    if (version < latest) {
      // A reader cannot migrate; say how to bring the file up to date instead of failing on a missing table.
      throw new DatabaseError(
        `catalogue database ${file} has schema version ${version}, this code needs ${latest}; ` +
          'run `mcp-catalog crawl` or `mcp-catalog serve` once to upgrade it',
      );
    }
    return;
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db, file);
}

function migrate(db: Db, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const pending = listMigrations().filter((m) => m.version > current);
  for (const m of pending) {
    try {
      db.transaction(() => {
        db.exec(m.sql);
        db.pragma(`user_version = ${m.version}`);
      })();
    } catch (cause) {
      throw new DatabaseError(`migration ${m.name} failed on ${file}: ${(cause as Error).message}`, {
        cause,
      });
    }
  }
}

/** The migrations an existing catalogue file has not had yet (none for a missing file). */
export function pendingMigrations(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const current = db.pragma('user_version', { simple: true }) as number;
    return listMigrations()
      .filter((m) => m.version > current)
      .map((m) => m.name);
  } finally {
    db.close();
  }
}

/**
 * Bring a catalogue's schema up to date (entry points call this before opening it read-only). `announce`
 * hears which migrations will run before they do: rebuilding an index over 700,000 tools takes minutes.
 */
export function upgradeDatabase(file: string, announce?: (pending: string[]) => void): void {
  if (!fs.existsSync(file)) return;
  let pending: string[] | undefined;
  try {
    pending = pendingMigrations(file);
  } catch {
    // Not readable as a catalogue: opening it below says why, naming the file.
  }
  if (pending?.length === 0) return;
  if (pending) announce?.(pending);
  openDatabase(file).close();
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * The prepared statement for `sql` on `db`, compiled once per connection. Preparing costs more than running
 * most of the catalogue's point queries, so hot paths (page reads, bulk writes) go through this.
 */
export function prepared(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) {
    // Callers pass fixed SQL; the bound only guards against one that builds SQL from its input.
    if (cache.size >= 512) cache.clear();
    cache.set(sql, (stmt = db.prepare(sql)));
  }
  // Shared statements start every use in the default row mode; a caller that wants pluck() asks again.
  if (stmt.reader) stmt.pluck(false);
  return stmt;
}
