import { z } from 'zod';
import { firstLive, type PlantedText, PlantTextSchema } from '../kit/plant-text.js';
import { SeededRandom } from '../kit/seeded-random.js';
import type { SimClock } from '../kit/sim-clock.js';
import type { SimControl } from '../kit/sim-types.js';
import { idSeq } from './salesforce-ids.js';
import type { SalesforceStore } from './salesforce-store.js';
import { parseDateTime, toSeconds } from './salesforce-time.js';
import { INDUSTRIES, LEAD_STATUSES, ROLES, STAGES } from './sobject-picklists.js';
import { type FieldValue, field, type SimField } from './sobject-schema.js';
import type { RecordValues, SObjectTable } from './sobject-table.js';
import { coerceValue } from './sobject-values.js';

const MutateSchema = z
  .object({
    object: z.string(),
    update: z.number().int().nonnegative().default(0),
    create: z.number().int().nonnegative().default(0),
    /** Soft deletes: to the recycle bin (IsDeleted, visible to queryAll and /deleted). */
    delete: z.number().int().nonnegative().default(0),
    /** Empties the recycle bin of its N oldest records: gone even from queryAll. */
    purge: z.number().int().nonnegative().default(0),
    /** Deletes past the recycle bin: gone from queryAll, only the deletion log tells. */
    hardDelete: z.number().int().nonnegative().default(0),
    updateIds: z.array(z.string()).optional(),
    deleteIds: z.array(z.string()).optional(),
    /**
     * Merges, as Salesforce's merge() does them (Account, Contact, Lead): the master keeps its id and
     * is modified; the one or two others go to the recycle bin with MasterRecordId = the master, so
     * queryAll (and /deleted) show them. `merge: n` picks n random pairs.
     */
    merge: z.number().int().nonnegative().default(0),
    mergeIds: z
      .array(z.object({ master: z.string(), victims: z.array(z.string()).min(1).max(2) }))
      .optional(),
    /** Field values an update writes (default: a realistic edit per object). */
    fields: z.record(z.string(), z.unknown()).optional(),
    /**
     * Creates a custom field first (as an admin would in Setup); records this call updates get a
     * value for it unless `fields` says otherwise.
     */
    addField: z
      .object({
        name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*__c$/, 'a custom field API name ending in __c'),
        type: z.enum(['string', 'double', 'boolean', 'date']).default('string'),
      })
      .optional(),
  })
  .strict();
export type SalesforceMutation = z.input<typeof MutateSchema>;

export interface MutationResult {
  readonly object: string;
  readonly updated: string[];
  readonly created: string[];
  readonly deleted: string[];
  readonly purged: string[];
  readonly hardDeleted: string[];
  /** The custom field `addField` created. */
  readonly field?: string;
  readonly merged: { master: string; victims: string[] }[];
}

/**
 * The Salesforce side of `/_sim/`: mutations stamped with the simulator clock (one timestamp per
 * call, like one transaction, so a big update produces SystemModstamp ties), ground truth, NDJSON load.
 */
export class SalesforceSimControl implements Omit<SimControl, 'configure'> {
  readonly #store: SalesforceStore;
  readonly #clock: SimClock;
  #mutations = 0;

  constructor(store: SalesforceStore, clock: SimClock) {
    this.#store = store;
    this.#clock = clock;
  }

