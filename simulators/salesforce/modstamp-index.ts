/**
 * Records of one object ordered by (SystemModstamp, Id), as one sorted Float64Array of keys
 * `seconds × 2^22 + seq`. SystemModstamp has whole-second precision in Salesforce, so the key is an
 * exact integer below 2^53; sequence numbers sort like ids. A range scan from a timestamp is a binary
 * search, and a record that changes moves with one memmove: no per-request work grows with the table.
 */
export const SEQ_SPACE = 2 ** 22;

export function indexKey(seconds: number, seq: number): number {
  return seconds * SEQ_SPACE + seq;
}

export function keySeq(key: number): number {
  return key % SEQ_SPACE;
}

export function keySeconds(key: number): number {
  return Math.floor(key / SEQ_SPACE);
}

export class ModstampIndex {
  #keys: Float64Array;
  #length = 0;

  constructor(capacity = 1024) {
    this.#keys = new Float64Array(Math.max(16, capacity));
  }

  /** Builds the index from unsorted keys in one native sort. */
  static fromKeys(keys: Float64Array): ModstampIndex {
    const index = new ModstampIndex(keys.length + 1024);
    index.#keys.set(keys);
    index.#length = keys.length;
    index.#keys.subarray(0, keys.length).sort();
    return index;
  }

  get length(): number {
    return this.#length;
  }

  at(position: number): number {
    return this.#keys[position]!;
  }

  /** First position whose key is >= `key`. */
  lowerBound(key: number): number {
    let lo = 0;
    let hi = this.#length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(key: number): void {
    if (this.#length === this.#keys.length) {
      const grown = new Float64Array(this.#keys.length * 2);
      grown.set(this.#keys);
      this.#keys = grown;
    }
    const at = this.lowerBound(key);
    this.#keys.copyWithin(at + 1, at, this.#length);
    this.#keys[at] = key;
    this.#length++;
  }

  remove(key: number): void {
    const at = this.lowerBound(key);
    if (at >= this.#length || this.#keys[at] !== key) return;
    this.#keys.copyWithin(at, at + 1, this.#length);
    this.#length--;
  }
}
