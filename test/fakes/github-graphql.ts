// The fake GitHub's GraphQL endpoint. It is not a general GraphQL server: it answers the repository-head
// batches crawler/github/heads.ts sends (aliased `repository(owner:, name:)` lookups with nested aliased
// `object(expression:)` fields, plus `rateLimit`), and rejects any other query with a GraphQL error, so a
// change to the query shape fails loudly. Points are charged as GitHub documents: each connection's
// `first`/`last` requests summed, divided by 100, rounded, minimum 1; plain object lookups need no requests.
import type { FakeRepo } from './github-shapes.ts';

export interface GraphqlContext {
  findRepo(owner: string, name: string): FakeRepo | undefined;
  files(repo: FakeRepo): Record<string, string>;
  treeOid(repo: FakeRepo, path: string): string | undefined;
  remaining(): number;
  resetAt(): string;
}

interface RepoLookup {
  alias: string;
  owner: string;
  name: string;
  objects: { alias: string; expression: string }[];
}

const REPO = /(\w+)\s*:\s*repository\(\s*owner\s*:\s*\$(\w+)\s*,\s*name\s*:\s*\$(\w+)\s*\)/g;
const OBJECT = /(\w+)\s*:\s*object\(\s*expression\s*:\s*\$(\w+)\s*\)/g;

/** Points a query costs: connections' requested nodes / 100, rounded, at least 1. */
export function queryCost(query: string): number {
  let requests = 0;
  for (const m of query.matchAll(/\b(first|last)\s*:\s*(\d+)/g)) requests += Number(m[2]);
  return Math.max(1, Math.round(requests / 100));
}

export function parseHeadsQuery(query: string, variables: Record<string, unknown>): RepoLookup[] | string {
  if (!/^\s*query\b/.test(query)) return 'only queries are supported';
  const matches = [...query.matchAll(REPO)];
  if (matches.length === 0) return 'the fake answers repository lookups only';
  const str = (v: string) => {
    const x = variables[v];
    return typeof x === 'string' ? x : undefined;
  };
  const out: RepoLookup[] = [];
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i]!;
    const end = matches[i + 1]?.index ?? query.length;
    const body = query.slice(m.index, end);
    const owner = str(m[2]!);
    const name = str(m[3]!);
    if (owner === undefined || name === undefined) return `variables $${m[2]} and $${m[3]} must be strings`;
    const objects: RepoLookup['objects'] = [];
    for (const o of body.matchAll(OBJECT)) {
      const expression = str(o[2]!);
      if (expression === undefined) return `variable $${o[2]} must be a string`;
      objects.push({ alias: o[1]!, expression });
    }
    out.push({ alias: m[1]!, owner, name, objects });
  }
  return out;
}

export function answerHeads(ctx: GraphqlContext, lookups: RepoLookup[], query: string, cost: number) {
  const data: Record<string, unknown> = {};
  const errors: unknown[] = [];
  if (/\brateLimit\s*\{/.test(query)) {
    data.rateLimit = {
      cost,
      remaining: ctx.remaining(),
      resetAt: ctx.resetAt(),
      limit: 5000,
      used: 5000 - ctx.remaining(),
    };
  }
  for (const l of lookups) {
    const repo = ctx.findRepo(l.owner, l.name);
    if (!repo || repo.state === 'deleted' || repo.state === 'dmca') {
      data[l.alias] = null;
      errors.push({
        type: 'NOT_FOUND',
        path: [l.alias],
        locations: [{ line: 1, column: 1 }],
        message: `Could not resolve to a Repository with the name '${l.owner}/${l.name}'.`,
      });
      continue;
    }
    const value: Record<string, unknown> = {
      nameWithOwner: `${repo.owner}/${repo.name}`,
      isArchived: repo.archived ?? false,
      isFork: repo.fork ?? false,
      isEmpty: repo.head === undefined,
      defaultBranchRef: repo.head ? { name: repo.defaultBranch, target: { oid: repo.head } } : null,
    };
    for (const o of l.objects) value[o.alias] = resolveExpression(ctx, repo, o.expression);
    data[l.alias] = value;
  }
  return errors.length ? { data, errors } : { data };
}

/** `rev` → the commit; `rev:path` → the tree at path; unknown → null (as GitHub answers). */
function resolveExpression(ctx: GraphqlContext, repo: FakeRepo, expression: string) {
  const colon = expression.indexOf(':');
  const rev = colon === -1 ? expression : expression.slice(0, colon);
  const commit = rev === 'HEAD' || rev === repo.defaultBranch ? repo.head : repo.refs?.[rev];
  if (!commit) return null;
  if (colon === -1) return { oid: commit };
  const oid = ctx.treeOid(repo, expression.slice(colon + 1));
  return oid ? { oid } : null;
}
