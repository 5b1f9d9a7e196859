import { z } from 'zod';
import { firstLive, type PlantedText, PlantTextSchema } from '../kit/plant-text.js';
import { SeededRandom } from '../kit/seeded-random.js';
import type { SimControl } from '../kit/sim-types.js';
import type { DynamicsSettings } from './dynamics-backend.js';
import type { AttributeDef, AttributeType } from './dynamics-entities.js';
import type { DynamicsLimits } from './dynamics-limits.js';
import type { DynamicsOAuth } from './dynamics-oauth.js';
import { dataverseTime } from './dynamics-seed.js';
import type { DynamicsStore } from './dynamics-store.js';
import type { DynamicsTable, Row } from './dynamics-table.js';

/** One NDJSON line of a control load: a row's columns by logical name, with its id when it has one. */
const LoadedRow = z.looseObject({ id: z.string().optional() });

const MutateSchema = z
  .object({
    /** Entity set (`contacts`) or logical name (`contact`). */
    object: z.string().min(1),
    create: z.number().int().nonnegative().default(0),
    update: z.number().int().nonnegative().default(0),
    delete: z.number().int().nonnegative().default(0),
    /** Update (or delete, with `delete`) exactly these rows instead of picking. */
    ids: z.array(z.string()).optional(),
    /** Every change gets the same modifiedon (ties, possibly across pages). */
    sameInstant: z.boolean().default(false),
    /** Values the updated rows get (column logical names); default: one column touched per table. */
    set: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const ConfigureSchema = z
  .object({
    requestsPerWindow: z.number().int().nonnegative().optional(),
    executionMsPerWindow: z.number().nonnegative().optional(),
    concurrentRequests: z.number().int().nonnegative().optional(),
    dailyEntitlement: z.number().int().nonnegative().optional(),
    executionMsPerRequest: z.number().nonnegative().optional(),
    executionMsPerRecord: z.number().nonnegative().optional(),
    expireChangeTrackingInDays: z.number().positive().optional(),
    tokenLifetimeSeconds: z.number().int().positive().optional(),
    responseDelayMs: z.number().int().nonnegative().optional(),
    deniedEntities: z.array(z.string()).optional(),
    /** Turns change tracking on or off per table (logical name → enabled). */
    changeTracking: z.record(z.string(), z.boolean()).optional(),
    /** A new custom column, as a maker adds one in Power Apps. */
    addAttribute: z
      .object({
        entity: z.string(),
        logicalName: z.string().regex(/^[a-z][a-z0-9_]*$/),
        type: z.enum([
          'String',
          'Memo',
          'Integer',
          'Decimal',
          'Double',
          'Money',
          'Boolean',
          'DateTime',
          'Picklist',
        ]),
        maxLength: z.number().int().positive().optional(),
        min: z.number().optional(),
        max: z.number().optional(),
        options: z.array(z.string()).optional(),
      })
      .optional(),
    /** Revokes every issued access token (the API answers 401 until a new one is fetched). */
    expireTokens: z.boolean().optional(),
  })
  .strict();

/** Which column an update without `set` changes, per table (harmless to identity resolution). */
const TOUCH: Readonly<Record<string, string>> = {
  contact: 'jobtitle',
  account: 'telephone1',
  lead: 'jobtitle',
  opportunity: 'stepname',
  systemuser: 'firstname',
};

/** The `/_sim/` operations of the Dynamics simulator (see README.md). */
export class DynamicsControl implements SimControl {
  readonly #store: DynamicsStore;
  readonly #limits: DynamicsLimits;
  readonly #settings: DynamicsSettings;
  readonly #oauth: () => DynamicsOAuth;
  readonly #random: SeededRandom;
  #serial = 0;

  constructor(
    store: DynamicsStore,
    limits: DynamicsLimits,
    settings: DynamicsSettings,
    oauth: () => DynamicsOAuth,
    seed: number,
  ) {
    this.#store = store;
    this.#limits = limits;
    this.#settings = settings;
    this.#oauth = oauth;
    this.#random = new SeededRandom(seed ^ 0xd1a);
  }

  #table(object: string): DynamicsTable {
    const table = this.#store.bySet(object) ?? this.#store.table(object);
    if (table === undefined) {
      const names = [...this.#store.catalog.values()].map((e) => e.entitySetName).join(', ');
      throw new Error(`unknown Dynamics table '${object}' (use one of ${names})`);
    }
    return table;
  }

  /** Live rows picked evenly and deterministically, never the same one twice. */
  #pick(table: DynamicsTable, n: number, exclude: ReadonlySet<number>): number[] {
    const out: number[] = [];
    const taken = new Set(exclude);
    for (let tries = 0; out.length < n && tries < n * 50 + 100; tries++) {
      const i = this.#random.int(table.size);
      if (taken.has(i) || table.row(i) === null) continue;
      taken.add(i);
      out.push(i);
    }
    return out;
  }

  mutate(body: unknown): unknown {
    const m = MutateSchema.parse(body);
    const table = this.#table(m.object);
    const at = m.sameInstant ? this.#store.now() : undefined;
    const opts = at === undefined ? {} : { at };
    const created: string[] = [];
    const updated: string[] = [];
    const deleted: string[] = [];
    for (let k = 0; k < m.create; k++) {
      const index = this.#store.put(table, null, this.#newRow(table), opts);
      created.push(table.idAt(index));
    }
    const explicit = (m.ids ?? []).map((id) => {
      const index = table.indexOf(id);
      if (index === null || table.row(index) === null)
        throw new Error(`no live ${table.entity.logicalName} ${id}`);
      return index;
    });
    const toUpdate =
      m.ids !== undefined && m.delete === 0 ? explicit : this.#pick(table, m.update, new Set());
    for (const index of toUpdate) {
      this.#store.put(table, index, m.set ?? this.#touch(table), opts);
      updated.push(table.idAt(index));
    }
    const toDelete =
      m.ids !== undefined && m.delete > 0 ? explicit : this.#pick(table, m.delete, new Set(toUpdate));
    for (const index of toDelete) {
      deleted.push(table.idAt(index));
      this.#store.remove(table, index);
    }
    return {
      ids: [...created, ...updated, ...deleted],
      created,
      updated,
      deleted,
      at: at ?? this.#store.now(),
    };
  }

  #touch(table: DynamicsTable): Row {
    const serial = ++this.#serial;
    const column = TOUCH[table.entity.logicalName] ?? 'description';
    return { [column]: `changed ${serial}` };
  }

  #newRow(table: DynamicsTable): Row {
    const serial = ++this.#serial;
    const entity = table.entity.logicalName;
    if (entity === 'contact' || entity === 'lead') {
      return {
        firstname: 'New',
        lastname: `Person ${serial}`,
        emailaddress1: `new.person${serial}@created.example.com`,
      };
    }
    return { [table.entity.primaryName]: `Created ${serial}` };
  }

  /**
   * Hostile text straight into the first live contacts (past the API's validation, as another
   * integration's writes reach a real environment): `jobtitle`, or a new custom text column.
   */
  plantText(body: unknown): PlantedText {
    const { values, modifiedAt, field } = PlantTextSchema.parse(body);
    const table = this.#table('contacts');
    let target = 'jobtitle';
    if (field !== undefined) {
      // The maker portal derives the column's logical name from its display name: the publisher's
      // prefix, then the name's letters and digits, lower case. A hostile display name never becomes
      // the name Tide reads.
      target = `new_${field.toLowerCase().replace(/[^a-z0-9]+/g, '') || 'column'}`.slice(0, 50);
      if (!table.entity.attributes.some((a) => a.logicalName === target))
        this.configure({
          addAttribute: { entity: 'contact', logicalName: target, type: 'Memo', maxLength: 1_048_576 },
        });
    }
    const at = modifiedAt === undefined ? this.#store.now() : dataverseTime(Date.parse(modifiedAt));
    const rows = firstLive(
      table.size,
      (i) => i,
      (i) => table.row(i) !== null,
      values.length,
    );
    for (const [k, index] of rows.entries()) this.#store.put(table, index, { [target]: values[k]! }, { at });
    return { object: 'contacts', field: target, ids: rows.map((i) => table.idAt(i)) };
  }

  configure(body: unknown): unknown {
    const c = ConfigureSchema.parse(body);
    const {
      addAttribute,
      changeTracking,
      deniedEntities,
      expireTokens,
      expireChangeTrackingInDays,
      tokenLifetimeSeconds,
      responseDelayMs,
      ...limits
    } = c;
    this.#limits.configure(Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)));
    if (expireChangeTrackingInDays !== undefined)
      this.#settings.expireChangeTrackingInDays = expireChangeTrackingInDays;
    if (tokenLifetimeSeconds !== undefined) this.#settings.tokenLifetimeSeconds = tokenLifetimeSeconds;
    if (responseDelayMs !== undefined) this.#settings.responseDelayMs = responseDelayMs;
    if (deniedEntities !== undefined) this.#settings.deniedEntities = new Set(deniedEntities);
    if (expireTokens === true) this.#oauth().expireAll();
    for (const [name, on] of Object.entries(changeTracking ?? {}))
      this.#table(name).entity.changeTracking = on;
    if (addAttribute !== undefined) {
      const entity = this.#table(addAttribute.entity).entity;
      if (entity.attributes.some((a) => a.logicalName === addAttribute.logicalName)) {
        throw new Error(`${entity.logicalName} already has a column ${addAttribute.logicalName}`);
      }
      const type: AttributeType = addAttribute.type;
      const def: AttributeDef = {
        logicalName: addAttribute.logicalName,
        type,
        custom: true,
        updatable: true,
        ...(type === 'String' || type === 'Memo' ? { maxLength: addAttribute.maxLength ?? 100 } : {}),
        ...(addAttribute.min === undefined ? {} : { min: addAttribute.min }),
        ...(addAttribute.max === undefined ? {} : { max: addAttribute.max }),
        ...(type === 'Picklist'
          ? {
              options: (addAttribute.options ?? ['One', 'Two']).map((label, i) => ({
                value: 100_000_000 + i,
                label,
              })),
            }
          : {}),
        ...(type === 'Boolean'
          ? {
              options: [
                { value: 0, label: 'No' },
                { value: 1, label: 'Yes' },
              ],
            }
          : {}),
      };
      entity.attributes.push(def);
    }
    return {
      ...this.#limits.settings,
      expireChangeTrackingInDays: this.#settings.expireChangeTrackingInDays,
      tokenLifetimeSeconds: this.#settings.tokenLifetimeSeconds,
      responseDelayMs: this.#settings.responseDelayMs,
      deniedEntities: [...this.#settings.deniedEntities],
      changeTracking: Object.fromEntries(
        [...this.#store.catalog.values()].map((e) => [e.logicalName, e.changeTracking]),
      ),
    };
  }

  truth(object: string): Iterable<unknown> {
    const table = this.#table(object);
    return (function* () {
      for (let i = 0; i < table.size; i++) {
        const row = table.row(i);
        if (row === null) yield { id: table.idAt(i), deleted: true };
        else yield { id: table.idAt(i), deleted: false, version: table.version(i), values: row };
      }
    })();
  }

  load(object: string, lines: Iterable<string>): number {
    const table = this.#table(object);
    let n = 0;
    for (const line of lines) {
      const { id, ...values } = LoadedRow.parse(JSON.parse(line));
      const index = id === undefined ? null : table.indexOf(id);
      this.#store.put(table, index !== null && table.row(index) !== null ? index : null, values, {
        id: id ?? null,
      });
      n++;
    }
    return n;
  }
}
