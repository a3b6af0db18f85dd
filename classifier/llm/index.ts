// The optional LLM judge's public face: create a judge from configuration, judge tools, combine verdicts.
import type { Config } from '../../data/config.ts';
import type { Db } from '../../data/db.ts';
import { createJudge, type Judge, type JudgeOptions } from './judge.ts';

export {
  createJudge,
  type Judge,
  type JudgeFailureKind,
  type JudgeItem,
  type JudgeOptions,
  type JudgeOutcome,
} from './judge.ts';
export {
  combineVerdicts,
  JUDGE_DISAGREES,
  JUDGE_SUSPECTS_INJECTION,
  type Combination,
  type Disagreement,
} from './combine.ts';
export { PROMPT_VERSION, type Judgement } from './schema.ts';

/**
 * The judge the configuration asks for, or undefined when it is off (no base URL or no model). Pass the
 * catalogue so answers are cached there.
 */
export function judgeFromConfig(
  config: Pick<Config, 'llmBaseUrl' | 'llmModel' | 'llmApiKey'>,
  db?: Db,
  tuning: Pick<JudgeOptions, 'concurrency' | 'timeoutMs' | 'maxRetries'> = {},
): Judge | undefined {
  if (!config.llmBaseUrl || !config.llmModel) return undefined;
  return createJudge({
    ...tuning,
    baseURL: config.llmBaseUrl,
    model: config.llmModel,
    apiKey: config.llmApiKey,
    db,
  });
}
