// Ingest the scale corpus through the real write path: the rules classifier on every tool, then
// storeManyServers (data/repository.ts: upsertServer + storeServerTools for a batch of servers, in one
// transaction). The classifier runs on a worker thread a batch or two ahead of the writes, so the two
// overlap on a second core; `classify: 'inline'` runs it on this thread instead.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { classifyTool } from '../../classifier/index.ts';
import { openDatabase } from '../../data/db.ts';
import type { Verdict } from '../../data/model.ts';
import { storeManyServers } from '../../data/repository.ts';
import type { ClassifyAnswer, ClassifyRequest, ClassifyWorkerData } from './classify-worker.ts';
import type { CorpusServer } from './generate.ts';

export interface IngestResult {
  servers: number;
  tools: number;
  seconds: number;
  /** Time spent classifying (on the worker thread, overlapped with the writes, unless inline). */
  classifySeconds: number;
  bytes: number;
}

export interface IngestOptions {
  batch?: number;
  classify?: 'worker' | 'inline';
  progress?: (servers: number, tools: number) => void;
}

/** Classifies batches in order: `send` a batch, later `receive` its verdicts. */
interface Classifier {
  send(batch: CorpusServer[]): void;
  receive(): { verdicts: Verdict[][]; ms: number };
  close(): void;
}

function inlineClassifier(): Classifier {
  const queue: CorpusServer[][] = [];
  return {
    send: (batch) => queue.push(batch),
    receive: () => {
      const t0 = performance.now();
      const verdicts = queue
        .shift()!
        .map((s) =>
          s.tools.map((tool) =>
            classifyTool(tool, { serverName: s.ref.name, serverDescription: s.ref.description }),
          ),
        );
      return { verdicts, ms: performance.now() - t0 };
    },
    close: () => {},
  };
}

/**
 * The worker-thread classifier, used synchronously (ingestCorpus does not return to the event loop): the
 * worker bumps a shared counter after each answer, this thread sleeps on it with Atomics.wait and takes
 * the answer with receiveMessageOnPort.
 */
function workerClassifier(): Classifier {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const data: ClassifyWorkerData = { port: port2, signal };
  // tsx registers its loader on the main thread only (on Node 20), so the worker registers it itself
  // before loading the .ts module, through tsx's ESM API (found by hand: vitest has no import.meta.resolve).
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(fs.readFileSync(tsxPackage, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const tsx = pathToFileURL(path.join(path.dirname(tsxPackage), exports['./esm/api']!.import.default)).href;
  const entry = new URL('./classify-worker.ts', import.meta.url).href;
  // A worker that fails to load says so (as classify-worker.ts answers) instead of leaving us waiting.
  const code = `const { workerData: d } = require('node:worker_threads');
    import(${JSON.stringify(tsx)})
      .then((api) => { api.register(); return import(${JSON.stringify(entry)}); })
      .catch((e) => {
        d.port.postMessage({ error: String((e && e.stack) || e) });
        Atomics.add(d.signal, 0, 1);
        Atomics.notify(d.signal, 0);
      });`;
  const worker = new Worker(code, {
    eval: true,
    workerData: data,
    transferList: [port2 as unknown as MessagePort],
  });
  const next = (timeoutMs: number): ClassifyAnswer => {
    for (;;) {
      const seen = Atomics.load(signal, 0);
      const got = receiveMessageOnPort(port1);
      if (got) return got.message as ClassifyAnswer;
      if (Atomics.wait(signal, 0, seen, timeoutMs) === 'timed-out') {
        throw new Error(`the classifier worker did not answer within ${timeoutMs / 1000} s`);
      }
    }
  };
  const take = (timeoutMs: number) => {
    const answer = next(timeoutMs);
    if ('error' in answer) throw new Error(`the classifier worker failed: ${answer.error}`);
    return answer;
  };
  try {
    take(60_000); // started
  } catch (error) {
    void worker.terminate();
    throw error;
  }
  return {
    send: (batch) => {
      const request: ClassifyRequest = {
        servers: batch.map((s) => ({ name: s.ref.name, description: s.ref.description, tools: s.tools })),
      };
      port1.postMessage(JSON.stringify(request));
    },
    receive: () => {
      const { verdicts, ms } = take(600_000);
      return { verdicts: JSON.parse(verdicts) as Verdict[][], ms };
    },
    close: () => {
      port1.close();
      void worker.terminate();
    },
  };
}

export function ingestCorpus(
  dbPath: string,
  corpus: Iterable<CorpusServer>,
  options: IngestOptions = {},
): IngestResult {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbPath + suffix, { force: true });
  const db = openDatabase(dbPath);
  // Bulk load: a crash loses the benchmark database, nothing else, so durability can wait for the end.
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const batch = options.batch ?? 500;
  const started = performance.now();
  const classifier = options.classify === 'inline' ? inlineClassifier() : workerClassifier();
  let classifyMs = 0;
  let servers = 0;
  let tools = 0;
  // Batches sent to the classifier and not yet stored; two ahead keeps the worker busy while this
  // thread writes.
  const inFlight: CorpusServer[][] = [];
  const store = () => {
    const items = inFlight.shift()!;
    const { verdicts, ms } = classifier.receive();
    classifyMs += ms;
    storeManyServers(
      db,
      items.map((s, i) => ({
        ref: s.ref,
        info: { name: s.ref.name, version: '1.0.0' },
        tools: s.tools.map((definition, j) => ({ definition, verdict: verdicts[i]![j]! })),
      })),
    );
    servers += items.length;
    tools += items.reduce((n, s) => n + s.tools.length, 0);
    options.progress?.(servers, tools);
  };
  try {
    let pending: CorpusServer[] = [];
    const send = () => {
      classifier.send(pending);
      inFlight.push(pending);
      pending = [];
      if (inFlight.length > 2) store();
    };
    for (const s of corpus) {
      pending.push(s);
      if (pending.length >= batch) send();
    }
    if (pending.length) send();
    while (inFlight.length) store();
  } finally {
    classifier.close();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('optimize');
  db.close();
  const seconds = (performance.now() - started) / 1000;
  return { servers, tools, seconds, classifySeconds: classifyMs / 1000, bytes: fs.statSync(dbPath).size };
}
