// The fake GitHub's REST answers checked against GitHub's published OpenAPI description (@octokit/openapi):
// the response schema each documented path/method/status declares must accept what the fake sends.
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github.ts';

const require = createRequire(import.meta.url);
type Doc = {
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }> }
    >
  >;
  components: { responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
};
const doc = require('@octokit/openapi/generated/api.github.com.json') as Doc;

const ajv = new Ajv({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
ajv.addSchema(doc as object, 'gh');

/** The JSON schema GitHub documents for a response, with `#/…` refs pointed into the added document. */
function schemaFor(path: string, method: string, status: number, type = 'application/json') {
  let res = doc.paths[path]?.[method]?.responses[String(status)];
  if (res?.$ref) res = doc.components.responses[res.$ref.split('/').pop() ?? ''];
  const schema = res?.content?.[type]?.schema;
  if (!schema)
    throw new Error(`OpenAPI documents no ${type} body for ${method.toUpperCase()} ${path} ${status}`);
  return JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"gh#/components/')) as object;
}

function check(path: string, method: string, status: number, body: unknown, type?: string) {
  const validate = ajv.compile(schemaFor(path, method, status, type));
  const ok = validate(body);
  expect(ok, JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
}

let gh: FakeGitHub;
beforeAll(async () => {
  gh = await startFakeGitHub({ limits: { core: 1000 } });
  gh.addRepo({
    owner: 'acme',
    name: 'weather',
    topics: ['mcp-server'],
    language: 'TypeScript',
    files: { 'src/index.ts': "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';" },
  });
  gh.addRepo({ owner: 'acme', name: 'old', files: {} });
  gh.rename('acme/old', 'acme', 'new');
});
afterAll(() => gh.close());

const get = (p: string, headers: Record<string, string> = {}) =>
  fetch(`${gh.url}${p}`, { headers: { authorization: 'token t', ...headers }, redirect: 'manual' });

describe('fake GitHub answers as the OpenAPI description says', () => {
  it('GET /repos/{owner}/{repo}: 200 full-repository, 301 moved, 404 not found', async () => {
    const ok = await get('/repos/acme/weather');
    expect(ok.headers.get('x-ratelimit-resource')).toBe('core');
    expect(ok.headers.get('etag')).toMatch(/^W\/"/);
    const repo = (await ok.json()) as Record<string, unknown>;
    check('/repos/{owner}/{repo}', 'get', 200, repo);
    // The check has teeth: a repository without its owner does not pass.
    expect(ajv.validate(schemaFor('/repos/{owner}/{repo}', 'get', 200), { ...repo, owner: undefined })).toBe(
      false,
    );
    const moved = await get('/repos/acme/old');
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toMatch(/\/repositories\/\d+$/);
    check('/repos/{owner}/{repo}', 'get', 301, await moved.json());
    const missing = await get('/repos/acme/nothing');
    expect(missing.status).toBe(404);
    check('/repos/{owner}/{repo}', 'get', 404, await missing.json());
  });

  it('GET tarball: 302 to a codeload URL; git trees; commits with the sha media type: a bare sha', async () => {
    const t = await get('/repos/acme/weather/tarball/main');
    expect(t.status).toBe(302);
    expect(doc.paths['/repos/{owner}/{repo}/tarball/{ref}']?.get?.responses['302']).toBeDefined();
    expect(t.headers.get('location')).toContain('/legacy.tar.gz/');
    const tree = await get('/repos/acme/weather/git/trees/main?recursive=1');
    const treeBody = (await tree.json()) as { tree: { path: string }[] };
    expect(treeBody.tree.map((e) => e.path)).toEqual(['src', 'src/index.ts']);
    check('/repos/{owner}/{repo}/git/trees/{tree_sha}', 'get', 200, treeBody);
    const sha = await get('/repos/acme/weather/commits/main', { accept: 'application/vnd.github.sha' });
    check('/repos/{owner}/{repo}/commits/{ref}', 'get', 200, await sha.text(), 'application/vnd.github.sha');
  });

  it('search: repositories and code result pages', async () => {
    const repos = await get('/search/repositories?q=topic:mcp-server&per_page=10');
    check('/search/repositories', 'get', 200, await repos.json());
    const code = await get('/search/code?q=%22%40modelcontextprotocol%2Fsdk%22+language:TypeScript');
    const body = (await code.json()) as { total_count: number };
    expect(body.total_count).toBe(1);
    check('/search/code', 'get', 200, body);
    const capped = await get('/search/repositories?q=mcp&per_page=100&page=11');
    expect(capped.status).toBe(422);
    check('/search/repositories', 'get', 422, await capped.json());
  });

  it('rate limits: GET /rate_limit overview, and the 403 a spent budget gets', async () => {
    check('/rate_limit', 'get', 200, await (await get('/rate_limit')).json());
    const small = await startFakeGitHub({ limits: { core: 0 } });
    try {
      const res = await fetch(`${small.url}/repos/acme/x`);
      expect(res.status).toBe(403);
      expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
      check('/repos/{owner}/{repo}', 'get', 403, await res.json());
    } finally {
      await small.close();
    }
  });
});
