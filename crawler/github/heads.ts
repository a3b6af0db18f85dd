// Learning many repositories' heads in one GraphQL query: up to `batchSize` (100) repositories per query,
// each with its default-branch head commit, archived/fork/empty flags and, for monorepo subfolders, the
// subfolder's tree id (so a push elsewhere in the repo does not count as a change). A query without
// connections costs GitHub 1 point however many repositories it names: 0.01 points per repository.
// Lookups made close together are batched automatically (DataLoader-style); `prefetch` batches a list.
import type { GitHubClient } from './client.ts';

export interface HeadTarget {
  owner: string;
  repo: string;
  /** A branch or tag other than the default branch; `HEAD`, `main` and `master` mean the default. */
  ref?: string;
  subdir?: string;
}

export interface RepoHead {
  /** Canonical `owner/name` (differs from the target after a rename or transfer). */
  nameWithOwner: string;
  archived: boolean;
  fork: boolean;
  empty: boolean;
  defaultBranch?: string;
  /** Commit of the requested ref, or of the default branch when the ref is gone or not given. */
  commit?: string;
  /** True when an explicit ref was asked for but no longer exists (the default branch was used). */
  refMissing?: boolean;
  /** Tree id of the subfolder at that commit; null when the subfolder does not exist there. */
  subdirOid?: string | null;
}

export type HeadLookup = { found: true; head: RepoHead } | { found: false; message: string };

const DEFAULT_REFS = new Set(['HEAD', 'main', 'master']);

export function targetKey(t: HeadTarget): string {
  const ref = t.ref && !DEFAULT_REFS.has(t.ref) ? t.ref : '';
  return `${t.owner}/${t.repo}`.toLowerCase() + `@${ref}:${t.subdir ?? ''}`;
}

interface Pending {
  key: string;
  target: HeadTarget;
  resolve: (v: HeadLookup) => void;
  reject: (e: unknown) => void;
}

interface GraphqlBody {
  data?: Record<string, unknown> | null;
  errors?: { type?: string; path?: (string | number)[]; message: string }[];
}

type Obj = { oid?: string; target?: { oid?: string } } | null | undefined;

interface Entry {
  promise: Promise<HeadLookup>;
  settled: boolean;
  settledAt?: number;
  /** Prefetched results not yet taken by a fetch; each fetch takes one, so duplicates share a lookup. */
  unclaimed: number;
}

export class HeadResolver {
  private readonly entries = new Map<string, Entry>();
  private pending: Pending[] = [];
  private scheduled = false;
  /** GraphQL queries sent, for accounting. */
  queries = 0;

  constructor(
    private readonly client: GitHubClient,
    private readonly batchSize = 100,
    /** A prefetched head older than this is looked up again rather than trusted. */
    private readonly maxAgeMs = 10 * 60_000,
  ) {}

  private fresh(e: Entry): boolean {
    return !e.settled || Date.now() - (e.settledAt ?? 0) <= this.maxAgeMs;
  }

  /**
   * The head for one target, for immediate use. A prefetched result is taken once; a lookup still in flight
   * is shared; otherwise a fresh lookup is queued (lookups queued in the same tick share a query).
   */
  resolve(target: HeadTarget): Promise<HeadLookup> {
    const key = targetKey(target);
    const e = this.entries.get(key);
    if (e && (e.unclaimed > 0 || !e.settled) && this.fresh(e)) {
      if (e.unclaimed > 0) this.release(key, e);
      return e.promise;
    }
    return this.lookup(key, target).promise;
  }

  /** Resolve many targets in full batches; each result waits for one `resolve` of the same target. */
  async prefetch(targets: HeadTarget[]): Promise<void> {
    const promises: Promise<unknown>[] = [];
    for (const t of targets) {
      const key = targetKey(t);
      let e = this.entries.get(key);
      if (!e || (e.settled && (e.unclaimed === 0 || !this.fresh(e)))) e = this.lookup(key, t);
      e.unclaimed++;
      promises.push(e.promise.catch(() => undefined));
    }
    await this.flush();
    await Promise.all(promises);
  }

  private release(key: string, e: Entry) {
    e.unclaimed--;
    if (e.unclaimed === 0 && e.settled && this.entries.get(key) === e) this.entries.delete(key);
  }

  private lookup(key: string, target: HeadTarget): Entry {
    const entry: Entry = {
      settled: false,
      unclaimed: 0,
      promise: undefined as unknown as Promise<HeadLookup>,
    };
    entry.promise = new Promise<HeadLookup>((resolve, reject) =>
      this.pending.push({ key, target, resolve, reject }),
    );
    const settle = () => {
      entry.settled = true;
      entry.settledAt = Date.now();
      if (entry.unclaimed === 0 && this.entries.get(key) === entry) this.entries.delete(key);
    };
    entry.promise.then(settle, settle);
    this.entries.set(key, entry);
    if (this.pending.length >= this.batchSize) void this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
    return entry;
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    while (this.pending.length) {
      await this.queryOrSplit(this.pending.splice(0, this.batchSize));
    }
  }

