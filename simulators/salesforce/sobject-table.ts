import type { Seeder } from '../kit/seeder.js';
import { indexKey, ModstampIndex, SEQ_SPACE } from './modstamp-index.js';
import { mintId } from './salesforce-ids.js';
import { FieldIndex, type FieldValue, type SimField, type SObjectSchema } from './sobject-schema.js';

const DELETED = 1;
const PURGED = 2;

export type RecordValues = Record<string, FieldValue>;

/**
 * One object's records in compact form, so a million Contacts cost a few bytes each: seeded records
 * are regenerated from their sequence number on demand, and only what changed since (mutations,
 * writes, loaded records) is kept as overrides. Timestamps live in typed arrays and in the
 * (SystemModstamp, Id) index that range scans use.
 */
export class SObjectTable {
  #schema: SObjectSchema;
  readonly fields: FieldIndex;
  /** Custom fields an admin added after the org was seeded (simulated edits fill them in). */
  readonly addedFields: SimField[] = [];
  readonly #seeder: Seeder<SObjectTable, RecordValues>;
  #count = 0;
  #modstamp = new Float64Array(0);
  #flags = new Uint8Array(0);
  readonly #overrides = new Map<number, RecordValues>();
  /** Records created through the API: they hold only the values they were given. */
  readonly #sparse = new Set<number>();
  #index = ModstampIndex.fromKeys(new Float64Array(0));
  /** (seq, deleted at ms) in deletion order: the deletion log `/deleted` reads. */
  readonly #deletionLog: { seq: number; ms: number }[] = [];
  /** Newest deletion time among records purged from the recycle bin (Salesforce's earliestDateAvailable). */
  #purgedThroughMs: number;
  /** Bumped by every change, so caches of derived values know when to drop. */
  #version = 0;
  /** Adds formula values when a record is read (formulas never touch SystemModstamp). */
  computed: ((values: RecordValues) => void) | null = null;

  constructor(schema: SObjectSchema, seeder: Seeder<SObjectTable, RecordValues>, orgCreatedMs: number) {
    this.#schema = schema;
    this.fields = new FieldIndex(schema);
    this.#seeder = seeder;
    this.#purgedThroughMs = orgCreatedMs;
    seeder.seed(this);
  }

