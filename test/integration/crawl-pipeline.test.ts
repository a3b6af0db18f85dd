// The crawl pipeline's own contract: async sources, refs it cannot crawl, a source that breaks, bounded
// concurrency, cancellation. Real fixture servers over stdio and real SQLite.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crawl, type CrawlEvent } from '../../crawler/crawl.ts';
import { openDatabase } from '../../data/db.ts';
import type { ServerRef } from '../../data/model.ts';
import { fixtureRef } from '../helpers/servers.ts';
import { tempDir } from '../helpers/tmp.ts';

const OPTIONS = {
  source: 'test',
  concurrency: 2,
  connectTimeoutS: 30,
  listTimeoutS: 60,
  maxReadBytes: 256e6,
};

function freshDb() {
  return openDatabase(path.join(tempDir(), 'catalog.db'));
}

function countTools(db: ReturnType<typeof freshDb>, serverId: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM tools WHERE server_id = ?`).get(serverId) as { n: number }).n;
}

describe('crawl pipeline', () => {
  it('reads an async source, records refs it cannot introspect as "invalid", and goes on', async () => {
    const db = freshDb();
    async function* source(): AsyncGenerator<ServerRef> {
      yield fixtureRef('daw', 'good-daw.mjs');
      yield { id: 'static/only', name: 'No launch', source: 'test', packages: [] };
      yield { id: 'bad id with spaces', name: 'Bad', source: 'test', packages: [] };
      yield fixtureRef('pages', 'many-tools.mjs', { env: { TOOL_COUNT: '30', PAGE_SIZE: '7' } });
    }
    const events: CrawlEvent[] = [];
    const summary = await crawl(db, source(), { ...OPTIONS, onEvent: (e) => events.push(e) });
    expect(events[0]).toEqual({ type: 'start', total: undefined });
    expect(summary).toMatchObject({ servers: 4, ok: 2, failed: 2, tools: 36, status: 'partial' });
    expect(summary.failures).toEqual([
      {
        serverId: 'static/only',
        kind: 'invalid',
        reason: 'static/only: has no launch (command or URL), so it cannot be introspected live',
      },
      {
        serverId: 'bad id with spaces',
        kind: 'invalid',
        reason: expect.stringMatching(/^bad id with spaces: invalid server reference \(id: /) as string,
      },
    ]);
    expect(countTools(db, 'fixture/daw')).toBe(6);
    expect(countTools(db, 'fixture/pages')).toBe(30);
  });

  it('keeps what it crawled when the source itself breaks, and names the source', async () => {
    const db = freshDb();
    function* source(): Generator<ServerRef> {
      yield fixtureRef('daw', 'good-daw.mjs');
      throw new Error('registry answered 503');
    }
    const summary = await crawl(db, source(), OPTIONS);
    expect(summary).toMatchObject({ servers: 1, ok: 1, failed: 1, status: 'partial' });
    expect(summary.failures).toEqual([
      { serverId: 'source:test', kind: 'internal', reason: 'source test: registry answered 503' },
    ]);
    expect(countTools(db, 'fixture/daw')).toBe(6);
    const run = db.prepare(`SELECT status FROM crawl_runs WHERE id = ?`).get(summary.runId) as {
      status: string;
    };
    expect(run.status).toBe('partial');
  });

  it('never has more servers in flight than its concurrency', async () => {
    const db = freshDb();
    const refs = Array.from({ length: 5 }, (_, i) => fixtureRef(`daw-${i}`, 'good-daw.mjs'));
    let inFlight = 0;
    let most = 0;
    const summary = await crawl(db, refs, {
      ...OPTIONS,
      concurrency: 2,
      onEvent: (e) => {
        if (e.type === 'server-start') most = Math.max(most, ++inFlight);
        if (e.type === 'server-done' || e.type === 'server-failed') inFlight--;
      },
    });
    expect(summary.ok).toBe(5);
    expect(most).toBe(2);
  });

  it('stops starting servers once cancelled, closes the running ones, and finishes the run as partial', async () => {
    const db = freshDb();
    const controller = new AbortController();
    const refs = [
      fixtureRef('hangs', 'never-answers.mjs'),
      ...Array.from({ length: 4 }, (_, i) => fixtureRef(`later-${i}`, 'good-daw.mjs')),
    ];
    const summary = await crawl(db, refs, {
      ...OPTIONS,
      concurrency: 1,
      killGraceMs: 200,
      onSpawn: () => controller.abort(),
      signal: controller.signal,
    });
    expect(summary.status).toBe('partial');
    expect(summary.ok).toBe(0);
    expect(summary.failures[0]).toEqual({
      serverId: 'fixture/hangs',
      kind: 'internal',
      reason: 'fixture/hangs: cancelled while connecting',
    });
    // Refs already queued behind it are cancelled before they start a process.
    expect(summary.failures.slice(1).every((f) => f.reason.endsWith('cancelled while connecting'))).toBe(
      true,
    );
    const run = db.prepare(`SELECT status, finished_at FROM crawl_runs WHERE id = ?`).get(summary.runId) as {
      status: string;
      finished_at: string | null;
    };
    expect(run).toMatchObject({ status: 'partial' });
    expect(run.finished_at).not.toBeNull();
  });
});
