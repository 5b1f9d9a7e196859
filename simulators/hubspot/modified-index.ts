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

  /** Indexes slots 0..size-1 from scratch (after seeding). */
  rebuildAll(size: number): void {
    const live = new Int32Array(size);
    let n = 0;
    for (let slot = 0; slot < size; slot++) if (this.#isLive(slot)) live[n++] = slot;
    const modified = this.#modified();
    const ids = this.#ids();
    this.#sorted = live.subarray(0, n).sort((a, b) => modified[a]! - modified[b]! || ids[a]! - ids[b]!);
    this.#pending = new Set();
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
    let maxSlot = 0;
    for (const slot of this.#pending) maxSlot = Math.max(maxSlot, slot);
    // A byte per slot marks the pending ones: far cheaper than a Set lookup per indexed slot.
    const marked = new Uint8Array(maxSlot + 1);
    for (const slot of this.#pending) marked[slot] = 1;
    const fresh = Int32Array.from([...this.#pending].filter((slot) => this.#isLive(slot)));
    fresh.sort(compare);
    // Drop the pending slots from the old order in one tight pass…
    const old = this.#sorted;
    const kept = new Int32Array(old.length);
    let k = 0;
    for (let i = 0; i < old.length; i++) {
      const slot = old[i]!;
      if (slot > maxSlot || marked[slot] === 0) kept[k++] = slot;
    }
    // …then splice each fresh slot in at its binary-searched place (usually all at the end).
    const out = new Int32Array(k + fresh.length);
    let n = 0;
    let from = 0;
    for (let j = 0; j < fresh.length; j++) {
      let lo = from;
      let hi = k;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compare(kept[mid]!, fresh[j]!) < 0) lo = mid + 1;
        else hi = mid;
      }
      out.set(kept.subarray(from, lo), n);
      n += lo - from;
      out[n++] = fresh[j]!;
      from = lo;
    }
    out.set(kept.subarray(from, k), n);
    n += k - from;
    this.#sorted = out.subarray(0, n);
    this.#pending = new Set();
  }
}
