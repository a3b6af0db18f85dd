// The LLM judge's cache (migration 003): one validated answer per (definition hash, model, prompt version),
// with the token usage of the call that produced it. A repeat judgement of the same definition costs no call.
import type { Db } from './db.ts';

export interface CacheKey {
  defHash: string;
  model: string;
  promptVersion: string;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface CachedJudgement {
  /** The stored answer as JSON text; the caller validates it (a prompt-version bump changes the shape). */
  judgement: string;
  usage: TokenUsage | undefined;
  createdAt: string;
  hits: number;
}

interface Row {
  judgement: string;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
  created_at: string;
  hits: number;
}

const nowIso = (): string => new Date().toISOString();

/** The cached answer for a key, counting the hit; undefined when the definition was never judged so. */
export function getCachedJudgement(db: Db, key: CacheKey, now = nowIso()): CachedJudgement | undefined {
  const row = db
    .prepare(
      `UPDATE llm_judgements SET hits = hits + 1, last_hit_at = ?
       WHERE def_hash = ? AND model = ? AND prompt_version = ?
       RETURNING judgement, prompt_tokens, completion_tokens, total_tokens, created_at, hits`,
    )
    .get(now, key.defHash, key.model, key.promptVersion) as Row | undefined;
  if (!row) return undefined;
  return {
    judgement: row.judgement,
    usage:
      row.total_tokens === null
        ? undefined
        : {
            promptTokens: row.prompt_tokens ?? 0,
            completionTokens: row.completion_tokens ?? 0,
            totalTokens: row.total_tokens,
          },
    createdAt: row.created_at,
    hits: row.hits,
  };
}

export function putCachedJudgement(
  db: Db,
  key: CacheKey,
  judgement: unknown,
  usage: TokenUsage | undefined,
  now = nowIso(),
): void {
  db.prepare(
    `INSERT INTO llm_judgements (def_hash, model, prompt_version, judgement, prompt_tokens, completion_tokens,
       total_tokens, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(def_hash, model, prompt_version) DO UPDATE SET judgement = excluded.judgement,
       prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens,
       total_tokens = excluded.total_tokens, created_at = excluded.created_at`,
  ).run(
    key.defHash,
    key.model,
    key.promptVersion,
    JSON.stringify(judgement),
    usage?.promptTokens ?? null,
    usage?.completionTokens ?? null,
    usage?.totalTokens ?? null,
    now,
  );
}

export interface LlmUsageSummary {
  model: string;
  promptVersion: string;
  judgements: number;
  /** Calls the cache saved. */
  hits: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** Tokens spent per model and prompt version, for `stats` and the site's about page. */
export function llmUsageSummary(db: Db): LlmUsageSummary[] {
  return db
    .prepare(
      `SELECT model, prompt_version AS promptVersion, count(*) AS judgements, coalesce(sum(hits), 0) AS hits,
         coalesce(sum(prompt_tokens), 0) AS promptTokens, coalesce(sum(completion_tokens), 0) AS completionTokens,
         coalesce(sum(total_tokens), 0) AS totalTokens
       FROM llm_judgements GROUP BY model, prompt_version ORDER BY model, prompt_version`,
    )
    .all() as LlmUsageSummary[];
}
