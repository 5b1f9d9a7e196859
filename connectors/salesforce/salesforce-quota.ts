import { TideError } from '../../core/tide-error.js';

/**
 * The org's daily API allowance as Salesforce reports it (`Sforce-Limit-Info: api-usage=N/M` on every
 * response), and the share of it Tide may spend. Every request checks first: a run stops cleanly
 * before it eats the allowance other integrations of the org depend on.
 */
export class ApiQuota {
  readonly #share: number;
  readonly #staleMs: number;
  readonly #now: () => number;
  #used: number | null = null;
  #allowed: number | null = null;
  #observedAt = 0;

  /**
   * `staleMs`: an observation older than this no longer blocks (the rolling allowance recovers, and
   * only a response can tell), so a long-lived session is not stopped forever by an old reading.
   */
  constructor(share: number, options: { staleMs?: number; now?: () => number } = {}) {
    this.#share = share;
    this.#staleMs = options.staleMs ?? 5 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  get used(): number | null {
    return this.#used;
  }

  get allowed(): number | null {
    return this.#allowed;
  }

  observe(headers: Headers): void {
    const match = /api-usage=(\d+)\/(\d+)/.exec(headers.get('sforce-limit-info') ?? '');
    if (!match) return;
    this.#used = Number(match[1]);
    this.#allowed = Number(match[2]);
    this.#observedAt = this.#now();
  }

  /** Throws `quota_exhausted` once used/allowed has reached the configured share. */
  assertAvailable(): void {
    if (this.#used === null || this.#allowed === null || this.#allowed === 0) return;
    if (this.#used / this.#allowed < this.#share) return;
    if (this.#now() - this.#observedAt > this.#staleMs) return;
    throw new TideError(
      'quota_exhausted',
      `Salesforce API usage is ${this.#used} of ${this.#allowed} daily requests, at the ${Math.round(
        this.#share * 100,
      )}% Tide may use (apiQuotaShare); stopping with the cursor where the loaded data ends`,
      { hint: 'the allowance is a rolling 24 hours: rerun later, or raise apiQuotaShare' },
    );
  }
}

/**
 * Bulk API 2.0 query jobs per day. Salesforce caps them per org (`DailyBulkV2QueryJobs` in
 * `GET /limits`); `bulkJobsDailyCap` is the org-wide count Tide stops creating jobs at. Jobs this run
 * creates are counted as they go. When none are left, reads fall back to REST queries.
 */
export class BulkJobAllowance {
  readonly #cap: number;
  #remaining: number;

  constructor(configuredCap: number) {
    this.#cap = configuredCap;
    this.#remaining = configuredCap;
  }

  /** What `GET /limits` says: `max` jobs a day, `remaining` of them still available to anyone. */
  orgLimits(max: number, remaining: number): void {
    const usedToday = Math.max(0, max - remaining);
    this.#remaining = Math.max(0, Math.min(remaining, this.#cap - usedToday));
  }

  get remaining(): number {
    return this.#remaining;
  }

  /** Takes one job from the allowance; false when none is left. */
  take(): boolean {
    if (this.#remaining <= 0) return false;
    this.#remaining--;
    return true;
  }
}
