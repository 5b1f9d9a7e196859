import { sleep } from './backoff.js';

/**
 * A request budget shared by everything that talks to one CRM account (all extract streams and the
 * reverse writers), so parallel work approaches the vendor's limit without crossing it.
 */
export interface RateBudget {
  /** Waits until one more request fits in the window. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** What the vendor's rate-limit headers said after a response. */
  observe(signal: RateSignal): void;
  /** The vendor said stop (429): nobody sends before `ms` from now. */
  pauseFor(ms: number): void;
}

export interface RateSignal {
  readonly limit?: number | undefined;
  readonly remaining?: number | undefined;
  /** Milliseconds until the window has room again. */
  readonly resetMs?: number | undefined;
}

/**
 * A rolling window of `limit` requests per `windowMs`. The vendor's headers win over the configured
 * numbers: a new `limit` replaces ours, and `remaining: 0` pauses until the window resets.
 */
export class RollingWindowBudget implements RateBudget {
  #limit: number;
  readonly #windowMs: number;
  readonly #sent: number[] = [];
  #pausedUntil = 0;
  readonly #now: () => number;

  constructor(options: { limit: number; windowMs: number; now?: () => number }) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#now = options.now ?? Date.now;
  }

  get limit(): number {
    return this.#limit;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.#now();
      while (this.#sent.length > 0 && this.#sent[0]! <= now - this.#windowMs) this.#sent.shift();
      const pauseLeft = this.#pausedUntil - now;
      if (pauseLeft <= 0 && this.#sent.length < this.#limit) {
        this.#sent.push(now);
        return;
      }
      const windowLeft = this.#sent.length >= this.#limit ? this.#sent[0]! + this.#windowMs - now : 0;
      await sleep(Math.max(1, pauseLeft, windowLeft), signal);
    }
  }

  observe(signal: RateSignal): void {
    if (signal.limit !== undefined && signal.limit > 0) this.#limit = signal.limit;
    if (signal.remaining !== undefined && signal.remaining <= 0 && signal.resetMs !== undefined) {
      this.pauseFor(signal.resetMs);
    }
  }

  pauseFor(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
  }
}

/** For accounts where nothing should be throttled locally (tests of raw throughput). */
export class UnlimitedBudget implements RateBudget {
  async acquire(): Promise<void> {}
  observe(): void {}
  pauseFor(): void {}
}
