import { describe, expect, it } from 'vitest';
import {
  encodeSegment,
  jsonTwin,
  policyHref,
  restOf,
  searchHref,
  serverHref,
  targetsOf,
  toolHref,
} from '../../site/src/lib/urls.ts';

/** What the site's router sees for a link: the raw path after a prefix, and the query. */
function route(href: string, prefix = '/servers/') {
  const url = new URL(href, 'http://site.test');
  const json = url.pathname.endsWith('.json');
  const rest = restOf(url.pathname, prefix, json);
  return { json, targets: rest === null ? [] : targetsOf(rest, url.searchParams.get('tool')) };
}

describe('server and tool URLs', () => {
  it('keep server ids readable: slashes, @ and : stay as they are', () => {
    expect(serverHref('npm/@modelcontextprotocol/server-memory')).toBe(
      '/servers/npm/@modelcontextprotocol/server-memory',
    );
    expect(serverHref('github:owner/repo/sub', 3)).toBe('/servers/github:owner/repo/sub?page=3');
    expect(toolHref('npm/@a/b', 'read_file')).toBe('/servers/npm/@a/b/tools/read_file');
  });

  it('encode a tool name as one segment, so a slash or markup in it cannot change the path', () => {
    expect(toolHref('s', 'a/b')).toBe('/servers/s/tools/a%2Fb');
    expect(toolHref('s', '<script>')).toBe('/servers/s/tools/%3Cscript%3E');
    expect(encodeSegment('a b?#')).toBe('a%20b%3F%23');
  });

  it('address dot and empty tool names by query, since browsers collapse those segments', () => {
    expect(toolHref('s/x', '..')).toBe('/servers/s/x?tool=..');
    expect(toolHref('s', '')).toBe('/servers/s?tool=');
  });

  it('parse back to the same server and tool, whole id first', () => {
    for (const [id, tool] of [
      ['npm/@modelcontextprotocol/server-memory', 'read_graph'],
      ['github:owner/repo/sub', 'a/b'],
      ['pypi/x', 'naïve tool ✓'],
      ['s/x', '..'],
      ['s', ''],
    ] as const) {
      const { targets } = route(toolHref(id, tool));
      expect(targets).toContainEqual({ kind: 'tool', serverId: id, tool });
      expect(route(serverHref(id)).targets[0]).toEqual({ kind: 'server', serverId: id });
    }
    expect(route('/servers/github:o/r/tools/x').targets).toEqual([
      { kind: 'server', serverId: 'github:o/r/tools/x' },
      { kind: 'tool', serverId: 'github:o/r', tool: 'x' },
    ]);
  });

  it('reject malformed encodings and empty segments', () => {
    expect(targetsOf('a/%E0%A4%A')).toEqual([]);
    expect(targetsOf('a//b')).toEqual([]);
    expect(restOf('/servers/', '/servers/', false)).toBeNull();
    expect(restOf('/servers/x', '/servers/', true)).toBeNull();
  });
});

describe('JSON twins and downloads', () => {
  it('add .json to the path and keep the query', () => {
    expect(jsonTwin('/')).toBe('/index.json');
    expect(jsonTwin('/?page=2')).toBe('/index.json?page=2');
    expect(jsonTwin('/servers/npm/@a/b?page=2')).toBe('/servers/npm/@a/b.json?page=2');
    expect(jsonTwin(searchHref('read file', 2))).toBe('/search.json?q=read+file&page=2');
    const twin = route(jsonTwin(toolHref('npm/@a/b', 'x/y')));
    expect(twin.json).toBe(true);
    expect(twin.targets).toContainEqual({ kind: 'tool', serverId: 'npm/@a/b', tool: 'x/y' });
  });

  it('name policy downloads for a server and for one tool', () => {
    expect(policyHref('npm/@a/b')).toBe('/policy/npm/@a/b.json');
    expect(policyHref('npm/@a/b', 'run')).toBe('/policy/npm/@a/b/tools/run.json');
    expect(policyHref('npm/@a/b', 'run', 'cedar')).toBe('/policy/npm/@a/b/tools/run.json?format=cedar');
    expect(route(policyHref('npm/@a/b', 'a/b'), '/policy/').targets).toContainEqual({
      kind: 'tool',
      serverId: 'npm/@a/b',
      tool: 'a/b',
    });
    expect(route(policyHref('s', '..'), '/policy/').targets).toEqual([
      { kind: 'tool', serverId: 's', tool: '..' },
    ]);
  });
});
