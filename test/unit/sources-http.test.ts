// The shared HTTP helper: which failures are retried, Retry-After honoured, errors that name the subject.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError, getJson, httpGet, parseRetryAfter } from '../../crawler/http.ts';
import { sendJson, startLocalServer, type LocalServer } from '../fakes/http-server.ts';

let server: LocalServer;
let answers: { status: number; body: unknown; headers?: Record<string, string> }[] = [];
beforeAll(async () => {
  server = await startLocalServer((_req, res) => {
    const a = answers.shift() ?? { status: 200, body: { ok: true } };
    if (typeof a.body === 'string') {
      res.writeHead(a.status, a.headers);
      return res.end(a.body);
    }
    sendJson(res, a.status, a.body, a.headers);
  });
});
afterAll(() => server.close());

describe('http helper', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('retries 503 and 429 (honouring Retry-After), not 404', async () => {
    answers = [
      { status: 503, body: { message: 'down' } },
      { status: 429, body: {}, headers: { 'retry-after': '0' } },
      { status: 200, body: { ok: 1 } },
    ];
    const before = server.log.length;
    expect(await getJson('test', `${server.url}/x`, { retryDelayMs: 1 })).toEqual({ ok: 1 });
    expect(server.log.length - before).toBe(3);

    answers = [{ status: 404, body: { message: 'no such thing' } }];
    const e = await getJson('npm/x', `${server.url}/y`, { retryDelayMs: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpError);
    expect(e).toMatchObject({ status: 404, retryable: false, kind: 'http' });
    expect((e as Error).message).toBe(`npm/x: no such thing (HTTP 404 from ${server.url}/y)`);
  });

  it('gives up after the allowed retries with a retryable error, and says when a body is not JSON', async () => {
    answers = [
      { status: 502, body: {} },
      { status: 502, body: {} },
    ];
    await expect(httpGet('s', `${server.url}/z`, { retries: 1, retryDelayMs: 1 })).rejects.toMatchObject({
      status: 502,
      retryable: true,
    });
    answers = [{ status: 200, body: '<html>', headers: { 'content-type': 'text/html' } }];
    await expect(getJson('s', `${server.url}/h`)).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('is not JSON'),
    });
  });

  it('reports a network failure as retryable status 0', async () => {
    const e = await httpGet('s', 'http://127.0.0.1:1/none', { retries: 0 }).catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 0, retryable: true });
  });
});
