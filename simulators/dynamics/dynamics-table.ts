import type { EntityDef } from './dynamics-entities.js';

/** A lookup value as the store keeps it: the target's id and its table (polymorphic lookups). */
export interface LookupRef {
  readonly id: string;
  readonly entity: string;
}

/**
 * One row: attribute logical name → value. DateTime values are ISO strings with whole seconds
 * (Dataverse keeps seconds), choices are option numbers, lookups are LookupRefs.
 */
export type Row = Record<string, unknown>;

/** A lookup column's value as rows hold it, or null when it holds none (or anything else). */
export function lookupRef(value: unknown): LookupRef | null {
  if (typeof value !== 'object' || value === null || !('id' in value) || !('entity' in value)) return null;
  const { id, entity } = value;
  return typeof id === 'string' && typeof entity === 'string' ? { id, entity } : null;
}

/** One change of a row, for change tracking: the row's new version after the change. */
interface ChangeEntry {
  readonly version: number;
  readonly index: number;
}

/**
 * Dataverse GUIDs for simulator rows: the table's code, then the row's index, so the default order
 * (by primary key) is the order rows were allocated in, and a key maps back to its row without an
 * index. Real environments hand out sequential GUIDs too (INFERENCE: ordering by them is stable).
 */
export function rowId(code: number, index: number): string {
  return `${code.toString(16).padStart(2, '0')}5eed00-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

const ID_PATTERN = /^([0-9a-f]{2})5eed00-0000-4000-8000-([0-9a-f]{12})$/;
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The rows of one table: seeded rows are computed from (seed, index) on demand; rows written since
 * are kept whole in an overlay, so a million seeded contacts cost no memory until they change.
 * Every change takes the store's next row version and is logged, which is what change tracking's
 * delta reads: the rows whose version is newer than the token's.
 */
export class DynamicsTable {
  readonly entity: EntityDef;
  readonly #seed: (index: number) => Row;
  #size: number;
  readonly #overlay = new Map<number, Row>();
  readonly #versions = new Map<number, number>();
  readonly #deleted = new Set<number>();
  readonly #log: ChangeEntry[] = [];
  /** Rows whose key is not a simulator GUID (a client chose it in an upsert). */
  readonly #foreignIds = new Map<string, number>();
  readonly #idOf = new Map<number, string>();

  constructor(entity: EntityDef, seeded: number, seed: (index: number) => Row) {
    this.entity = entity;
    this.#size = seeded;
    this.#seed = seed;
  }

  /** Rows ever allocated (live and deleted). */
  get size(): number {
    return this.#size;
  }

  get liveCount(): number {
    return this.#size - this.#deleted.size;
  }

  idAt(index: number): string {
    return this.#idOf.get(index) ?? rowId(this.entity.code, index);
  }

  indexOf(id: string): number | null {
    const lower = id.toLowerCase();
    const foreign = this.#foreignIds.get(lower);
    if (foreign !== undefined) return foreign;
    const m = ID_PATTERN.exec(lower);
    if (m === null || Number.parseInt(m[1]!, 16) !== this.entity.code) return null;
    const index = Number.parseInt(m[2]!, 16);
    return index < this.#size && !this.#idOf.has(index) ? index : null;
  }

  isDeleted(index: number): boolean {
    return this.#deleted.has(index);
  }

  /** The live row (with its key set), or null when deleted or never allocated. */
  row(index: number): Row | null {
    if (index < 0 || index >= this.#size || this.#deleted.has(index)) return null;
    const row = this.#overlay.get(index) ?? this.#seed(index);
    row[this.entity.primaryId] = this.idAt(index);
    return row;
  }

  /**
   * The row at an index the caller just found live (a page of live indices, a row it wrote): a row
   * missing there is a simulator bug, said as one rather than formatted as an empty row.
   */
  liveRow(index: number): Row {
    const row = this.row(index);
    if (row === null) throw new Error(`simulator bug: ${this.entity.logicalName} row ${index} is not live`);
    return row;
  }

  version(index: number): number {
    return this.#versions.get(index) ?? index + 1;
  }

  /** Allocates a new row (a create, or an upsert under a key the client chose). */
  allocate(id: string | null): number {
    const index = this.#size++;
    if (id !== null && id.toLowerCase() !== rowId(this.entity.code, index)) {
      this.#foreignIds.set(id.toLowerCase(), index);
      this.#idOf.set(index, id.toLowerCase());
    }
    return index;
  }

  /** Stores a row's new values under a new version. */
  write(index: number, row: Row, version: number): void {
    this.#overlay.set(index, row);
    this.#deleted.delete(index);
    this.#record(index, version);
  }

  remove(index: number, version: number): void {
    this.#overlay.delete(index);
    this.#deleted.add(index);
    this.#record(index, version);
  }

  #record(index: number, version: number): void {
    this.#versions.set(index, version);
    this.#log.push({ version, index });
  }

  /** Rows changed after `fromVersion` up to `toVersion`, each once, oldest change first. */
  changedSince(fromVersion: number, toVersion: number): number[] {
    let lo = 0;
    let hi = this.#log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#log[mid]!.version <= fromVersion) lo = mid + 1;
      else hi = mid;
    }
    const latest = new Map<number, number>();
    for (let i = lo; i < this.#log.length; i++) {
      const entry = this.#log[i]!;
      if (entry.version > toVersion) break;
      latest.set(entry.index, entry.version);
    }
    return [...latest].sort((a, b) => a[1] - b[1]).map(([index]) => index);
  }

  /** Snapshot of the mutable state, so an atomic change set can be rolled back. */
  checkpoint(): () => void {
    const size = this.#size;
    const overlay = new Map(this.#overlay);
    const versions = new Map(this.#versions);
    const deleted = new Set(this.#deleted);
    const logLength = this.#log.length;
    const foreign = new Map(this.#foreignIds);
    const idOf = new Map(this.#idOf);
    return () => {
      this.#size = size;
      restore(this.#overlay, overlay);
      restore(this.#versions, versions);
      this.#deleted.clear();
      for (const d of deleted) this.#deleted.add(d);
      this.#log.length = logLength;
      restore(this.#foreignIds, foreign);
      restore(this.#idOf, idOf);
    };
  }
}

function restore<K, V>(target: Map<K, V>, from: Map<K, V>): void {
  target.clear();
  for (const [k, v] of from) target.set(k, v);
}
