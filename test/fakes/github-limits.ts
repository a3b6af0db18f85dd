// GitHub's primary rate limits for the fake: a budget per resource (core, graphql, search, code_search)
// in fixed windows on the fake's clock, the x-ratelimit-* headers every answer carries, and the answer a
// spent budget gets (403 for REST, a RATE_LIMITED GraphQL error), as GitHub documents them.
import type http from 'node:http';
import { sendJson } from './http-server.ts';
import { basicError } from './github-shapes.ts';

export type Resource = 'core' | 'graphql' | 'search' | 'code_search';

const WINDOW_MS: Record<Resource, number> = {
  core: 3600_000,
  graphql: 3600_000,
  search: 60_000,
  code_search: 60_000,
};
export const DEFAULT_LIMITS: Record<Resource, number> = {
  core: 5000,
  graphql: 5000,
  search: 30,
  code_search: 10,
};
export const RESOURCES = Object.keys(DEFAULT_LIMITS) as Resource[];

export class RateWindows {
  private readonly windows = new Map<Resource, { used: number; resetAt: number }>();
  readonly limits: Record<Resource, number>;
  /** Answers refused because a budget was spent. */
  limited = 0;

  constructor(
    private readonly now: () => number,
    limits: Partial<Record<Resource, number>> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  window(res: Resource) {
    let w = this.windows.get(res);
    if (!w || this.now() >= w.resetAt)
      this.windows.set(res, (w = { used: 0, resetAt: this.now() + WINDOW_MS[res] }));
    return w;
  }

  remaining(res: Resource): number {
    return Math.max(0, this.limits[res] - this.window(res).used);
  }

  headers(res: Resource): Record<string, string> {
    const w = this.window(res);
    return {
      'x-ratelimit-limit': String(this.limits[res]),
      'x-ratelimit-remaining': String(this.remaining(res)),
      'x-ratelimit-used': String(w.used),
      'x-ratelimit-reset': String(Math.ceil(w.resetAt / 1000)),
      'x-ratelimit-resource': res,
    };
  }

  /** Charge `cost` to `res`; false (and the refusal sent) when the budget is spent. */
  charge(res: Resource, cost: number, reply: http.ServerResponse, graphql = false): boolean {
    const w = this.window(res);
    if (w.used + cost <= this.limits[res]) {
      w.used += cost;
      return true;
    }
    this.limited++;
    const headers = { ...this.headers(res), 'x-ratelimit-remaining': '0' };
    const message = 'API rate limit exceeded for user ID 1.';
    if (graphql) sendJson(reply, 200, { errors: [{ type: 'RATE_LIMITED', message }] }, headers);
    else sendJson(reply, 403, basicError(message, 403), headers);
    return false;
  }

  /** Give back a charge (a 304 costs nothing). */
  refund(res: Resource, cost = 1) {
    this.window(res).used -= cost;
  }

  reset() {
    this.windows.clear();
  }

  /** The body of GET /rate_limit. */
  overview() {
    const resources = Object.fromEntries(
      RESOURCES.map((r) => {
        const w = this.window(r);
        return [
          r,
          {
            limit: this.limits[r],
            remaining: this.remaining(r),
            used: w.used,
            reset: Math.ceil(w.resetAt / 1000),
          },
        ];
      }),
    );
    return { resources, rate: resources.core };
  }
}
