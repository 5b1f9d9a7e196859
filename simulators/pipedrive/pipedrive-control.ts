import { z } from 'zod';
import { firstLive, type PlantedText, PlantTextSchema } from '../kit/plant-text.js';
import type { SimControl } from '../kit/sim-types.js';
import type { CompanyMutations } from './company-mutations.js';
import { ENTITIES, FIELD_OBJECTS, type FieldObject, parseEntity } from './entity-kinds.js';
import type { EntityTable, WrittenValues } from './entity-table.js';
import type { PipedriveLimits } from './pipedrive-limits.js';
import type { PipedriveStore } from './pipedrive-store.js';
import { toSecond } from './pipedrive-time.js';
import { publicUser } from './user-directory.js';

const ConfigureSchema = z
  .object({
    burstLimit: z.number().int().nonnegative().optional(),
    dailyTokenBudget: z.number().int().nonnegative().optional(),
    /** Starts a new day: the tokens used so far are forgotten. */
    resetDailyUsage: z.boolean().optional(),
  })
  .strict();

const LoadLineSchema = z
  .object({
    id: z.union([z.number().int().positive(), z.string().min(1)]),
    add_time: z.string().optional(),
    update_time: z.string().optional(),
    is_deleted: z.boolean().optional(),
  })
  .loose();

const KNOWN = [...ENTITIES, 'leads', 'users', ...Object.keys(FIELD_OBJECTS)].join(', ');

/** The `/_sim/` operations of the Pipedrive simulator. */
export class PipedriveControl implements SimControl {
  readonly #store: PipedriveStore;
  readonly #limits: PipedriveLimits;
  readonly #mutations: CompanyMutations;

  constructor(store: PipedriveStore, limits: PipedriveLimits, mutations: CompanyMutations) {
    this.#store = store;
    this.#limits = limits;
    this.#mutations = mutations;
  }

  mutate(body: unknown): unknown {
    return this.#mutations.apply(body);
  }

  configure(body: unknown): unknown {
    this.#limits.configure(ConfigureSchema.parse(body));
    return this.#limits.settings();
  }

  /** Hostile text into the job title of the first live persons. */
  plantText(body: unknown): PlantedText {
    const { values, modifiedAt, field } = PlantTextSchema.parse(body);
    const store = this.#store;
    const table = store.table('persons');
    const ms = toSecond(modifiedAt === undefined ? store.now() : Date.parse(modifiedAt));
    // Schema drift: a new custom field; its values live under its hash key, as in Pipedrive.
    const custom =
      field === undefined ? null : store.catalog.add('persons', { name: field, type: 'varchar' }, ms);
    const valuesOf = (value: string) =>
      custom === null ? { job_title: value } : { custom_fields: { [custom.key]: value } };
    const slots = firstLive(
      table.size,
      (slot) => slot,
      (slot) => !table.isDeleted(slot),
      values.length,
    );
    for (const [i, slot] of slots.entries()) store.update('persons', slot, valuesOf(values[i]!), ms);
    return {
      object: 'persons',
      field: custom?.name ?? 'job_title',
      ids: slots.map((slot) => String(table.id(slot))),
    };
  }

  /** Every record a client can still see: live ones and those deleted less than 30 days ago. */
  truth(object: string): Iterable<unknown> {
    const store = this.#store;
    if (object === 'users') return store.users.map((u, i) => publicUser(u, i));
    if (object in FIELD_OBJECTS) return store.catalog.all(FIELD_OBJECTS[object as FieldObject]);
    if (object === 'leads') {
      const t = store.leads;
      return (function* () {
        for (let slot = 0; slot < t.size; slot++) if (!t.isDeleted(slot)) yield store.lead(slot);
      })();
    }
    const entity = parseEntity(object);
    if (entity === null) throw new Error(`unknown Pipedrive object '${object}' (use one of ${KNOWN})`);
    const table = store.table(entity);
    const now = store.now();
    return (function* () {
      for (let slot = 0; slot < table.size; slot++)
        if (!table.isPurged(slot, now)) yield store.record(entity, slot);
    })();
  }

  /** Loads records (v2 shape; leads v1) replacing same ids; new numeric ids must exceed the current ones. */
  load(object: string, lines: Iterable<string>): number {
    const store = this.#store;
    const entity = parseEntity(object);
    if (entity === null && object !== 'leads')
      throw new Error(`cannot load '${object}' (use one of ${ENTITIES.join(', ')}, leads)`);
    const table = entity === null ? store.leads : store.table(entity);
    let n = 0;
    for (const line of lines) {
      const { id, add_time, update_time, is_deleted, ...values } = LoadLineSchema.parse(JSON.parse(line));
      const now = store.now();
      const addMs = add_time === undefined ? now : toSecond(Date.parse(add_time));
      const updateMs = update_time === undefined ? now : toSecond(Date.parse(update_time));
      if (!Number.isFinite(addMs) || !Number.isFinite(updateMs))
        throw new Error(`record ${id}: bad timestamp`);
      const row = { addMs, updateMs, base: -1, deletedMs: is_deleted ? updateMs : Number.NaN };
      const existing = entity === null ? store.leadSlot(String(id)) : table.slotOf(Number(id));
      const slot = existing ?? this.#append(table, entity === null ? null : Number(id), row);
      if (existing !== undefined) table.reset(existing, row);
      table.overlay.set(slot, {
        ...(values as WrittenValues),
        ...(entity === null ? { id: String(id) } : {}),
      });
      n++;
    }
    return n;
  }

  #append(
    table: EntityTable,
    id: number | null,
    row: { addMs: number; updateMs: number; base: number; deletedMs: number },
  ): number {
    return table.append({ id: id ?? table.maxId + 1, ...row });
  }
}
