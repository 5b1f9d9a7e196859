/** How long one run may spend waiting out CRM rate limits when the config does not say (30 min). */
export const DEFAULT_RATE_LIMIT_WAIT_SECONDS = 1800;

/**
 * The run's budget for waiting out rate limits (429s and the vendors' equivalents). A rate-limit answer
 * is not an error: the HTTP client waits as the vendor says and asks again, as often as it takes. What
 * bounds it is this budget, shared by every account and stream of one run, so a nightly load cannot
 * hang for hours behind a vendor that keeps saying "later"; when it is spent the affected streams stop
 * as partial (their data and cursors kept) instead of failing.
 *
 * Charged in wall-clock time the run is held: waits that overlap (four streams told to wait the same
 * ten seconds) cost the time they cover together, once, not four times.
 */
export class RateLimitWaits {
  readonly budgetMs: number;
  readonly #now: () => number;
  #spentMs = 0;
  /** The end of the latest wait granted: time before it is already paid for. */
  #coveredUntil = 0;
  #waits = 0;

  constructor(options: { readonly budgetMs: number; readonly now?: () => number }) {
    this.budgetMs = options.budgetMs;
    this.#now = options.now ?? Date.now;
  }

  /** Wall-clock milliseconds the run has been held by rate limits. */
  get spentMs(): number {
    return this.#spentMs;
  }

  /** Rate-limit answers waited out. */
  get waits(): number {
    return this.#waits;
  }

  /**
   * Asks to wait `ms` from now. Granted (true) when the budget covers the part of the wait no earlier
   * wait already covers; refused (false, nothing charged) when it does not.
   */
  claim(ms: number): boolean {
    const now = this.#now();
    const end = now + ms;
    const extra = Math.max(0, end - Math.max(now, this.#coveredUntil));
    if (this.#spentMs + extra > this.budgetMs) return false;
    this.#spentMs += extra;
    this.#coveredUntil = Math.max(this.#coveredUntil, end);
    this.#waits++;
    return true;
  }
}

/** A client's own budget of the default size, for one used outside a run (tests, a one-off probe). */
export function defaultRateLimitWaits(): RateLimitWaits {
  return new RateLimitWaits({ budgetMs: DEFAULT_RATE_LIMIT_WAIT_SECONDS * 1000 });
}
