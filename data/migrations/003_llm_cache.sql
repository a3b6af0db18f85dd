-- The optional LLM judge's answers, cached so a definition already judged by the same model under the same
-- prompt version costs no further call. Token usage of the call that produced the answer is kept per row.
CREATE TABLE llm_judgements (
  def_hash          TEXT NOT NULL,
  model             TEXT NOT NULL,
  prompt_version    TEXT NOT NULL,
  -- The validated answer (JSON, classifier/llm/schema.ts JudgementSchema).
  judgement         TEXT NOT NULL,
  prompt_tokens     INTEGER,
  completion_tokens INTEGER,
  total_tokens      INTEGER,
  created_at        TEXT NOT NULL,
  hits              INTEGER NOT NULL DEFAULT 0,
  last_hit_at       TEXT,
  PRIMARY KEY (def_hash, model, prompt_version)
) WITHOUT ROWID;
