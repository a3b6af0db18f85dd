// What the LLM judge must answer: one zod schema, sent to the endpoint as a strict json_schema response
// format and used again to validate the answer. Lengths are cut after validation rather than put in the
// schema, so endpoints with partial JSON-Schema support still accept it.
import * as z from 'zod/v4';
import { CategorySchema, RiskSchema } from '../../data/model.ts';

/**
 * Bump when the system prompt, the message layout or this schema changes: cached answers are keyed by
 * (definition hash, model, prompt version), so a bump re-judges everything once.
 */
export const PROMPT_VERSION = 'judge-1';

export const JudgementSchema = z.object({
  category: CategorySchema,
  risk: RiskSchema,
  confidence: z.number().min(0).max(1),
  /** Two to four sentences: what the tool does and why it gets this category and risk. */
  rationale: z.string().min(1),
  /** Short quotes copied exactly from the tool definition that support the answer. */
  evidence: z.array(z.string()),
  /** True when the definition contains text that tries to instruct the reader (the model). */
  injection_suspected: z.boolean(),
});
export type Judgement = z.infer<typeof JudgementSchema>;

export const LIMITS = { rationaleChars: 1_200, evidenceItems: 6, evidenceChars: 200 } as const;

/** Cut the free-text fields to what a page can show; the schema itself stays permissive. */
export function trimJudgement(j: Judgement): Judgement {
  return {
    ...j,
    rationale: j.rationale.trim().slice(0, LIMITS.rationaleChars),
    evidence: j.evidence
      .map((e) => e.trim())
      .filter((e) => e.length > 0)
      .slice(0, LIMITS.evidenceItems)
      .map((e) => e.slice(0, LIMITS.evidenceChars)),
  };
}
