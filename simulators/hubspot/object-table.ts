import type { ObjectType } from './hubspot-object-types.js';
import { ModifiedIndex } from './modified-index.js';

export type PropertyValues = Record<string, string | null>;

export interface RowInput {
  readonly id: number;
  readonly createdMs: number;
  readonly modifiedMs: number;
  /** NaN when live. */
  readonly archivedMs: number;
  /** Index into the seeded generator, or -1 when every property lives in the overlay. */
  readonly base: number;
  /** Generator-specific flags (duplicate, merge winner, …). */
  readonly kind: number;
}

/**
 * One object type's records, stored as columns: a million contacts are a few typed arrays plus an
 * overlay of the properties written since seeding. Seeded properties are recomputed from
 * (seed, base index) on demand instead of being held in memory.
 */
export class ObjectTable {
  readonly type: ObjectType;
  /** Properties written after seeding, by slot (they win over seeded values). */
  readonly overlay = new Map<number, PropertyValues>();
  #size = 0;
  #seededSize: number | null = null;
  #ids = new Float64Array(16);
  #created = new Float64Array(16);
  #modified = new Float64Array(16);
  #archived = new Float64Array(16);
  #base = new Int32Array(16);
  #kind = new Uint8Array(16);
  /** Ids of rows added after seeding (seeded ids follow `first + slot × step` and need no map). */
  readonly #slotById = new Map<number, number>();
  #seededIds: { first: number; step: number } | null = null;
  #maxId = 0;
  #idOrdered = true;
  #idOrder: Int32Array | null = null;
  readonly #index: ModifiedIndex;
  /** Records a merge replaced, by slot → the slot of the record that replaced them. */
  readonly #mergedInto = new Map<number, number>();

  constructor(type: ObjectType) {
    this.type = type;
    this.#index = new ModifiedIndex({
      modified: () => this.#modified,
      ids: () => this.#ids,
      isLive: (slot) => !this.isArchived(slot) && !this.isMerged(slot),
    });
  }

  get size(): number {
    return this.#size;
  }

  /** Rows that came from the seeder (fixed once seeding ends; seeded links refer to these). */
  get seededSize(): number {
    return this.#seededSize ?? this.#size;
  }

  /** Ends seeding: the index is built once over all rows instead of row by row. */
  endSeeding(): void {
    this.#seededSize = this.#size;
    const first = this.#ids[0] ?? 0;
    const step = this.#size > 1 ? this.#ids[1]! - first : 1;
    let arithmetic = step > 0;
    for (let slot = 0; arithmetic && slot < this.#size; slot++)
      arithmetic = this.#ids[slot] === first + slot * step;
    if (arithmetic) this.#seededIds = { first, step };
    else for (let slot = 0; slot < this.#size; slot++) this.#slotById.set(this.#ids[slot]!, slot);
    this.#index.rebuildAll(this.#size);
  }

  get maxId(): number {
    return this.#maxId;
  }

  get modifiedIndex(): ModifiedIndex {
    return this.#index;
  }

  append(row: RowInput): number {
    if (this.#seededSize !== null && this.slotOf(row.id) !== undefined)
      throw new Error(`${this.type} id ${row.id} already exists`);
    if (this.#size === this.#ids.length) this.#grow();
    const slot = this.#size++;
    this.#ids[slot] = row.id;
    this.#created[slot] = row.createdMs;
    this.#modified[slot] = row.modifiedMs;
    this.#archived[slot] = row.archivedMs;
    this.#base[slot] = row.base;
    this.#kind[slot] = row.kind;
    if (this.#seededSize !== null) this.#slotById.set(row.id, slot);
    if (row.id < this.#maxId) this.#idOrdered = false;
    this.#maxId = Math.max(this.#maxId, row.id);
    this.#idOrder = null;
    if (this.#seededSize !== null) this.#index.touch(slot);
    return slot;
  }

  slotOf(id: number): number | undefined {
    const seeded = this.#seededIds;
    if (seeded !== null) {
      const index = (id - seeded.first) / seeded.step;
      if (Number.isInteger(index) && index >= 0 && index < this.#seededSize!) return index;
    }
    return this.#slotById.get(id);
  }

  id(slot: number): number {
    return this.#ids[slot]!;
  }
  createdMs(slot: number): number {
    return this.#created[slot]!;
  }
  modifiedMs(slot: number): number {
    return this.#modified[slot]!;
  }
  archivedMs(slot: number): number {
    return this.#archived[slot]!;
  }
  base(slot: number): number {
    return this.#base[slot]!;
  }
  kind(slot: number): number {
    return this.#kind[slot]!;
  }
  isArchived(slot: number): boolean {
    return !Number.isNaN(this.#archived[slot]!);
  }

  /** A record a merge replaced: no list, search or archive shows it; its id reads as its survivor. */
  isMerged(slot: number): boolean {
    return this.#mergedInto.has(slot);
  }

  /** The record a slot's id stands for now: itself, or the record that replaced it (merges chain). */
  survivor(slot: number): number {
    let current = slot;
    for (let next = this.#mergedInto.get(current); next !== undefined; next = this.#mergedInto.get(current))
      current = next;
    return current;
  }

  markMerged(slot: number, into: number): void {
    this.#mergedInto.set(slot, into);
    this.#index.touch(slot);
  }

  /** Sets last-modified (and updatedAt, which follows it). */
  touch(slot: number, ms: number): void {
    this.#modified[slot] = ms;
    this.#index.touch(slot);
  }

  archive(slot: number, ms: number): void {
    this.#archived[slot] = ms;
    this.#modified[slot] = ms;
    this.#index.touch(slot);
  }

  /** Replaces a whole row (NDJSON load of an existing id). */
  replace(slot: number, row: RowInput): void {
    this.#created[slot] = row.createdMs;
    this.#modified[slot] = row.modifiedMs;
    this.#archived[slot] = row.archivedMs;
    this.#base[slot] = row.base;
    this.#kind[slot] = row.kind;
    this.#index.touch(slot);
  }

  /** Whether slot order is id order (true unless NDJSON loads inserted lower ids). */
  get slotsInIdOrder(): boolean {
    return this.#idOrdered;
  }

  /** Slot at position `i` in id order. */
  slotAtIdPosition(i: number): number {
    if (this.#idOrdered) return i;
    this.#idOrder ??= this.#buildIdOrder();
    return this.#idOrder[i]!;
  }

  /** First position in id order whose id is >= `id`. */
  idPositionAtLeast(id: number): number {
    let lo = 0;
    let hi = this.#size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#ids[this.slotAtIdPosition(mid)]! < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #buildIdOrder(): Int32Array {
    const order = new Int32Array(this.#size);
    for (let i = 0; i < order.length; i++) order[i] = i;
    const ids = this.#ids;
    return order.sort((a, b) => ids[a]! - ids[b]!);
  }

  #grow(): void {
    const cap = this.#ids.length * 2;
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(cap);
      next.set(old);
      return next;
    };
    this.#ids = grow(this.#ids, (n) => new Float64Array(n));
    this.#created = grow(this.#created, (n) => new Float64Array(n));
    this.#modified = grow(this.#modified, (n) => new Float64Array(n));
    this.#archived = grow(this.#archived, (n) => new Float64Array(n));
    this.#base = grow(this.#base, (n) => new Int32Array(n));
    this.#kind = grow(this.#kind, (n) => new Uint8Array(n));
  }
}
