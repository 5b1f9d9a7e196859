import { TideError } from '../core/tide-error.js';
import { sleep } from './backoff.js';
import type { RateBudget } from './rate-budget.js';
import type { RateLimitWaits } from './rate-limit-waits.js';

/**
 * A vendor that answers a rate limit with "retry after 0" is still asked to wait this long, so a
 * vendor stuck on 429 spends the run's wait budget instead of being hammered in a tight loop.
 */
const MIN_RATE_LIMIT_WAIT_MS = 100;

/**
 * The vendor said "not now": `spend` (the whole account, as every request of it would get the same
 * answer) pauses for as long as it asked, charged to the run's wait budget. When the budget cannot
 * cover the wait, the request stops with `rate_limited`, which the stages treat as partial: data and
 * cursors so far are kept, and the next run carries on.
 */
export async function waitOutRateLimit(limit: {
  readonly waits: RateLimitWaits;
  readonly vendor: string;
  readonly afterMs: number;
  readonly reason: string;
  readonly spend: RateBudget;
  /** The request that was limited, for the error: `GET /crm/v3/objects/contacts`. */
  readonly what: string;
  readonly signal: AbortSignal | undefined;
}): Promise<void> {
  const ms = Math.max(MIN_RATE_LIMIT_WAIT_MS, limit.afterMs);
  if (!limit.waits.claim(ms)) {
    const budget = Math.round(limit.waits.budgetMs / 1000);
    throw new TideError(
      'rate_limited',
      `${limit.vendor} ${limit.what} is still rate limited (${limit.reason}) and this run has spent its ${budget} s budget for waiting out rate limits`,
      {
        hint: 'what was loaded so far is kept with its cursor; run again later, or raise rateLimitWaitSeconds in the config',
      },
    );
  }
  limit.spend.pauseFor(ms);
  await sleep(ms, limit.signal);
}
