// The optional LLM judge: asks an OpenAI-compatible endpoint to classify a tool, validates the answer and
// combines it with the rules verdict. It never makes a verdict worse than the rules alone: any failure
// (bad JSON, wrong shape, timeout, rate limit, server error) leaves the rules verdict standing and says why.
//
// Retries: the openai client retries 408/409/429/5xx and connection errors itself, `maxRetries` times, with
// exponential backoff (0.5 s doubling to 8 s, with jitter) unless the response carries `retry-after-ms` or
// `retry-after` (seconds or an HTTP date), which it obeys with no upper bound. A hostile or confused
// endpoint could therefore park the judge for hours, so responses pass through a fetch wrapper that caps
// those headers at `maxRetryAfterMs`. `timeoutMs` applies to each attempt.
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import pLimit from 'p-limit';
import type { Db } from '../../data/db.ts';
import { definitionHash } from '../../data/hash.ts';
import {
  getCachedJudgement,
  putCachedJudgement,
  type CacheKey,
  type TokenUsage,
} from '../../data/llm-cache.ts';
import type { ToolDefinition, Verdict } from '../../data/model.ts';
import { combineVerdicts, type Disagreement } from './combine.ts';
import { buildMessages } from './prompt.ts';
import { JudgementSchema, PROMPT_VERSION, trimJudgement, type Judgement } from './schema.ts';

export interface JudgeOptions {
  /** OpenAI-compatible base URL, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8000/v1`. */
  baseURL: string;
  model: string;
  /** Local endpoints often need none. */
  apiKey?: string | undefined;
  /** Calls in flight at once (default 4). */
  concurrency?: number;
  /** Per-attempt timeout (default 60 s). */
  timeoutMs?: number;
  /** Retries after the first attempt on 429/5xx/timeouts (default 3). */
  maxRetries?: number;
  /** Longest retry-after the endpoint may impose before a retry (default 30 s). */
  maxRetryAfterMs?: number;
  /** Characters of the definition's JSON sent to the model (default 24,000). */
  maxToolChars?: number;
  /** Cache answers in this catalogue (migration 003). Without it every judgement is a call. */
  db?: Db | undefined;
}

export type JudgeFailureKind =
  | 'timeout'
  | 'rate-limited'
  | 'server-error'
  | 'http'
  | 'connection'
  | 'refused'
  | 'malformed-json'
  | 'schema-mismatch'
  | 'internal';

export interface JudgeOutcome {
  verdict: Verdict;
  /** `combined` when the judge answered (even if its view was overruled), `rules` when it failed. */
  source: 'rules' | 'combined';
  /** Why the judge could not contribute, as `<kind>: <what happened>`. */
  failure?: string;
  failureKind?: JudgeFailureKind;
  /** Tokens of the call behind this answer (the original call's, when it came from the cache). */
  usage?: TokenUsage;
  cached?: boolean;
  /** The judge's validated answer. */
  judgement?: Judgement;
  /** The judge's lower view when it disagreed; also a `judge-disagrees` flag on the verdict. */
  disagreement?: Disagreement;
}

export interface JudgeItem {
  tool: ToolDefinition;
  rules: Verdict;
}

export interface Judge {
  readonly model: string;
  readonly promptVersion: string;
  judge(tool: ToolDefinition, rules: Verdict): Promise<JudgeOutcome>;
  /** Judge many tools with the judge's bounded concurrency; outcomes in input order, never rejects. */
  judgeAll(items: readonly JudgeItem[]): Promise<JudgeOutcome[]>;
}

class JudgeFailure extends Error {
  override name = 'JudgeFailure';
  constructor(
    readonly kind: JudgeFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Cap retry-after headers so the client's own retry loop cannot be parked indefinitely. */
export function cappedRetryAfterFetch(maxRetryAfterMs: number): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    if (res.ok) return res;
    const ms = res.headers.get('retry-after-ms');
    const after = res.headers.get('retry-after');
    let wait: number | undefined;
    if (ms !== null && !Number.isNaN(parseFloat(ms))) wait = parseFloat(ms);
    else if (after !== null) {
      const s = parseFloat(after);
      wait = Number.isNaN(s) ? Date.parse(after) - Date.now() : s * 1000;
    }
    if (wait === undefined || (wait >= 0 && wait <= maxRetryAfterMs)) return res;
    const headers = new Headers(res.headers);
    headers.delete('retry-after');
    headers.set('retry-after-ms', String(Math.max(0, Math.min(wait, maxRetryAfterMs))));
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
}

// The client gives up on retryable errors only after all its attempts, so those take `attempts`.
function classifyError(e: unknown, timeoutMs: number, attempts: number): JudgeFailure {
  if (e instanceof JudgeFailure) return e;
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  if (e instanceof OpenAI.APIConnectionTimeoutError) {
    return new JudgeFailure('timeout', `no answer within ${timeoutMs} ms (${tries})`, { cause: e });
  }
  if (e instanceof OpenAI.APIConnectionError) {
    return new JudgeFailure('connection', `cannot reach the endpoint: ${e.message} (${tries})`, { cause: e });
  }
  if (e instanceof OpenAI.RateLimitError) {
    return new JudgeFailure('rate-limited', `HTTP 429 after ${tries}: ${e.message}`, { cause: e });
  }
  if (e instanceof OpenAI.InternalServerError) {
    return new JudgeFailure('server-error', `HTTP ${e.status} after ${tries}: ${e.message}`, { cause: e });
  }
  if (e instanceof OpenAI.APIError) {
    return new JudgeFailure('http', `HTTP ${e.status ?? '?'}: ${e.message}`, { cause: e });
  }
  return new JudgeFailure('internal', (e as Error)?.message ?? String(e), { cause: e });
}

/** Parse the assistant's content into a validated judgement, naming what was wrong. */
export function parseJudgement(content: string): Judgement {
  // Some OpenAI-compatible servers wrap JSON in a Markdown fence despite the response format.
  const text = content
    .trim()
    .replace(/^```(?:json)?\s*\n([\s\S]*)\n```$/, '$1')
    .trim();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new JudgeFailure('malformed-json', `answer is not JSON: ${JSON.stringify(text.slice(0, 80))}`, {
      cause,
    });
  }
  const parsed = JudgementSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? first.path.join('.') : '(root)';
    throw new JudgeFailure(
      'schema-mismatch',
      `answer does not match the schema at ${where}: ${first?.message ?? ''}`,
      {
        cause: parsed.error,
      },
    );
  }
  return trimJudgement(parsed.data);
}

