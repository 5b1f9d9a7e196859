import { z } from 'zod';
import { firstLive, type PlantedText, PlantTextSchema } from '../kit/plant-text.js';
import type { SimControl } from '../kit/sim-types.js';
import { ExportSettingsSchema, type HubspotExports } from './export-jobs.js';
import type { BackendSettings } from './hubspot-backend.js';
import type { HubspotLimits } from './hubspot-limits.js';
import { OBJECT_TYPES, type ObjectType, parseObjectType } from './hubspot-object-types.js';
import type { HubspotStore } from './hubspot-store.js';
import type { PortalMutations } from './portal-mutations.js';
import { truthObject } from './public-object.js';
import { loadRecords } from './record-loader.js';

const PROPERTY_TYPES = ['string', 'number', 'date', 'datetime', 'enumeration', 'bool'] as const;

const ConfigureSchema = z
  .object({
    burstLimit: z.number().int().nonnegative().optional(),
    searchPerSecond: z.number().int().nonnegative().optional(),
    searchLagMs: z.number().int().nonnegative().optional(),
    dailyLimit: z.number().int().nonnegative().optional(),
    /** CRM exports: limits, timing, file partitioning, scope, canceling the next exports. */
    exports: ExportSettingsSchema.partial().optional(),
    /** N bulk custom string properties (a portal with hundreds of them), on contacts unless `object`. */
    addProperties: z
      .union([
        z.number().int().positive(),
        z.object({
          object: z.enum(OBJECT_TYPES).default('contacts'),
          count: z.number().int().positive(),
          nameLength: z.number().int().min(20).max(200).default(40),
        }),
      ])
      .optional(),
    /** One new custom property mid-stream: records updated afterwards carry values for it. */
    addProperty: z
      .object({
        object: z.enum(OBJECT_TYPES).default('contacts'),
        name: z.string().min(1),
        type: z.enum(PROPERTY_TYPES).default('string'),
        label: z.string().optional(),
        options: z.array(z.string()).optional(),
      })
      .optional(),
  })
  .strict();

/** The `/_sim/` operations of the HubSpot simulator. */
export class HubspotControl implements SimControl {
  readonly #store: HubspotStore;
  readonly #limits: HubspotLimits;
  readonly #settings: BackendSettings;
  readonly #mutations: PortalMutations;
  readonly #exports: HubspotExports;

  constructor(
    store: HubspotStore,
    limits: HubspotLimits,
    settings: BackendSettings,
    mutations: PortalMutations,
    exports: HubspotExports,
  ) {
    this.#store = store;
    this.#limits = limits;
    this.#settings = settings;
    this.#mutations = mutations;
    this.#exports = exports;
  }

  mutate(body: unknown): unknown {
    return this.#mutations.apply(body);
  }

  configure(body: unknown): unknown {
    const c = ConfigureSchema.parse(body);
    this.#limits.configure({
      ...(c.burstLimit === undefined ? {} : { burstLimit: c.burstLimit }),
      ...(c.searchPerSecond === undefined ? {} : { searchPerSecond: c.searchPerSecond }),
      ...(c.dailyLimit === undefined ? {} : { dailyLimit: c.dailyLimit }),
    });
    if (c.searchLagMs !== undefined) this.#settings.searchLagMs = c.searchLagMs;
    if (c.exports !== undefined) Object.assign(this.#exports.settings, c.exports);
    const added: string[] = [];
    if (c.addProperties !== undefined) {
      const spec =
        typeof c.addProperties === 'number'
          ? { object: 'contacts' as const, count: c.addProperties, nameLength: 40 }
          : c.addProperties;
      added.push(...this.#store.catalog.addBulk(spec.object, spec.count, spec.nameLength, true));
    }
    if (c.addProperty !== undefined) {
      const p = c.addProperty;
      added.push(
        this.#store.catalog.add(
          p.object,
          {
            name: p.name,
            type: p.type,
            ...(p.label ? { label: p.label } : {}),
            ...(p.options ? { options: p.options } : {}),
          },
          true,
        ).name,
      );
    }
    return {
      ...this.#limits.settings(),
      searchLagMs: this.#settings.searchLagMs,
      exports: this.#exports.settings,
      ...(added.length > 0 ? { addedProperties: added } : {}),
    };
  }

  /** Hostile text into the `company` property of the first live contacts (the reproduction). */
  plantText(body: unknown): PlantedText {
    const { values, modifiedAt, field } = PlantTextSchema.parse(body);
    const store = this.#store;
    const table = store.table('contacts');
    const property = field ?? 'company';
    if (field !== undefined && store.catalog.get('contacts', field) === undefined) {
      store.catalog.add('contacts', { name: field, type: 'string' }, true);
    }
    const ms = modifiedAt === undefined ? store.clock.now() : Date.parse(modifiedAt);
    const slots = firstLive(
      table.size,
      (i) => table.slotAtIdPosition(i),
      (slot) => !table.isArchived(slot),
      values.length,
    );
    for (const [i, slot] of slots.entries()) store.write('contacts', slot, { [property]: values[i]! }, ms);
    return { object: 'contacts', field: property, ids: slots.map((slot) => String(table.id(slot))) };
  }

  truth(object: string): Iterable<unknown> {
    const store = this.#store;
    if (object === 'owners') return store.owners.map((o) => ({ ...o, id: String(o.id) }));
    // Checked before streaming starts, so a bad name is a 400 rather than a cut-off stream.
    const type = requireType(object);
    const table = store.table(type);
    return (function* () {
      for (let pos = 0; pos < table.size; pos++) {
        const slot = table.slotAtIdPosition(pos);
        // A record a merge replaced is no record any more, only an id that reads as its survivor.
        if (!table.isMerged(slot)) yield truthObject(store, type, slot);
      }
    })();
  }

  load(object: string, lines: Iterable<string>): number {
    return loadRecords(this.#store, requireType(object), lines);
  }
}

function requireType(object: string): ObjectType {
  const type = parseObjectType(object);
  if (type === null)
    throw new Error(`unknown HubSpot object '${object}' (use one of ${OBJECT_TYPES.join(', ')}, owners)`);
  return type;
}
