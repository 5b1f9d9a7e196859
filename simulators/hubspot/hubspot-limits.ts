import { RollingWindowLimiter } from '../kit/rolling-window-limiter.js';
import type { SimResponse } from '../kit/sim-types.js';
import { type RatePolicy, rateLimited } from './hubspot-errors.js';

export interface LimitSettings {
  /** Requests per rolling 10 s on every endpoint but search (Professional/Enterprise private apps: 190). */
  burstLimit: number;
  /** Search requests per second (HubSpot: 5). */
  searchPerSecond: number;
  /** Requests per day (Enterprise: 1,000,000). */
  dailyLimit: number;
}

const TEN_SECONDS = 10_000;

/**
 * HubSpot's three request limits. The burst and daily counters show in X-HubSpot-RateLimit-* headers
 * on every non-search response; search has its own per-second limit and sends no such headers.
 * 0 turns a limit off (and drops its headers).
 */
export class HubspotLimits {
  readonly #burst: RollingWindowLimiter;
  readonly #search: RollingWindowLimiter;
  #dailyLimit: number;
  #dailyUsed = 0;

  constructor(settings: LimitSettings) {
    this.#burst = new RollingWindowLimiter(settings.burstLimit, TEN_SECONDS);
    this.#search = new RollingWindowLimiter(settings.searchPerSecond, 1000);
    this.#dailyLimit = settings.dailyLimit;
  }

  settings(): LimitSettings {
    return {
      burstLimit: this.#burst.limit,
      searchPerSecond: this.#search.limit,
      dailyLimit: this.#dailyLimit,
    };
  }

  configure(changes: Partial<LimitSettings>): void {
    if (changes.burstLimit !== undefined) this.#burst.setLimit(changes.burstLimit);
    if (changes.searchPerSecond !== undefined) this.#search.setLimit(changes.searchPerSecond);
    if (changes.dailyLimit !== undefined) {
      this.#dailyLimit = changes.dailyLimit;
      this.#dailyUsed = 0;
    }
  }

  /** Spends one request; returns the 429 to answer when a limit is reached. */
  admit(search: boolean): SimResponse | null {
    if (this.#dailyLimit > 0 && this.#dailyUsed >= this.#dailyLimit)
      return rateLimited('DAILY', search ? {} : this.headers());
    if (search) {
      if (!this.#search.tryAcquire()) return rateLimited('SECONDLY');
    } else if (!this.#burst.tryAcquire()) {
      return this.burstExceeded();
    }
    this.#dailyUsed++;
    return null;
  }

  /** The ten-secondly 429, with its headers (also used for injected fault storms). */
  burstExceeded(): SimResponse {
    return rateLimited('TEN_SECONDLY_ROLLING' satisfies RatePolicy, {
      ...this.headers(),
      'X-HubSpot-RateLimit-Remaining': '0',
    });
  }

  headers(): Record<string, string> {
    const out: Record<string, string> = {};
    if (this.#dailyLimit > 0) {
      out['X-HubSpot-RateLimit-Daily'] = String(this.#dailyLimit);
      out['X-HubSpot-RateLimit-Daily-Remaining'] = String(Math.max(0, this.#dailyLimit - this.#dailyUsed));
    }
    if (this.#burst.limit > 0) {
      out['X-HubSpot-RateLimit-Interval-Milliseconds'] = String(TEN_SECONDS);
      out['X-HubSpot-RateLimit-Max'] = String(this.#burst.limit);
      out['X-HubSpot-RateLimit-Remaining'] = String(this.#burst.remaining());
    }
    return out;
  }
}
