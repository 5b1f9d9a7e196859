import { sleep } from './backoff.js';

/**
 * A request budget shared by everything that talks to one CRM account (all extract streams and the
 * reverse writers), so parallel work approaches the vendor's limit without crossing it.
 */
export interface RateBudget {
  /** Waits until one more request fits in the window. Every acquire is followed by one `release`. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** The request acquired earlier has its answer (or failed): its slot starts leaving the window. */
  release(): void;
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

/** How often a budget whose every slot is in flight looks again (slots free on answers, not time). */
const IN_FLIGHT_POLL_MS = 10;

/**
 * A rolling window of `limit` requests per `windowMs`. The vendor's headers win over the configured
 * numbers: a new `limit` replaces ours, and `remaining: 0` pauses until the window resets.
 *
 * The vendor counts a request when it ARRIVES, somewhere between our sending it and our reading its
 * answer; counting it from the moment it left (as a plain client-side window does) lets a request
 * that travelled slowly and one sent a window later land in the same vendor window, and the 429 then
 * costs a whole interval. So a request holds its slot while in flight and for a full window after its
 * answer: by the time the slot is free, the vendor's window has certainly let it go too. This costs
 * one round trip of throughput per window, and needs no guessed margin.
 */
export class RollingWindowBudget implements RateBudget {
  #limit: number;
  readonly #windowMs: number;
  #inFlight = 0;
  /** When answered requests got their answers, oldest first. */
  readonly #answered: number[] = [];
  #pausedUntil = 0;
  readonly #now: () => number;
  /** Whether the account's window may hold requests this process did not send (see the option). */
  readonly #shared: boolean;
  /** Shared: no answer yet, so what the vendor's window already holds is unknown. */
  #probing: boolean;

  /**
   * `sharedAccount`: other processes or keys spend from the same vendor window (ActiveCampaign's
   * limit is per account, every key and the previous `tide` command included). Then the first request
   * goes out alone, and every answer's `remaining` that counts more requests than this process has
   * in the window adds the difference as slots held for one window: a run started right after
   * another no longer sends its first burst into a window the last one filled.
   *
   * `fullAtStart`: the same, for a vendor whose answers never say how full its window is (HubSpot's
   * search responses carry no rate headers): the budget starts as if a whole window had just been
   * spent, so a command's first request waits at most one window instead of landing on the searches
   * of the command that ran just before it.
   */
  constructor(options: {
    limit: number;
    windowMs: number;
    now?: () => number;
    sharedAccount?: boolean;
    fullAtStart?: boolean;
  }) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#now = options.now ?? Date.now;
    this.#shared = options.sharedAccount === true;
    this.#probing = this.#shared;
    // A window already full of others' requests: nothing goes out until it has passed.
    if (options.fullAtStart === true) this.#pausedUntil = this.#now() + this.#windowMs;
  }

  get limit(): number {
    return this.#limit;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.#now();
      while (this.#answered.length > 0 && this.#answered[0]! <= now - this.#windowMs) this.#answered.shift();
      const pauseLeft = this.#pausedUntil - now;
      const used = this.#inFlight + this.#answered.length;
      const limit = this.#probing ? 1 : this.#limit;
      if (pauseLeft <= 0 && used < limit) {
        this.#inFlight++;
        return;
      }
      // Full: the oldest answered slot leaves the window first; with every slot in flight, the next
      // answer frees one, so look again soon.
      const windowLeft = this.#probing
        ? IN_FLIGHT_POLL_MS
        : used < this.#limit
          ? 0
          : this.#answered.length > 0
            ? this.#answered[0]! + this.#windowMs - now
            : IN_FLIGHT_POLL_MS;
      await sleep(Math.max(1, pauseLeft, windowLeft), signal);
    }
  }

  release(): void {
    if (this.#inFlight === 0) return;
    this.#inFlight--;
    this.#answered.push(this.#now());
    this.#probing = false;
  }

  observe(signal: RateSignal): void {
    if (signal.limit !== undefined && signal.limit > 0) this.#limit = signal.limit;
    if (this.#shared && signal.remaining !== undefined) {
      // Ours are all counted (in flight or answered within a window); what the vendor counts
      // beyond them was sent by someone else, and leaves its window no later than ours do.
      const others = Math.min(
        this.#limit,
        this.#limit - signal.remaining - (this.#inFlight + this.#answered.length),
      );
      for (let i = 0; i < others; i++) this.#answered.push(this.#now());
    }
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
  release(): void {}
  observe(): void {}
  pauseFor(): void {}
}
