// Response bodies of the fake GitHub, shaped as GitHub's OpenAPI description says (test/integration/
// github-openapi.test.ts validates them against @octokit/openapi): users, repositories, search items, errors.

export interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  /** Head commit of the default branch; undefined for an empty repository. */
  head?: string;
  /** Source tree at the head: path → content. Generated lazily when a function. */
  files: Record<string, string> | (() => Record<string, string>);
  /** Extra commits (tags, other branches) by name → sha, whose tree is the same files. */
  refs?: Record<string, string>;
  archived?: boolean;
  fork?: boolean;
  description?: string | null;
  topics?: string[];
  language?: string | null;
  createdAt?: string;
  /** 'dmca' answers 451 with a DMCA block, 'deleted' 404, 'private' 404 without auth to see it. */
  state?: 'ok' | 'dmca' | 'deleted';
}

const T = '2026-01-01T00:00:00Z';

export function simpleUser(api: string, login: string, id: number) {
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.example/u/${id}`,
    gravatar_id: '',
    url: `${api}/users/${login}`,
    html_url: `https://github.com/${login}`,
    followers_url: `${api}/users/${login}/followers`,
    following_url: `${api}/users/${login}/following{/other_user}`,
    gists_url: `${api}/users/${login}/gists{/gist_id}`,
    starred_url: `${api}/users/${login}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/users/${login}/subscriptions`,
    organizations_url: `${api}/users/${login}/orgs`,
    repos_url: `${api}/users/${login}/repos`,
    events_url: `${api}/users/${login}/events{/privacy}`,
    received_events_url: `${api}/users/${login}/received_events`,
    type: 'User',
    site_admin: false,
  };
}

const URL_TEMPLATES: Record<string, string> = {
  archive_url: '/{archive_format}{/ref}',
  assignees_url: '/assignees{/user}',
  blobs_url: '/git/blobs{/sha}',
  branches_url: '/branches{/branch}',
  collaborators_url: '/collaborators{/collaborator}',
  comments_url: '/comments{/number}',
  commits_url: '/commits{/sha}',
  compare_url: '/compare/{base}...{head}',
  contents_url: '/contents/{+path}',
  contributors_url: '/contributors',
  deployments_url: '/deployments',
  downloads_url: '/downloads',
  events_url: '/events',
  forks_url: '/forks',
  git_commits_url: '/git/commits{/sha}',
  git_refs_url: '/git/refs{/sha}',
  git_tags_url: '/git/tags{/sha}',
  hooks_url: '/hooks',
  issue_comment_url: '/issues/comments{/number}',
  issue_events_url: '/issues/events{/number}',
  issues_url: '/issues{/number}',
  keys_url: '/keys{/key_id}',
  labels_url: '/labels{/name}',
  languages_url: '/languages',
  merges_url: '/merges',
  milestones_url: '/milestones{/number}',
  notifications_url: '/notifications{?since,all,participating}',
  pulls_url: '/pulls{/number}',
  releases_url: '/releases{/id}',
  stargazers_url: '/stargazers',
  statuses_url: '/statuses/{sha}',
  subscribers_url: '/subscribers',
  subscription_url: '/subscription',
  tags_url: '/tags',
  teams_url: '/teams',
  trees_url: '/git/trees{/sha}',
};

export function minimalRepository(api: string, r: FakeRepo) {
  const full = `${r.owner}/${r.name}`;
  const base = `${api}/repos/${full}`;
  const urls = Object.fromEntries(Object.entries(URL_TEMPLATES).map(([k, v]) => [k, base + v]));
  return {
    id: r.id,
    node_id: `R_${r.id}`,
    name: r.name,
    full_name: full,
    owner: simpleUser(api, r.owner, 1000 + (r.id % 100000)),
    private: false,
    html_url: `https://github.com/${full}`,
    description: r.description ?? null,
    fork: r.fork ?? false,
    url: base,
    ...urls,
  };
}

export function fullRepository(api: string, r: FakeRepo) {
  const full = `${r.owner}/${r.name}`;
  return {
    ...minimalRepository(api, r),
    clone_url: `https://github.com/${full}.git`,
    git_url: `git://github.com/${full}.git`,
    ssh_url: `git@github.com:${full}.git`,
    svn_url: `https://github.com/${full}`,
    mirror_url: null,
    homepage: null,
    language: r.language ?? null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 10,
    default_branch: r.defaultBranch,
    open_issues: 0,
    open_issues_count: 0,
    topics: r.topics ?? [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: r.archived ?? false,
    disabled: false,
    visibility: 'public',
    license: null,
    pushed_at: T,
    created_at: r.createdAt ?? T,
    updated_at: T,
    network_count: 0,
    subscribers_count: 0,
  };
}

export function repoSearchItem(api: string, r: FakeRepo) {
  const { network_count: _n, subscribers_count: _s, has_discussions: _d, ...rest } = fullRepository(api, r);
  return { ...rest, score: 1 };
}

export function codeSearchItem(api: string, r: FakeRepo, path: string, sha: string) {
  return {
    name: path.split('/').pop() ?? path,
    path,
    sha,
    url: `${api}/repos/${r.owner}/${r.name}/contents/${path}?ref=${r.head ?? ''}`,
    git_url: `${api}/repos/${r.owner}/${r.name}/git/blobs/${sha}`,
    html_url: `https://github.com/${r.owner}/${r.name}/blob/${r.head ?? ''}/${path}`,
    repository: minimalRepository(api, r),
    score: 1,
  };
}

export const DOCS = 'https://docs.github.com/rest';

export function basicError(message: string, status: number) {
  return { message, documentation_url: DOCS, status: String(status) };
}
