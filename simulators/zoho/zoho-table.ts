/** A value as the store keeps it: datetimes as epoch ms numbers, lookups as `{name, id}`. */
export type StoredValues = Record<string, unknown>;

export interface Deletion {
  readonly type: 'recycle' | 'permanent';
  readonly ms: number;
  readonly name: string;
}

/**
 * The records of one module. Seeded records are recomputed on demand from their seed reference (a
 * million seeded contacts cost a few numbers each), with written values in an overlay. Ids are 19-digit
 * strings of fixed width, so their string order is their numeric order and a slot's id never changes.
 * Last-modified times are whole seconds, as Zoho's are: many records share one.
 */
export class ModuleTable {
  readonly module: string;
  readonly #prefix: string;
  readonly #seeded: (ref: number) => StoredValues;
  readonly #ref: number[] = [];
  readonly #created: number[] = [];
  readonly #modified: number[] = [];
  readonly #overlay = new Map<number, StoredValues>();
  readonly #deleted = new Map<number, Deletion>();
  #order: number[] | null = null;

  constructor(module: string, code: number, seeded: (ref: number) => StoredValues) {
    this.module = module;
    this.#prefix = `41508680${String(code).padStart(2, '0')}`;
    this.#seeded = seeded;
  }

  get size(): number {
    return this.#ref.length;
  }

  idOf(slot: number): string {
    return `${this.#prefix}${String(slot).padStart(9, '0')}`;
  }

  /** The live or deleted slot of an id; null for ids this table never issued. */
  slotOf(id: string): number | null {
    if (id.length !== 19 || !id.startsWith(this.#prefix)) return null;
    const slot = Number(id.slice(10));
    return Number.isInteger(slot) && slot < this.#ref.length ? slot : null;
  }

  isLive(slot: number): boolean {
    return slot >= 0 && slot < this.#ref.length && !this.#deleted.has(slot);
  }

  refOf(slot: number): number {
    return this.#ref[slot] ?? -1;
  }

  createdMs(slot: number): number {
    return this.#created[slot]!;
  }

  modifiedMs(slot: number): number {
    return this.#modified[slot]!;
  }

  /** Every field value of a record (seeded, then written over). */
  values(slot: number): StoredValues {
    const ref = this.#ref[slot]!;
    const seeded = ref >= 0 ? this.#seeded(ref) : {};
    const written = this.#overlay.get(slot);
    return written === undefined ? seeded : { ...seeded, ...written };
  }

  /** A seeded record (ref ≥ 0) or one created through the API (ref −1, values in the overlay). */
  add(ref: number, createdMs: number, modifiedMs: number, values?: StoredValues): number {
    const slot = this.#ref.length;
    this.#ref.push(ref);
    this.#created.push(second(createdMs));
    this.#modified.push(second(modifiedMs));
    if (values !== undefined) this.#overlay.set(slot, { ...values });
    this.#order = null;
    return slot;
  }

  write(slot: number, values: StoredValues, nowMs: number): void {
    this.#overlay.set(slot, { ...(this.#overlay.get(slot) ?? {}), ...values });
    this.touch(slot, nowMs);
  }

  touch(slot: number, nowMs: number): void {
    this.#modified[slot] = second(nowMs);
    this.#order = null;
  }

  delete(slot: number, nowMs: number, type: Deletion['type'], name: string): void {
    this.#deleted.set(slot, { type, ms: second(nowMs), name });
    this.#order = null;
  }

  /** Empties the recycle bin entry: the record is now permanently deleted (at `nowMs`). */
  purge(slot: number, nowMs: number): void {
    const d = this.#deleted.get(slot);
    if (d !== undefined) this.#deleted.set(slot, { ...d, type: 'permanent', ms: second(nowMs) });
  }

  deletion(slot: number): Deletion | undefined {
    return this.#deleted.get(slot);
  }

  deletions(): IterableIterator<[number, Deletion]> {
    return this.#deleted.entries();
  }

  /** Live slots ordered by (Modified_Time, id): the order `sort_by=Modified_Time` lists them in. */
  byModified(): readonly number[] {
    if (this.#order === null) {
      const live: number[] = [];
      for (let slot = 0; slot < this.#ref.length; slot++) if (!this.#deleted.has(slot)) live.push(slot);
      const modified = this.#modified;
      live.sort((a, b) => modified[a]! - modified[b]! || a - b);
      this.#order = live;
    }
    return this.#order;
  }

  /** Live slots in id order. */
  *live(): Generator<number> {
    for (let slot = 0; slot < this.#ref.length; slot++) if (!this.#deleted.has(slot)) yield slot;
  }

  /** The first index of `byModified()` whose Modified_Time is strictly after `ms`. */
  firstModifiedAfter(ms: number): number {
    const order = this.byModified();
    const modified = this.#modified;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (modified[order[mid]!]! > ms) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

function second(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
