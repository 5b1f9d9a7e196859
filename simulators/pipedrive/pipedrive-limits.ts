import { RollingWindowLimiter } from '../kit/rolling-window-limiter.js';
import type { SimResponse } from '../kit/sim-types.js';
import { pipedriveError } from './pipedrive-errors.js';

/** Pipedrive counts its burst limit per token over a rolling 2 seconds. */
const BURST_WINDOW_MS = 2000;

export interface LimitSettings {
  /** Requests per rolling 2 s (Professional api_token: 80). 0 = off. */
  burstLimit: number;
  /** Tokens per day for the company (each call costs its endpoint's token cost). 0 = off. */
  dailyTokenBudget: number;
}

/**
 * Pipedrive's two limits: the 2-second burst window (x-ratelimit-* headers on every response) and the
 * daily token budget (`x-daily-ratelimit-token-remaining`, and `x-daily-requests-left` on writes with
 * an api_token). An exhausted budget answers 429 until the next day: a client must stop, not retry.
 */
export class PipedriveLimits {
  readonly #burst: RollingWindowLimiter;
  #budget: number;
  #used = 0;

  constructor(settings: LimitSettings) {
    this.#burst = new RollingWindowLimiter(settings.burstLimit, BURST_WINDOW_MS);
    this.#budget = settings.dailyTokenBudget;
  }

  settings(): LimitSettings & { readonly tokensUsed: number } {
    return { burstLimit: this.#burst.limit, dailyTokenBudget: this.#budget, tokensUsed: this.#used };
  }

  configure(changes: Partial<LimitSettings> & { resetDailyUsage?: boolean }): void {
    if (changes.burstLimit !== undefined) this.#burst.setLimit(changes.burstLimit);
    if (changes.dailyTokenBudget !== undefined) this.#budget = changes.dailyTokenBudget;
    if (changes.resetDailyUsage) this.#used = 0;
  }

  /** Spends `cost` tokens and one burst slot; returns the 429 to answer when a limit is reached. */
  admit(cost: number, write: boolean, apiToken: boolean): SimResponse | null {
    if (this.#budget > 0 && this.#used + cost > this.#budget) {
      return pipedriveError(
        429,
        'Daily API token budget exceeded',
        { error_info: 'The company has used its daily API token budget. It resets at midnight UTC.' },
        { ...this.headers(write, apiToken), 'x-daily-ratelimit-token-remaining': '0' },
      );
    }
    if (!this.#burst.tryAcquire()) return this.burstExceeded(write, apiToken);
    this.#used += cost;
    return null;
  }

  burstExceeded(write = false, apiToken = true): SimResponse {
    const headers = this.headers(write, apiToken);
    return pipedriveError(
      429,
      'Request over limit',
      { error_info: 'Too many requests in a 2-second window: slow down and retry after x-ratelimit-reset.' },
      { ...headers, 'x-ratelimit-remaining': '0', 'retry-after': headers['x-ratelimit-reset'] ?? '2' },
    );
  }

  headers(write: boolean, apiToken: boolean): Record<string, string> {
    const out: Record<string, string> = {};
    if (this.#burst.limit > 0) {
      out['x-ratelimit-limit'] = String(this.#burst.limit);
      out['x-ratelimit-remaining'] = String(this.#burst.remaining());
      out['x-ratelimit-reset'] = String(Math.max(1, this.#burst.resetSeconds()));
    }
    if (this.#budget > 0) {
      const left = String(Math.max(0, this.#budget - this.#used));
      out['x-daily-ratelimit-token-remaining'] = left;
      // Pipedrive documents this header on POST/PUT with an api_token only.
      if (write && apiToken) out['x-daily-requests-left'] = left;
    }
    return out;
  }
}
