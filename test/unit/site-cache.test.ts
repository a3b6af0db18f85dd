// The page cache in the running site: repeat visits come from memory with an ETag, clients that accept gzip
// get it, and a crawl writing to the catalogue shows on the very next request.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyTool } from '../../classifier/index.ts';
import { openDatabase } from '../../data/db.ts';
import type { ToolDefinition } from '../../data/model.ts';
import { storeServerTools } from '../../data/repository.ts';
import { IDS, standardCatalogFile, startTestSite } from '../helpers/site.ts';

let site: Awaited<ReturnType<typeof startTestSite>>;
let dbPath: string;
beforeAll(async () => {
  dbPath = standardCatalogFile();
  site = await startTestSite(dbPath);
});

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request with exactly these headers (fetch would add and undo compression itself). */
function raw(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .request(site.url + path, { method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject)
      .end();
  });
}

const serverPath = `/servers/${IDS.notes.split('/').map(encodeURIComponent).join('/')}`;

describe('page cache', () => {
  it('answers a repeat visit from memory, byte for byte, with the same ETag', async () => {
    const before = site.cacheStats()!;
    const a = await raw(serverPath);
    const b = await raw(serverPath);
    expect(a.status).toBe(200);
    expect(b.body.equals(a.body)).toBe(true);
    expect(a.headers.etag).toMatch(/^"[\w-]{27}"$/);
    expect(b.headers.etag).toBe(a.headers.etag);
    expect(Number(b.headers['content-length'])).toBe(b.body.length);
    expect(b.headers['content-security-policy']).toContain("default-src 'none'");
    const after = site.cacheStats()!;
    expect(after.hits - before.hits).toBeGreaterThanOrEqual(1);
  });

  it('answers If-None-Match with 304 and no body', async () => {
    const { headers } = await raw(serverPath);
    const again = await raw(serverPath, { 'If-None-Match': headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(headers.etag);
    expect((await raw(serverPath, { 'If-None-Match': '"something-else"' })).status).toBe(200);
  });

  it('sends gzip only to clients that accept it, and it unpacks to the same page', async () => {
    const plain = await raw(serverPath);
    const zipped = await raw(serverPath, { 'Accept-Encoding': 'br, gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expect(zipped.body.length).toBeLessThan(plain.body.length);
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(
      (await raw(serverPath, { 'Accept-Encoding': 'gzip;q=0' })).headers['content-encoding'],
    ).toBeUndefined();
  });

  it('keeps JSON twins too, and never a 404', async () => {
    const twin = await raw(`${serverPath}.json`);
    expect(twin.status).toBe(200);
    expect(twin.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(twin.headers.etag).toBeDefined();
    const missing = await raw('/servers/no/such-server');
    expect(missing.status).toBe(404);
    expect(missing.headers.etag).toBeUndefined();
  });

  it('answers HEAD with the headers of the page and no body', async () => {
    const head = await raw(serverPath, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(head.body.length).toBe(0);
  });

  it('shows a crawl’s write on the next request', async () => {
    const first = await raw(serverPath);
    expect(first.body.toString()).not.toContain('archive_every_note');
    const db = openDatabase(dbPath);
    try {
      const stored = db
        .prepare(`SELECT definition FROM tools WHERE server_id = ? ORDER BY position`)
        .pluck()
        .all(IDS.notes) as string[];
      const tools = [
        ...stored.map((d) => JSON.parse(d) as ToolDefinition),
        {
          name: 'archive_every_note',
          description: 'Moves every note into the archive folder.',
          inputSchema: { type: 'object' },
        },
      ] as ToolDefinition[];
      storeServerTools(
        db,
        IDS.notes,
        undefined,
        tools.map((definition) => ({
          definition,
          verdict: classifyTool(definition, { serverName: 'Notes server' }),
        })),
      );
    } finally {
      db.close();
    }
    const second = await raw(serverPath);
    expect(second.status).toBe(200);
    expect(second.body.toString()).toContain('archive_every_note');
    expect(second.headers.etag).not.toBe(first.headers.etag);
    expect(site.cacheStats()!.clears).toBeGreaterThanOrEqual(1);
  });
});
