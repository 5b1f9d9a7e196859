import { TideError } from '../core/tide-error.js';
import { backoffMs, sleep } from './backoff.js';
import type { RateLimitWaits } from './rate-limit-waits.js';

/**
 * A 429 from an OAuth token endpoint (Microsoft Entra ID, Zoho's accounts server): no credentials
 * problem and no failed attempt. It is waited out as its `Retry-After` says (backing off by how many
 * 429s came before without one), charged to the run's wait budget like the API's own 429s; once that
 * budget is spent the run stops as partial, its data and cursors kept.
 */
export async function waitOutThrottledToken(options: {
  readonly waits: RateLimitWaits;
  /** The answer's `Retry-After` header (seconds), if any. */
  readonly retryAfter: string | null;
  /** 429s this token fetch has already waited out. */
  readonly throttledBefore: number;
  /** Who throttled, for the error: `Microsoft Entra ID at login.microsoftonline.com`. */
  readonly who: string;
}): Promise<void> {
  const seconds = Number(options.retryAfter);
  const waitMs =
    options.retryAfter !== null &&
    options.retryAfter.trim() !== '' &&
    Number.isFinite(seconds) &&
    seconds >= 0
      ? Math.max(1000, seconds * 1000)
      : Math.max(1000, backoffMs(options.throttledBefore));
  if (!options.waits.claim(waitMs)) {
    throw new TideError(
      'rate_limited',
      `${options.who} rate-limited the token request (HTTP 429) and this run has spent its ${Math.round(options.waits.budgetMs / 1000)} s budget for waiting out rate limits`,
      {
        hint: 'what was loaded so far is kept with its cursor; run again later, or raise rateLimitWaitSeconds in the config',
      },
    );
  }
  await sleep(waitMs);
}
