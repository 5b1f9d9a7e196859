/**
 * A rolling-window request limit: at most `limit` requests in any `windowMs` (HubSpot's ten-secondly
 * and per-second search limits, Pipedrive's 2-second burst window). Measured on the wall clock:
 * advancing the simulator's clock must not refill it. Rejected requests are not counted, so a client
 * that waits out the window gets through.
 */
export class RollingWindowLimiter {
  readonly windowMs: number;
  #limit: number;
  /** Admission times, oldest first; `#head` skips the expired ones without shifting the array. */
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

  /** Requests the window still admits now; unlimited when the limit is off. */
  remaining(now = Date.now()): number {
    if (this.#limit <= 0) return Number.POSITIVE_INFINITY;
    this.#expire(now);
    return Math.max(0, this.#limit - (this.#times.length - this.#head));
  }

  /** Whole seconds until the oldest admitted request leaves the window (0 when none is in it). */
  resetSeconds(now = Date.now()): number {
    this.#expire(now);
    if (this.#head >= this.#times.length) return 0;
    return Math.max(1, Math.ceil((this.#times[this.#head]! + this.windowMs - now) / 1000));
  }

  #expire(now: number): void {
    const edge = now - this.windowMs;
    while (this.#head < this.#times.length && this.#times[this.#head]! <= edge) this.#head++;
    // Drop the expired prefix now and then, so a long run does not keep every timestamp.
    if (this.#head > 4096) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
  }
}
