// The scale bench's ingest (bench/corpus/ingest.ts): classifying on a worker thread stores exactly what
// classifying inline stores, and the worker starts under this runner as it does under tsx.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/corpus/generate.ts';
import { ingestCorpus } from '../../bench/corpus/ingest.ts';
import type { Vocabulary } from '../../bench/corpus/vocabulary.ts';
import { openDatabase } from '../../data/db.ts';
import { tempDir } from '../helpers/tmp.ts';

const VOCAB: Vocabulary = {
  nameHeads: ['get', 'list', 'create', 'delete', 'run', 'send', 'update', 'drop'],
  nameTails: ['track', 'file', 'issue', 'command', 'message', 'table', 'page'],
  descriptionWords: ['the', 'a', 'track', 'file', 'remove', 'every', 'shell', 'ignore', 'previous', 'user'],
  descriptionLengths: [20, 60, 140],
  paramNames: ['path', 'id', 'query', 'command'],
};
const OPTIONS = { servers: 60, meanTools: 6, seed: 3 };

// Everything but the load's own timestamps.
function dump(file: string): Record<string, unknown[]> {
  const db = openDatabase(file, { readonly: true });
  const all = (sql: string) => db.prepare(sql).all();
  const out = {
    servers: all(
      'SELECT pk, id, name, description, ref_json, info_json, tool_count FROM servers ORDER BY pk',
    ),
    tools: all('SELECT id, server_id, name, position, title, description, definition, def_hash FROM tools'),
    tool_history: all('SELECT tool_id, def_hash, definition, category, risk FROM tool_history'),
    verdicts: all('SELECT tool_id, classifier, category, risk, confidence, verdict FROM verdicts'),
    tool_facets: all('SELECT * FROM tool_facets ORDER BY tool_id'),
    server_counts: all('SELECT * FROM server_counts'),
    catalog_counts: all('SELECT * FROM catalog_counts'),
    tools_fts: all('SELECT rowid, * FROM tools_fts ORDER BY rowid'),
    servers_fts: all('SELECT rowid, * FROM servers_fts ORDER BY rowid'),
  };
  db.close();
  return out;
}

describe('ingestCorpus', () => {
  const dir = tempDir();

  it('stores the same catalogue with the classifier on a worker thread as inline', () => {
    const inline = path.join(dir, 'inline.db');
    const worker = path.join(dir, 'worker.db');
    const a = ingestCorpus(inline, generateCorpus([], VOCAB, OPTIONS), { batch: 7, classify: 'inline' });
    const b = ingestCorpus(worker, generateCorpus([], VOCAB, OPTIONS), { batch: 7, classify: 'worker' });
    expect(b).toMatchObject({ servers: 60, tools: a.tools });
    expect(a.tools).toBeGreaterThan(200);
    const want = dump(inline);
    expect(dump(worker)).toEqual(want);
    expect(new Set((want.verdicts as { category: string }[]).map((v) => v.category)).size).toBeGreaterThan(2);
  });
});
