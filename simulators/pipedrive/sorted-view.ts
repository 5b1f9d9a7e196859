/**
 * Slots ordered by (key, id) for one timestamp column, so a list sorted by update_time or add_time
 * finds its first row with a binary search instead of a scan. Writes only mark slots; the next read
 * merges the marked ones back in one pass, so a burst of writes costs one merge, not one per write.
 * Slot order equals id order in an EntityTable, so comparing slots breaks key ties by id.
 */
export class SortedView {
  readonly #key: () => Float64Array;
  #order = new Int32Array(0);
  readonly #dirty = new Set<number>();

  constructor(key: () => Float64Array) {
    this.#key = key;
  }

  touch(slot: number): void {
    this.#dirty.add(slot);
  }

  get length(): number {
    return this.order().length;
  }

  order(): Int32Array {
    if (this.#dirty.size > 0) this.#merge();
    return this.#order;
  }

  /** First position whose (key, slot) sorts after (ms, slot); slot -1 = before every slot at ms. */
  after(ms: number, slot: number): number {
    const order = this.order();
    const key = this.#key();
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = order[mid]!;
      const k = key[s]!;
      if (k < ms || (k === ms && s <= slot)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #merge(): void {
    const key = this.#key();
    const known = this.#order.length;
    const before = (a: number, b: number): boolean => key[a]! < key[b]! || (key[a] === key[b] && a < b);
    const fresh = Int32Array.from(this.#dirty).sort((a, b) => key[a]! - key[b]! || a - b);
    // Every slot below `known` is already in the order (slots are dense); higher ones are new.
    let added = 0;
    for (const slot of fresh) if (slot >= known) added++;
    const out = new Int32Array(known + added);
    let n = 0;
    let j = 0;
    for (const slot of this.#order) {
      if (this.#dirty.has(slot)) continue;
      while (j < fresh.length && before(fresh[j]!, slot)) out[n++] = fresh[j++]!;
      out[n++] = slot;
    }
    while (j < fresh.length) out[n++] = fresh[j++]!;
    this.#order = out;
    this.#dirty.clear();
  }
}
