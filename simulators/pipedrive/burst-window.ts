/**
 * Pipedrive's burst limit: at most `limit` requests per token in any rolling 2-second window. Kept on
 * the wall clock (advancing the simulator clock must not refill it); rejected requests do not count.
 */
export class BurstWindow {
  static readonly WINDOW_MS = 2000;
  #limit: number;
  #times: number[] = [];
  #head = 0;

  constructor(limit: number) {
    this.#limit = limit;
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

  tryAcquire(now = Date.now()): boolean {
    if (this.#limit <= 0) return true;
    this.#expire(now);
    if (this.#times.length - this.#head >= this.#limit) return false;
    this.#times.push(now);
    return true;
  }

  remaining(now = Date.now()): number {
    this.#expire(now);
    return Math.max(0, this.#limit - (this.#times.length - this.#head));
  }

  /** Whole seconds until the oldest request in the window leaves it (room for one more). */
  resetSeconds(now = Date.now()): number {
    this.#expire(now);
    if (this.#head >= this.#times.length) return 0;
    return Math.max(1, Math.ceil((this.#times[this.#head]! + BurstWindow.WINDOW_MS - now) / 1000));
  }

  #expire(now: number): void {
    const edge = now - BurstWindow.WINDOW_MS;
    while (this.#head < this.#times.length && this.#times[this.#head]! <= edge) this.#head++;
    if (this.#head > 4096) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
  }
}
