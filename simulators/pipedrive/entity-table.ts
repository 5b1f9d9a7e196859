import { SortedView } from './sorted-view.js';

/** Values written after seeding (standard fields, and `custom_fields` by hash key). */
export type WrittenValues = Record<string, unknown> & { custom_fields?: Record<string, unknown> };

/** Deleted records stay visible (flagged) this long, then are gone for good (Pipedrive: 30 days). */
export const DELETED_RETENTION_MS = 30 * 86_400_000;

/**
 * One entity's records as columns: 200,000 persons are a few typed arrays plus an overlay of the
 * values written since seeding; seeded values are regenerated from (seed, base index) on demand.
 * Ids only grow, so slot order is id order.
 */
export class EntityTable {
  /** `persons`, `deals`, … or `leads` (whose UUIDs map onto these numeric serials). */
  readonly name: string;
  readonly overlay = new Map<number, WrittenValues>();
  readonly byUpdate: SortedView;
  readonly byAdd: SortedView;
  #size = 0;
  #ids = new Float64Array(16);
  #add = new Float64Array(16);
  #update = new Float64Array(16);
  #deleted = new Float64Array(16);
  #base = new Int32Array(16);

  constructor(name: string) {
    this.name = name;
    this.byUpdate = new SortedView(() => this.#update);
    this.byAdd = new SortedView(() => this.#add);
  }

  get size(): number {
    return this.#size;
  }

  get maxId(): number {
    return this.#size === 0 ? 0 : this.#ids[this.#size - 1]!;
  }

  append(row: { id: number; addMs: number; updateMs: number; base: number; deletedMs?: number }): number {
    if (row.id <= this.maxId) throw new Error(`${this.name}: new id ${row.id} must be above ${this.maxId}`);
    if (this.#size === this.#ids.length) this.#grow();
    const slot = this.#size++;
    this.#ids[slot] = row.id;
    this.#add[slot] = row.addMs;
    this.#update[slot] = row.updateMs;
    this.#deleted[slot] = row.deletedMs ?? Number.NaN;
    this.#base[slot] = row.base;
    this.byUpdate.touch(slot);
    this.byAdd.touch(slot);
    return slot;
  }

  /** The slot holding `id` (binary search: ids ascend with slots). */
  slotOf(id: number): number | undefined {
    let lo = 0;
    let hi = this.#size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#ids[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.#size && this.#ids[lo] === id ? lo : undefined;
  }

  /** First slot whose id is above `id`. */
  slotAfterId(id: number): number {
    let lo = 0;
    let hi = this.#size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#ids[mid]! <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  id(slot: number): number {
    return this.#ids[slot]!;
  }
  addMs(slot: number): number {
    return this.#add[slot]!;
  }
  updateMs(slot: number): number {
    return this.#update[slot]!;
  }
  deletedMs(slot: number): number {
    return this.#deleted[slot]!;
  }
  base(slot: number): number {
    return this.#base[slot]!;
  }
  isDeleted(slot: number): boolean {
    return !Number.isNaN(this.#deleted[slot]!);
  }

  /** Deleted more than 30 days before `nowMs`: permanently gone. */
  isPurged(slot: number, nowMs: number): boolean {
    return this.isDeleted(slot) && this.#deleted[slot]! < nowMs - DELETED_RETENTION_MS;
  }

  touch(slot: number, ms: number): void {
    this.#update[slot] = ms;
    this.byUpdate.touch(slot);
  }

  markDeleted(slot: number, ms: number): void {
    this.#deleted[slot] = ms;
    this.touch(slot, ms);
  }

  /** Replaces a row's times and base (NDJSON load of an existing id). */
  reset(slot: number, row: { addMs: number; updateMs: number; base: number; deletedMs: number }): void {
    this.#add[slot] = row.addMs;
    this.#base[slot] = row.base;
    this.#deleted[slot] = row.deletedMs;
    this.byAdd.touch(slot);
    this.touch(slot, row.updateMs);
  }

  /** Merges written values into the overlay (custom fields merge key by key). */
  write(slot: number, values: WrittenValues): void {
    const current = this.overlay.get(slot) ?? {};
    const { custom_fields: custom, ...rest } = values;
    const next: WrittenValues = { ...current, ...rest };
    if (custom !== undefined) next.custom_fields = { ...current.custom_fields, ...custom };
    this.overlay.set(slot, next);
  }

  #grow(): void {
    const cap = this.#ids.length * 2;
    const f64 = (old: Float64Array): Float64Array<ArrayBuffer> => {
      const next = new Float64Array(cap);
      next.set(old);
      return next;
    };
    this.#ids = f64(this.#ids);
    this.#add = f64(this.#add);
    this.#update = f64(this.#update);
    this.#deleted = f64(this.#deleted);
    const base = new Int32Array(cap);
    base.set(this.#base);
    this.#base = base;
  }
}
