/**
 * A rolling-window request limit (HubSpot's "ten_secondly_rolling" and the search API's per-second
 * limit). Measured on the wall clock: advancing the simulator's clock must not refill the bucket.
 * Rejected requests are not counted, so a client that waits out the window gets through.
 */
export class RollingWindowLimiter {
  readonly windowMs: number;
  #limit: number;
  #times: number[] = [];
  #head = 0;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.windowMs = windowMs;
  }

  get limit(): number {
    return this.#limit;
  }

  /** 0 turns the limit off. */
  setLimit(limit: number): void {
    this.#limit = limit;
    this.#times = [];
    this.#head = 0;
  }

  /** Admits one request if the window has room; returns whether it was admitted. */
  tryAcquire(now = Date.now()): boolean {
    if (this.#limit <= 0) return true;
    this.#expire(now);
    if (this.#times.length - this.#head >= this.#limit) return false;
    this.#times.push(now);
    return true;
  }

  remaining(now = Date.now()): number {
    if (this.#limit <= 0) return Number.POSITIVE_INFINITY;
    this.#expire(now);
    return Math.max(0, this.#limit - (this.#times.length - this.#head));
  }

  #expire(now: number): void {
    while (this.#head < this.#times.length && this.#times[this.#head]! <= now - this.windowMs) this.#head++;
    if (this.#head > 1024) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
  }
}