  /**
   * A batch whose query keeps failing (GitHub times out big queries with a 502 or "Something went wrong")
   * is split in halves and retried, down to single repositories, so one bad name fails alone.
   */
  private async queryOrSplit(batch: Pending[]): Promise<void> {
    try {
      await this.query(batch);
    } catch (error) {
      const status = (error as { status?: number }).status ?? 0;
      // Not for rate limits (smaller queries would only spend more) or auth failures.
      const splittable =
        batch.length > 1 && (status >= 500 || /GraphQL lookup of \d+ repositories/.test(String(error)));
      if (!splittable) {
        for (const p of batch) p.reject(error);
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await this.queryOrSplit(batch.slice(0, half));
      await this.queryOrSplit(batch.slice(half));
    }
  }

  private async query(batch: Pending[]): Promise<void> {
    const repos = new Map<string, { owner: string; repo: string; items: { p: Pending; objs: string[] }[] }>();
    for (const p of batch) {
      const k = `${p.target.owner}/${p.target.repo}`.toLowerCase();
      let r = repos.get(k);
      if (!r) repos.set(k, (r = { owner: p.target.owner, repo: p.target.repo, items: [] }));
      r.items.push({ p, objs: [] });
    }
    const vars: Record<string, string> = {};
    const decls: string[] = [];
    const fields: string[] = [];
    let ri = 0;
    for (const r of repos.values()) {
      vars[`o${ri}`] = r.owner;
      vars[`n${ri}`] = r.repo;
      decls.push(`$o${ri}: String!`, `$n${ri}: String!`);
      const objects: string[] = [];
      r.items.forEach((item, ii) => {
        const t = item.p.target;
        const ref = t.ref && !DEFAULT_REFS.has(t.ref) ? t.ref : undefined;
        const add = (name: string, expression: string, commit: boolean) => {
          const v = `e${ri}_${ii}_${name}`;
          vars[v] = expression;
          decls.push(`$${v}: String!`);
          objects.push(
            `${v}: object(expression: $${v}) { oid${commit ? ' ... on Tag { target { oid } }' : ''} }`,
          );
          item.objs.push(v);
        };
        if (ref) add('c', ref, true);
        if (t.subdir && ref) add('s', `${ref}:${t.subdir}`, false);
        if (t.subdir) add('h', `HEAD:${t.subdir}`, false);
      });
      fields.push(
        `r${ri}: repository(owner: $o${ri}, name: $n${ri}) { nameWithOwner isArchived isFork isEmpty ` +
          `defaultBranchRef { name target { oid } } ${objects.join(' ')} }`,
      );
      ri++;
    }
    const query = `query Heads(${decls.join(', ')}) { rateLimit { cost remaining resetAt } ${fields.join(' ')} }`;
    this.queries++;
    const res = await this.client.request('POST /graphql', { query, variables: vars });
    const body = res.data as GraphqlBody;
    if (!body.data) {
      throw new Error(
        `GraphQL lookup of ${batch.length} repositories failed: ${body.errors?.[0]?.message ?? 'no data'}`,
      );
    }
    const data = body.data ?? {};
    const errorFor = (alias: string) => body.errors?.find((e) => e.path?.[0] === alias);
    ri = 0;
    for (const r of repos.values()) {
      const alias = `r${ri++}`;
      const value = data[alias] as Record<string, unknown> | null | undefined;
      const err = errorFor(alias);
      if (!value) {
        if (err?.type === 'NOT_FOUND' || (body.data && !err)) {
          for (const { p } of r.items) p.resolve({ found: false, message: err?.message ?? 'not found' });
        } else {
          const message = err?.message ?? body.errors?.[0]?.message ?? 'no data';
          for (const { p } of r.items)
            p.reject(new Error(`GraphQL lookup of ${r.owner}/${r.repo} failed: ${message}`));
        }
        continue;
      }
      const branch = value.defaultBranchRef as { name?: string; target?: { oid?: string } } | null;
      for (const { p, objs } of r.items) {
        const get = (suffix: string) => {
          const name = objs.find((o) => o.endsWith(`_${suffix}`));
          return name === undefined ? undefined : (value[name] as Obj);
        };
        const explicit = get('c');
        const refCommit = explicit ? (explicit.target?.oid ?? explicit.oid) : undefined;
        const refMissing = objs.some((o) => o.endsWith('_c')) && !refCommit;
        const sub = refCommit ? get('s') : get('h');
        p.resolve({
          found: true,
          head: {
            nameWithOwner: String(value.nameWithOwner ?? `${r.owner}/${r.repo}`),
            archived: value.isArchived === true,
            fork: value.isFork === true,
            empty: value.isEmpty === true || !branch,
            ...(branch?.name ? { defaultBranch: branch.name } : {}),
            ...((refCommit ?? branch?.target?.oid) ? { commit: refCommit ?? branch?.target?.oid } : {}),
            ...(refMissing ? { refMissing } : {}),
            ...(p.target.subdir ? { subdirOid: sub?.oid ?? null } : {}),
          },
        });
      }
    }
  }
}
