// The ingest's classifier thread: classifies batches of servers' tools with the rules classifier while the
// main thread writes the previous batch to SQLite (the two take about the same CPU, and the machine has a
// second core). Each answer is posted on the port, then `signal` is bumped and notified, so a main thread
// that cannot return to its event loop (ingestCorpus is synchronous) can wait with Atomics.wait and take
// the answer with receiveMessageOnPort.
import { workerData, type MessagePort } from 'node:worker_threads';
import { classifyTool } from '../../classifier/index.ts';
import type { ToolDefinition, Verdict } from '../../data/model.ts';

export interface ClassifyRequest {
  servers: { name: string; description?: string | undefined; tools: ToolDefinition[] }[];
}

/** `verdicts` is Verdict[][] as JSON: one string crosses threads far faster than a cloned object graph. */
export type ClassifyAnswer = { verdicts: string; ms: number } | { error: string };

export interface ClassifyWorkerData {
  port: MessagePort;
  signal: Int32Array;
}

const { port, signal } = workerData as ClassifyWorkerData;

function answer(message: ClassifyAnswer): void {
  port.postMessage(message);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

port.on('message', (json: string) => {
  try {
    const t0 = performance.now();
    const request = JSON.parse(json) as ClassifyRequest;
    const verdicts: Verdict[][] = request.servers.map((s) =>
      s.tools.map((tool) => classifyTool(tool, { serverName: s.name, serverDescription: s.description })),
    );
    answer({ verdicts: JSON.stringify(verdicts), ms: performance.now() - t0 });
  } catch (error) {
    answer({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
// Started: lets the main thread tell "still loading" from "failed to load" (see ingest.ts).
answer({ verdicts: '[]', ms: 0 });
