/**
 * Live records ordered by (last-modified, id), so an incremental search is a binary search plus a
 * slice instead of a scan of the table. Writes only mark slots as pending; the next read merges them
 * back in one O(n) pass, so a burst of writes costs one rebuild, not one per write.
 */
export class ModifiedIndex {
  readonly #modified: () => Float64Array;
  readonly #ids: () => Float64Array;
  readonly #isLive: (slot: number) => boolean;
  #sorted = new Int32Array(0);
  #pending = new Set<number>();

  constructor(columns: {
    modified: () => Float64Array;
    ids: () => Float64Array;
    isLive: (slot: number) => boolean;
  }) {
    this.#modified = columns.modified;
    this.#ids = columns.ids;
    this.#isLive = columns.isLive;
  }

  /** Marks a slot whose last-modified or archived state changed (or a new slot). */
  touch(slot: number): void {
    this.#pending.add(slot);
  }

  /** Live slots sorted by (last-modified, id). */
  sorted(): Int32Array {
    if (this.#pending.size > 0) this.#rebuild();
    return this.#sorted;
  }

  /** First position whose last-modified is >= ms. */
  lowerBound(ms: number): number {
    return this.#search((m) => m < ms);
  }

  /** First position whose last-modified is > ms. */
  upperBound(ms: number): number {
    return this.#search((m) => m <= ms);
  }

  #search(before: (modified: number) => boolean): number {
    const sorted = this.sorted();
    const modified = this.#modified();
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(modified[sorted[mid]!]!)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #rebuild(): void {
    const modified = this.#modified();
    const ids = this.#ids();
    const compare = (a: number, b: number): number => modified[a]! - modified[b]! || ids[a]! - ids[b]!;
    const pending = this.#pending;
    const fresh = Int32Array.from([...pending].filter((slot) => this.#isLive(slot)));
    fresh.sort(compare);
    const old = this.#sorted;
    const out = new Int32Array(old.length + fresh.length);
    let n = 0;
    let j = 0;
    for (let i = 0; i < old.length; i++) {
      const slot = old[i]!;
      if (pending.has(slot)) continue;
      while (j < fresh.length && compare(fresh[j]!, slot) < 0) out[n++] = fresh[j++]!;
      out[n++] = slot;
    }
    while (j < fresh.length) out[n++] = fresh[j++]!;
    this.#sorted = out.subarray(0, n);
    this.#pending = new Set();
  }
}