  /**
   * The seeded records, once, by the seeder: `count` of them, record `seq` last modified at
   * `row(seq).modstampSec` and in the recycle bin when `row(seq).deleted`.
   */
  seedRecords(count: number, row: (seq: number) => { modstampSec: number; deleted: boolean }): void {
    if (this.#count > 0) throw new Error(`${this.#schema.name} is seeded already`);
    const capacity = count + 1024;
    this.#modstamp = new Float64Array(capacity);
    this.#flags = new Uint8Array(capacity);
    const keys = new Float64Array(count);
    for (let seq = 0; seq < count; seq++) {
      const { modstampSec, deleted } = row(seq);
      this.#modstamp[seq] = modstampSec;
      keys[seq] = indexKey(modstampSec, seq);
      if (deleted) {
        this.#flags[seq] = DELETED;
        this.#deletionLog.push({ seq, ms: modstampSec * 1000 });
      }
    }
    this.#deletionLog.sort((a, b) => a.ms - b.ms);
    this.#index = ModstampIndex.fromKeys(keys);
    this.#count = count;
  }

  get schema(): SObjectSchema {
    return this.#schema;
  }

  /**
   * A custom field created in Setup while the org is in use: describe lists it from now on, queries
   * may select it, and existing records hold no value for it until they are written. The catalog's
   * schema objects are shared by every simulator in the process, so the table takes a copy.
   */
  addField(field: SimField): void {
    if (this.fields.get(field.name) !== undefined)
      throw new Error(`${this.#schema.name} already has a field ${field.name}`);
    this.#schema = { ...this.#schema, fields: [...this.#schema.fields, field] };
    this.fields.add(field);
    this.addedFields.push(field);
    this.#version++;
  }

  get version(): number {
    return this.#version;
  }

  get count(): number {
    return this.#count;
  }

  get index(): ModstampIndex {
    return this.#index;
  }

  get purgedThroughMs(): number {
    return this.#purgedThroughMs;
  }

  id(seq: number): string {
    return mintId(this.schema.keyPrefix, seq);
  }

  exists(seq: number): boolean {
    return seq >= 0 && seq < this.#count && (this.#flags[seq]! & PURGED) === 0;
  }

  isDeleted(seq: number): boolean {
    return (this.#flags[seq]! & DELETED) !== 0;
  }

  modstampSec(seq: number): number {
    return this.#modstamp[seq]!;
  }

  /** Every field of a record, current values. */
  record(seq: number): RecordValues {
    const values: RecordValues = this.#sparse.has(seq) ? {} : this.#seeder.values(this, seq);
    const overrides = this.#overrides.get(seq);
    if (overrides) Object.assign(values, overrides);
    values.Id = this.id(seq);
    values.IsDeleted = this.isDeleted(seq);
    values.SystemModstamp = this.#modstamp[seq]! * 1000;
    this.computed?.(values);
    return values;
  }

  /** Applies field changes as one save: new SystemModstamp (and LastModifiedDate) at `nowSec`. */
  write(seq: number, changes: RecordValues, nowSec: number, byUser = true): void {
    this.#version++;
    const overrides = this.#overrides.get(seq) ?? {};
    Object.assign(overrides, changes);
    const sec = Math.max(nowSec, this.#modstamp[seq]!);
    if (byUser) overrides.LastModifiedDate = sec * 1000;
    this.#overrides.set(seq, overrides);
    this.#move(seq, sec);
  }

  /**
   * A new record; returns its sequence number. `sparse` records (API inserts) hold only `values`;
   * others (simulated activity) also get generated business fields, like seeded ones.
   */
  create(values: RecordValues, nowSec: number, sparse = false): number {
    this.#version++;
    const seq = this.#count;
    if (seq >= SEQ_SPACE)
      throw new Error(`${this.schema.name}: the simulator holds at most ${SEQ_SPACE} records`);
    this.#ensureCapacity(seq + 1);
    this.#count++;
    this.#modstamp[seq] = nowSec;
    this.#flags[seq] = 0;
    if (sparse) this.#sparse.add(seq);
    this.#overrides.set(seq, { CreatedDate: nowSec * 1000, LastModifiedDate: nowSec * 1000, ...values });
    this.#index.insert(indexKey(nowSec, seq));
    return seq;
  }

  /** Moves a record to the recycle bin: IsDeleted, new SystemModstamp, an entry in the deletion log. */
  softDelete(seq: number, nowSec: number): void {
    if (this.isDeleted(seq)) return;
    this.#version++;
    this.#flags[seq] = this.#flags[seq]! | DELETED;
    const sec = Math.max(nowSec, this.#modstamp[seq]!);
    this.#move(seq, sec);
    this.#deletionLog.push({ seq, ms: sec * 1000 });
  }

  /**
   * Deletes past the recycle bin (Bulk API hardDelete): gone from queryAll at once, but listed in the
   * deletion log, so `/deleted` is the only way a client learns about it.
   */
  hardDelete(seq: number, nowSec: number): void {
    if (!this.exists(seq)) return;
    this.#version++;
    this.#flags[seq] = this.#flags[seq]! | DELETED | PURGED;
    this.#index.remove(indexKey(this.#modstamp[seq]!, seq));
    this.#deletionLog.push({ seq, ms: Math.max(nowSec, this.#modstamp[seq]!) * 1000 });
  }

  /** Empties the recycle bin of its `n` oldest records: they vanish even from queryAll. */
  purgeOldest(n: number): number[] {
    this.#version++;
    const purged: number[] = [];
    for (const entry of this.#deletionLog) {
      if (purged.length >= n) break;
      if (!this.exists(entry.seq)) continue;
      this.#flags[entry.seq] = this.#flags[entry.seq]! | PURGED;
      this.#index.remove(indexKey(this.#modstamp[entry.seq]!, entry.seq));
      this.#purgedThroughMs = Math.max(this.#purgedThroughMs, entry.ms);
      purged.push(entry.seq);
    }
    return purged;
  }

  /**
   * Records whose stored changes set `fieldName` to a value equal (ignoring case) to `value`. Seeded
   * records never carry external ids, so looking at changed records only is complete.
   */
  findByOverride(fieldName: string, value: string): number[] {
    const wanted = value.toLowerCase();
    const out: number[] = [];
    for (const [seq, values] of this.#overrides) {
      const v = values[fieldName];
      if (typeof v === 'string' && v.toLowerCase() === wanted && this.exists(seq)) out.push(seq);
    }
    return out;
  }

  /** Deletion-log entries with a deletion time in [startMs, endMs] (purged and hard-deleted ones too). */
  deletedBetween(startMs: number, endMs: number): { seq: number; ms: number }[] {
    return this.#deletionLog.filter((e) => e.ms >= startMs && e.ms <= endMs);
  }

  /** Replaces a record's stored state wholesale (NDJSON load). */
  load(seq: number | null, values: RecordValues, modstampSec: number, deleted: boolean): number {
    this.#version++;
    const target = seq ?? this.#count;
    if (seq === null) {
      this.#ensureCapacity(target + 1);
      this.#count++;
      this.#sparse.add(target);
      this.#modstamp[target] = modstampSec;
      this.#index.insert(indexKey(modstampSec, target));
    } else {
      this.#moveTo(target, modstampSec);
    }
    this.#flags[target] = deleted ? DELETED : 0;
    if (deleted) this.#deletionLog.push({ seq: target, ms: modstampSec * 1000 });
    this.#overrides.set(target, { ...(this.#overrides.get(target) ?? {}), ...values });
    return target;
  }

  #move(seq: number, sec: number): void {
    if (sec === this.#modstamp[seq]) return;
    this.#moveTo(seq, sec);
  }

  #moveTo(seq: number, sec: number): void {
    this.#index.remove(indexKey(this.#modstamp[seq]!, seq));
    this.#modstamp[seq] = sec;
    this.#index.insert(indexKey(sec, seq));
  }

  #ensureCapacity(size: number): void {
    if (size <= this.#modstamp.length) return;
    const capacity = Math.max(size, this.#modstamp.length * 2);
    const modstamp = new Float64Array(capacity);
    modstamp.set(this.#modstamp);
    const flags = new Uint8Array(capacity);
    flags.set(this.#flags);
    this.#modstamp = modstamp;
    this.#flags = flags;
  }
}