  mutate(body: unknown): MutationResult {
    const m = MutateSchema.parse(body);
    const table = this.#table(m.object);
    if (m.addField) table.addField(field(m.addField.name, m.addField.type));
    const nowSec = toSeconds(this.#clock.now());
    const random = new SeededRandom(this.#store.context.seed * 7919 + ++this.#mutations);
    const pickLive = (n: number, given: readonly string[] | undefined): number[] =>
      given ? given.map((id) => this.#seqOf(table, id)) : chooseLive(table, n, random);

    const updated = pickLive(m.update, m.updateIds).map((seq) => {
      table.write(seq, m.fields ? this.#coerceAll(table, m.fields) : defaultEdit(table, random, seq), nowSec);
      return table.id(seq);
    });
    const created = Array.from({ length: m.create }, () => table.id(table.create({}, nowSec)));
    const deleted = pickLive(m.delete, m.deleteIds).map((seq) => {
      table.softDelete(seq, nowSec);
      return table.id(seq);
    });
    const merges = (m.mergeIds ?? []).map((x) => ({
      master: this.#seqOf(table, x.master),
      victims: x.victims.map((v) => this.#seqOf(table, v)),
    }));
    const picked = chooseLive(table, m.merge * 2, random);
    for (let i = 0; i + 1 < picked.length; i += 2)
      merges.push({ master: picked[i]!, victims: [picked[i + 1]!] });
    const merged = merges.map(({ master, victims }) => {
      if (table.fields.get('MasterRecordId') === undefined)
        throw new Error(`${table.schema.name} records do not merge`);
      if (table.isDeleted(master) || victims.some((v) => v === master || table.isDeleted(v)))
        throw new Error('merge: the master and the records merged into it must be live and distinct');
      table.write(master, {}, nowSec);
      for (const v of victims) {
        table.write(v, { MasterRecordId: table.id(master) }, nowSec, false);
        table.softDelete(v, nowSec);
      }
      return { master: table.id(master), victims: victims.map((v) => table.id(v)) };
    });
    const purged = table.purgeOldest(m.purge).map((seq) => table.id(seq));
    const hardDeleted = chooseLive(table, m.hardDelete, random).map((seq) => {
      table.hardDelete(seq, nowSec);
      return table.id(seq);
    });
    return {
      object: table.schema.name,
      updated,
      created,
      deleted,
      purged,
      hardDeleted,
      merged,
      ...(m.addField ? { field: m.addField.name } : {}),
    };
  }

  /**
   * Hostile text into the first live Contacts, past field validation (a Data Loader import): into
   * Title, or into a new custom text field whose label is `field` (schema drift, as an admin adds one
   * in Setup: the API name is derived from the label, so a hostile label never becomes a field name).
   */
  plantText(body: unknown): PlantedText {
    const { values, modifiedAt, field: label } = PlantTextSchema.parse(body);
    const table = this.#table('Contact');
    let target = 'Title';
    if (label !== undefined) {
      target = customFieldName(label);
      if (table.fields.get(target) === undefined) table.addField({ ...field(target, 'string'), label });
    }
    const sec = toSeconds(modifiedAt === undefined ? this.#clock.now() : Date.parse(modifiedAt));
    const seqs = firstLive(
      table.count,
      (seq) => seq,
      (seq) => table.exists(seq) && !table.isDeleted(seq),
      values.length,
    );
    for (const [i, seq] of seqs.entries()) table.write(seq, { [target]: values[i]! }, sec);
    return { object: 'Contact', field: target, ids: seqs.map((seq) => table.id(seq)) };
  }

  *truth(object: string): Iterable<unknown> {
    const table = this.#table(object);
    for (let seq = 0; seq < table.count; seq++) {
      if (!table.exists(seq)) continue;
      const values = table.record(seq);
      const out: Record<string, unknown> = {};
      for (const f of table.schema.fields) {
        if (f.type === 'address') continue;
        const v = values[f.name] ?? null;
        out[f.name] = f.type === 'datetime' && typeof v === 'number' ? new Date(v).toISOString() : v;
      }
      yield out;
    }
  }

  load(object: string, lines: Iterable<string>): number {
    const table = this.#table(object);
    let n = 0;
    for (const line of lines) {
      const raw = JSON.parse(line) as Record<string, unknown>;
      const { Id, SystemModstamp, IsDeleted, ...rest } = raw;
      const seq = typeof Id === 'string' ? this.#seqOf(table, Id, true) : null;
      const ms = typeof SystemModstamp === 'string' ? parseDateTime(SystemModstamp) : this.#clock.now();
      if (ms === null) throw new Error(`line ${n + 1}: SystemModstamp is not a datetime`);
      table.load(seq, this.#coerceAll(table, rest), toSeconds(ms), IsDeleted === true);
      n++;
    }
    return n;
  }

  #table(object: string): SObjectTable {
    const table = this.#store.table(object);
    if (!table) throw new Error(`unknown object ${object}`);
    return table;
  }

  #seqOf(table: SObjectTable, id: string, allowNew = false): number {
    const seq = idSeq(table.schema.keyPrefix, id);
    if (seq === null || (!allowNew && !table.exists(seq))) throw new Error(`no ${table.schema.name} ${id}`);
    if (allowNew && seq >= table.count) throw new Error(`${id} is beyond the ids this simulator minted`);
    return seq;
  }

  #coerceAll(table: SObjectTable, fields: Readonly<Record<string, unknown>>): RecordValues {
    const out: Record<string, FieldValue> = {};
    for (const [name, raw] of Object.entries(fields)) {
      const field = table.fields.get(name);
      if (!field) throw new Error(`${table.schema.name} has no field ${name}`);
      const coerced = coerceValue(field, raw);
      if (!coerced.ok) throw new Error(coerced.message);
      out[field.name] = coerced.value;
    }
    return out;
  }
}

function chooseLive(table: SObjectTable, n: number, random: SeededRandom): number[] {
  const chosen = new Set<number>();
  for (let attempts = 0; chosen.size < n && attempts < n * 50 + 1000; attempts++) {
    const seq = random.int(table.count);
    if (table.exists(seq) && !table.isDeleted(seq)) chosen.add(seq);
  }
  return [...chosen];
}

/** What a sales rep would plausibly change on each object, and values for fields added since seeding. */
function defaultEdit(table: SObjectTable, random: SeededRandom, seq: number): RecordValues {
  const values = objectEdit(table, random, seq);
  for (const f of table.addedFields) values[f.name] = addedFieldValue(f, random);
  return values;
}

function addedFieldValue(f: SimField, random: SeededRandom): FieldValue {
  switch (f.type) {
    case 'double':
      return random.int(10_000) / 100;
    case 'boolean':
      return random.chance(0.5);
    case 'date':
      return `2026-0${1 + random.int(9)}-1${random.int(10)}`;
    default:
      return `${f.label} ${random.int(1000)}`;
  }
}

function objectEdit(table: SObjectTable, random: SeededRandom, seq: number): RecordValues {
  const current = table.record(seq);
  switch (table.schema.name) {
    case 'Account':
      return {
        Industry: random.pick(INDUSTRIES.filter((i) => i !== current.Industry)),
        AnnualRevenue: Math.round(
          ((current.AnnualRevenue as number | null) ?? 1_000_000) * (0.8 + random.next() * 0.5),
        ),
      };
    case 'Contact':
      return {
        Title: random.pick(['VP Sales', 'CTO', 'Head of Data', 'Founder', 'Buyer']),
        Department: 'Edited',
      };
    case 'Lead':
      return { Status: random.pick(LEAD_STATUSES.filter((s) => s !== current.Status)) };
    case 'Opportunity': {
      const [stage, probability] = random.pick(STAGES);
      return { StageName: stage, Probability: probability, Amount: 1_000 + random.int(199) * 1_000 };
    }
    case 'OpportunityContactRole':
      return { Role: random.pick(ROLES) };
    case 'User':
      return { Title: random.pick(['Account Executive', 'Sales Manager', 'SDR']) };
    default:
      return { Description: `Follow-up note ${random.int(1_000_000)}` };
  }
}

/**
 * The API name Setup derives from a custom field's label: letters, digits and single underscores,
 * starting with a letter, at most 40 characters before `__c`.
 */
export function customFieldName(label: string): string {
  const base = label
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^[^A-Za-z]+/, '')
    .slice(0, 40)
    .replace(/_+$/, '');
  return `${base === '' ? 'Field' : base}__c`;
}
