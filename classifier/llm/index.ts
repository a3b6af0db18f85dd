// The optional LLM judge's public face: create a judge from configuration, judge tools, combine verdicts.
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
