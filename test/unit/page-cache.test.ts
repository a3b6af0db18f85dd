// The rendered-page cache on its own: what it keeps, when it renders, and when it forgets. Renders here are
// plain functions writing into the response the cache hands them, as the Astro adapter does.
import http from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { capture, isCacheable, isPage, PageCache, type RenderInto } from '../../site/page-cache.ts';

function request(url: string, headers: Record<string, string> = {}): http.IncomingMessage {
  const req = new http.IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = url;
  req.headers = headers;
  return req;
}

/** A render that answers `status` with an HTML body naming the URL and how many renders happened. */
function counter(status = 200, extra: Record<string, string> = {}) {
  const state = { renders: 0 };
  const render: RenderInto = async (req, res) => {
    state.renders++;
    await new Promise((r) => setTimeout(r, 5));
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', ...extra });
    res.write(`<p>${req.url} `);
    res.end(`render ${state.renders}</p>`);
  };
  return { state, render };
}

describe('PageCache', () => {
  it('renders a page once and answers the same URL from memory after', async () => {
    const cache = new PageCache({ maxBytes: 1 << 20, version: () => 1 });
    const { state, render } = counter();
    const first = await cache.get('k /a', request('/a'), render);
    const second = await cache.get('k /a', request('/a'), render);
    expect(state.renders).toBe(1);
    expect(isPage(second)).toBe(true);
    expect(second.body.toString()).toBe('<p>/a render 1</p>');
    expect(second).toBe(first);
    expect(cache.snapshot()).toMatchObject({ hits: 1, misses: 1, entries: 1 });
  });

  it('renders once for clients that ask for the same page while it renders', async () => {
    const cache = new PageCache({ maxBytes: 1 << 20, version: () => 1 });
    const { state, render } = counter();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => cache.get('k /b', request('/b'), render)),
    );
    expect(state.renders).toBe(1);
    expect(new Set(answers.map((a) => a.body.toString()))).toEqual(new Set(['<p>/b render 1</p>']));
  });

  it('forgets everything when the catalogue version moves', async () => {
    let version = 7;
    const cache = new PageCache({ maxBytes: 1 << 20, version: () => version });
    const { state, render } = counter();
    await cache.get('k /c', request('/c'), render);
    version = 8;
    const after = await cache.get('k /c', request('/c'), render);
    expect(state.renders).toBe(2);
    expect(after.body.toString()).toBe('<p>/c render 2</p>');
    expect(cache.snapshot().clears).toBe(1);
  });

  it('does not keep errors, per-user answers or binary bodies', async () => {
    const cache = new PageCache({ maxBytes: 1 << 20, version: () => 1 });
    for (const [status, extra] of [
      [404, {}],
      [500, {}],
      [200, { 'Set-Cookie': 'session=1' }],
      [200, { 'Cache-Control': 'private, max-age=60' }],
      [200, { 'Content-Type': 'image/png' }],
    ] as const) {
      const { state, render } = counter(status, extra);
      const a = await cache.get(`k ${status}`, request('/x'), render);
      await cache.get(`k ${status}`, request('/x'), render);
      expect(state.renders, `${status} ${JSON.stringify(extra)}`).toBe(2);
      expect(isPage(a)).toBe(false);
      expect(a.status).toBe(status);
    }
    expect(cache.snapshot().entries).toBe(0);
  });

  it('keeps at most maxBytes, dropping the least recently used page', async () => {
    const cache = new PageCache({ maxBytes: 3 * 1024, version: () => 1 });
    const big: RenderInto = async (req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('x'.repeat(300) + (req.url ?? ''));
    };
    for (const url of ['/1', '/2', '/3', '/4', '/5']) await cache.get(url, request(url), big);
    const stats = cache.snapshot();
    expect(stats.bytes).toBeLessThanOrEqual(3 * 1024);
    expect(stats.entries).toBeLessThan(5);
    // The newest page stayed.
    await cache.get('/5', request('/5'), big);
    expect(cache.snapshot().hits).toBe(1);
  });

  it('passes a render failure to every waiting client and keeps nothing', async () => {
    const cache = new PageCache({ maxBytes: 1 << 20, version: () => 1 });
    const failing: RenderInto = async () => {
      await new Promise((r) => setTimeout(r, 5));
      throw new Error('the database is locked');
    };
    const results = await Promise.allSettled([1, 2, 3].map(() => cache.get('k /f', request('/f'), failing)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe('the database is locked');
    expect(cache.snapshot().entries).toBe(0);
  });
});

describe('capture', () => {
  it('collects status, headers and every chunk, strings and bytes alike', async () => {
    const captured = await capture(request('/p'), async (_req, res) => {
      res.setHeader('X-One', '1');
      res.writeHead(201, 'Made', { 'Content-Type': 'application/json' });
      res.write('{"a":');
      res.write(new TextEncoder().encode('"é"'));
      res.end('}');
    });
    expect(captured.status).toBe(201);
    expect(captured.statusMessage).toBe('Made');
    expect(captured.headers).toMatchObject({ 'x-one': '1', 'content-type': 'application/json' });
    expect(JSON.parse(captured.body.toString('utf8'))).toEqual({ a: 'é' });
  });

  it('rejects a render that returns without answering', async () => {
    await expect(capture(request('/q'), async () => {})).rejects.toThrow('ended without an answer');
  });

  it('treats only complete, public, text 200s as cacheable', () => {
    const base = { status: 200, statusMessage: '', body: Buffer.from('x') };
    expect(isCacheable({ ...base, headers: { 'content-type': 'text/html' } }, 10)).toBe(true);
    expect(isCacheable({ ...base, headers: { 'content-type': 'application/json' } }, 10)).toBe(true);
    expect(isCacheable({ ...base, headers: { 'content-type': 'text/html' } }, 0)).toBe(false);
    expect(
      isCacheable({ ...base, headers: { 'content-type': 'text/html', 'cache-control': 'no-store' } }, 10),
    ).toBe(false);
  });
});
