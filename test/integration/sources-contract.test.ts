// The contract every discovery source passes (as drizzle's shared suites and crawlee's request-loader
// contract do): valid refs with unique ids, a clean early stop, a fatal failure named after the source with
// its cause chained, and an AbortSignal honoured. Each case runs its source against a local fake or file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerRefSchema, type ServerRef } from '../../data/model.ts';
import { SourceError } from '../../crawler/sources/source.ts';
import { sourceCases, type SourceCase, type SourceHarness } from '../fakes/source-cases.ts';

async function collect(it: AsyncIterable<ServerRef>): Promise<ServerRef[]> {
  const out: ServerRef[] = [];
  for await (const ref of it) out.push(ref);
  return out;
}

describe.each(sourceCases)('source contract: $name', (c: SourceCase) => {
  let h: SourceHarness;
  beforeAll(async () => {
    h = await c.setup();
  });
  afterAll(() => h.close());

  it('yields valid ServerRefs with unique ids, recording the source name', async () => {
    const refs = await collect(h.discover({}));
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      expect(ServerRefSchema.parse(ref)).toEqual(ref);
      expect(ref.source).toBe(c.sourceName);
    }
    expect(new Set(refs.map((r) => r.id)).size).toBe(refs.length);
  });

  it('stops cleanly, with no further requests, when the consumer breaks early', async () => {
    const before = h.requests();
    let got: ServerRef | undefined;
    for await (const ref of h.discover({})) {
      got = ref;
      break;
    }
    expect(got).toBeDefined();
    const atBreak = h.requests();
    await new Promise((r) => setImmediate(r));
    expect(h.requests()).toBe(atBreak);
    const all = await collect(h.discover({}));
    // Breaking early cost fewer requests than a full run (sources that read a file make none).
    if (c.paged) expect(atBreak - before).toBeLessThan(h.requests() - atBreak);
    expect(all.length).toBeGreaterThan(1);
  });

  it('honours limit', async () => {
    const refs = await collect(h.discover({ limit: 2 }));
    expect(refs).toHaveLength(2);
  });

  it('fails with a SourceError naming the source, cause chained, on a fatal failure', async () => {
    const error = await collect(h.broken()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SourceError);
    const e = error as SourceError;
    expect(e.source).toBe(c.sourceName);
    expect(e.message).toContain(`${c.sourceName} source`);
    expect(e.message).toMatch(c.fatalMessage);
  });

  it('honours an AbortSignal: a pre-aborted signal makes no request, an abort mid-way stops it', async () => {
    const before = h.requests();
    const pre = new AbortController();
    pre.abort();
    await expect(collect(h.discover({ signal: pre.signal }))).rejects.toMatchObject({ name: 'AbortError' });
    expect(h.requests()).toBe(before);

    const ac = new AbortController();
    const seen: ServerRef[] = [];
    const run = (async () => {
      for await (const ref of h.discover({ signal: ac.signal })) {
        seen.push(ref);
        ac.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(1);
  });
});
