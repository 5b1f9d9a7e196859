import type { SimResponse } from '../kit/sim-types.js';
import { zohoError } from './zoho-errors.js';

export interface LimitSettings {
  /** API credits per rolling 24 h (Enterprise with 10 users: 60,000). 0 = off. */
  dailyCredits: number;
  /** Calls in flight at once per org and app (Standard: 10, Enterprise: 20). 0 = off. */
  concurrency: number;
  /** Heavy calls in flight (writes of more than 10 records, COQL): 10 on every edition. 0 = off. */
  heavyConcurrency: number;
  /** Bulk Read result downloads per rolling minute (Zoho: 10). 0 = off. */
  downloadsPerMinute: number;
}

const DAY = 86_400_000;

/**
 * Zoho's limits (PROTOCOL-FACTS-ZOHO… §1 "Limits & 429"): credits per rolling 24 h spent by call cost
 * (Records GET 1, COQL 1–3 by LIMIT, writes 1 per 10 records), concurrent calls per org, a lower
 * sub-concurrency for heavy calls, and Bulk Read downloads per minute. Over any of them: 429
 * TOO_MANY_REQUESTS. `X-API-CREDITS-REMAINING` is sent once half the day's credits are used.
 * Credits are measured on the wall clock, like every rate window of the kit.
 */
export class ZohoLimits {
  #settings: LimitSettings;
  readonly #spent: { at: number; cost: number }[] = [];
  #used = 0;
  #inFlight = 0;
  #heavyInFlight = 0;
  readonly #downloads: number[] = [];

  constructor(settings: LimitSettings) {
    this.#settings = { ...settings };
  }

  settings(): LimitSettings & { readonly creditsUsed: number } {
    return { ...this.#settings, creditsUsed: this.#used };
  }

  configure(changes: Partial<LimitSettings>): void {
    this.#settings = { ...this.#settings, ...changes };
    if (changes.dailyCredits !== undefined) {
      this.#spent.length = 0;
      this.#used = 0;
    }
  }

  /**
   * Admits one call of `cost` credits (heavy or not); returns the 429 to answer instead, or a release
   * function to call when the response is sent.
   */
  admit(cost: number, heavy: boolean): { refused: SimResponse } | { release: () => void } {
    const s = this.#settings;
    const now = Date.now();
    while (this.#spent.length > 0 && this.#spent[0]!.at <= now - DAY) this.#used -= this.#spent.shift()!.cost;
    if (s.dailyCredits > 0 && this.#used + cost > s.dailyCredits) return { refused: this.creditsExhausted() };
    if (s.concurrency > 0 && this.#inFlight >= s.concurrency) return { refused: this.concurrencyExceeded() };
    if (heavy && s.heavyConcurrency > 0 && this.#heavyInFlight >= s.heavyConcurrency) {
      return { refused: this.concurrencyExceeded() };
    }
    if (cost > 0) {
      this.#spent.push({ at: now, cost });
      this.#used += cost;
    }
    this.#inFlight++;
    if (heavy) this.#heavyInFlight++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight--;
        if (heavy) this.#heavyInFlight--;
      },
    };
  }

  /** One Bulk Read download; false when the per-minute cap is reached. */
  admitDownload(): boolean {
    const cap = this.#settings.downloadsPerMinute;
    if (cap <= 0) return true;
    const now = Date.now();
    while (this.#downloads.length > 0 && this.#downloads[0]! <= now - 60_000) this.#downloads.shift();
    if (this.#downloads.length >= cap) return false;
    this.#downloads.push(now);
    return true;
  }

  /** `X-API-CREDITS-REMAINING`, sent past half the day's credits. */
  headers(): Record<string, string> {
    const total = this.#settings.dailyCredits;
    if (total <= 0 || this.#used * 2 < total) return {};
    return { 'X-API-CREDITS-REMAINING': String(Math.max(0, total - this.#used)) };
  }

  creditsExhausted(): SimResponse {
    return zohoError(
      429,
      'TOO_MANY_REQUESTS',
      'You have exceeded the API credit limit for the day. Please try again later.',
      {},
      { 'X-API-CREDITS-REMAINING': '0' },
    );
  }

  concurrencyExceeded(): SimResponse {
    return zohoError(
      429,
      'TOO_MANY_REQUESTS',
      'The number of concurrent requests has exceeded the limit.',
      {},
    );
  }
}
