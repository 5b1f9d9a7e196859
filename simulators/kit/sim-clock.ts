/**
 * The simulator's notion of now. Tests advance it to make "records modified later" without waiting;
 * it only ever moves forward so last-modified values stay monotonic per record.
 */
export class SimClock {
  #offsetMs = 0;
  #last = 0;

  now(): number {
    // Strictly increasing is not required (ties are the point), but never backwards.
    const t = Math.max(Date.now() + this.#offsetMs, this.#last);
    this.#last = t;
    return t;
  }

  advance(ms: number): void {
    this.#offsetMs += ms;
  }
}