export function createJudge(options: JudgeOptions): Judge {
  const model = options.model;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxRetries = options.maxRetries ?? 3;
  const limit = pLimit(options.concurrency ?? 4);
  // Every option the client would otherwise take from process.env is given explicitly: libraries do not
  // read the environment, and the client must not log. (openai 6 still reads OPENAI_CUSTOM_HEADERS itself;
  // no option turns that off.)
  const client = new OpenAI({
    baseURL: options.baseURL,
    apiKey: options.apiKey || 'not-needed',
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    timeout: timeoutMs,
    maxRetries,
    logLevel: 'off',
    fetch: cappedRetryAfterFetch(options.maxRetryAfterMs ?? 30_000),
  });
  const responseFormat = zodResponseFormat(JudgementSchema, 'tool_verdict');
  const pending = new Map<string, Promise<{ judgement: Judgement; usage?: TokenUsage; cached: boolean }>>();

  async function call(tool: ToolDefinition): Promise<{ judgement: Judgement; usage?: TokenUsage }> {
    const messages = buildMessages(tool, options.maxToolChars);
    try {
      const completion = await client.chat.completions.create({
        model,
        temperature: 0,
        messages: [
          { role: 'system', content: messages.system },
          { role: 'user', content: messages.user },
        ],
        response_format: responseFormat,
      });
      const choice = completion.choices[0];
      const usage = completion.usage
        ? {
            promptTokens: completion.usage.prompt_tokens,
            completionTokens: completion.usage.completion_tokens,
            totalTokens: completion.usage.total_tokens,
          }
        : undefined;
      if (!choice) throw new JudgeFailure('malformed-json', 'the completion has no choices');
      if (choice.message.refusal)
        throw new JudgeFailure('refused', `the model refused: ${choice.message.refusal}`);
      const content = choice.message.content;
      if (content === null || content === undefined || content.trim() === '') {
        throw new JudgeFailure(
          'malformed-json',
          `the answer is empty (finish_reason ${choice.finish_reason})`,
        );
      }
      const judgement = parseJudgement(content);
      return usage ? { judgement, usage } : { judgement };
    } catch (e) {
      throw classifyError(e, timeoutMs, maxRetries + 1);
    }
  }

  async function judgement(
    tool: ToolDefinition,
  ): Promise<{ judgement: Judgement; usage?: TokenUsage; cached: boolean }> {
    const key: CacheKey = { defHash: definitionHash(tool), model, promptVersion: PROMPT_VERSION };
    const cacheKey = `${key.defHash}\u0000${key.model}\u0000${key.promptVersion}`;
    const inFlight = pending.get(cacheKey);
    if (inFlight) return inFlight;
    const work = (async () => {
      if (options.db) {
        const hit = getCachedJudgement(options.db, key);
        if (hit) {
          try {
            const j = parseJudgement(hit.judgement);
            return hit.usage
              ? { judgement: j, usage: hit.usage, cached: true }
              : { judgement: j, cached: true };
          } catch {
            // A stored answer that no longer validates is judged again and overwritten.
          }
        }
      }
      const fresh = await limit(() => call(tool));
      if (options.db) putCachedJudgement(options.db, key, fresh.judgement, fresh.usage);
      return { ...fresh, cached: false };
    })();
    pending.set(cacheKey, work);
    try {
      return await work;
    } finally {
      pending.delete(cacheKey);
    }
  }

  async function judge(tool: ToolDefinition, rules: Verdict): Promise<JudgeOutcome> {
    try {
      const got = await judgement(tool);
      const combined = combineVerdicts(rules, got.judgement, { model, promptVersion: PROMPT_VERSION }, tool);
      const outcome: JudgeOutcome = {
        verdict: combined.verdict,
        source: 'combined',
        cached: got.cached,
        judgement: got.judgement,
      };
      if (got.usage) outcome.usage = got.usage;
      if (combined.disagreement) outcome.disagreement = combined.disagreement;
      return outcome;
    } catch (e) {
      const f = classifyError(e, timeoutMs, maxRetries + 1);
      return { verdict: rules, source: 'rules', failure: `${f.kind}: ${f.message}`, failureKind: f.kind };
    }
  }

  return {
    model,
    promptVersion: PROMPT_VERSION,
    judge,
    judgeAll: (items) => Promise.all(items.map((item) => judge(item.tool, item.rules))),
  };
}
