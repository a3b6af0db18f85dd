// Ingest the scale corpus through the real write path: the rules classifier on every tool, then
// upsertServer + storeServerTools (data/repository.ts), batched into large transactions (storeServerTools'
// own transaction becomes a savepoint inside the batch).
import fs from 'node:fs';
import { classifyTool } from '../../classifier/index.ts';
import { openDatabase } from '../../data/db.ts';
import { storeServerTools, upsertServer } from '../../data/repository.ts';
import type { CorpusServer } from './generate.ts';

export interface IngestResult {
  servers: number;
  tools: number;
  seconds: number;
  classifySeconds: number;
  bytes: number;
}

export function ingestCorpus(
  dbPath: string,
  corpus: Iterable<CorpusServer>,
  options: { batch?: number; progress?: (servers: number, tools: number) => void } = {},
): IngestResult {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbPath + suffix, { force: true });
  const db = openDatabase(dbPath);
  // Bulk load: a crash loses the benchmark database, nothing else, so durability can wait for the end.
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const batch = options.batch ?? 500;
  const started = performance.now();
  let classifyMs = 0;
  let servers = 0;
  let tools = 0;
  let pending: CorpusServer[] = [];
  const flush = db.transaction((items: CorpusServer[]) => {
    for (const s of items) {
      const t0 = performance.now();
      const classified = s.tools.map((definition) => ({
        definition,
        verdict: classifyTool(definition, { serverName: s.ref.name, serverDescription: s.ref.description }),
      }));
      classifyMs += performance.now() - t0;
      upsertServer(db, s.ref);
      storeServerTools(db, s.ref.id, { name: s.ref.name, version: '1.0.0' }, classified);
      servers++;
      tools += s.tools.length;
    }
  });
  for (const s of corpus) {
    pending.push(s);
    if (pending.length >= batch) {
      flush(pending);
      pending = [];
      options.progress?.(servers, tools);
    }
  }
  if (pending.length) flush(pending);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('optimize');
  db.close();
  const seconds = (performance.now() - started) / 1000;
  return { servers, tools, seconds, classifySeconds: classifyMs / 1000, bytes: fs.statSync(dbPath).size };
}
