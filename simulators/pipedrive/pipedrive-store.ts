import { randomUUID } from 'node:crypto';
import { ActivityTargets } from '../kit/seed-anchor.js';
import type { SimClock } from '../kit/sim-clock.js';
import { activitySeeder } from './activity-seed.js';
import { dealSeeder } from './deal-seed.js';
import { ENTITIES, type Entity } from './entity-kinds.js';
import { EntityTable, type WrittenValues } from './entity-table.js';
import { FieldCatalog } from './field-catalog.js';
import { leadSeeder, leadUuid } from './lead-seed.js';
import { organizationSeeder } from './organization-seed.js';
import { personSeeder } from './person-seed.js';
import { rfc3339, toSecond } from './pipedrive-time.js';
import { companiesOf, heldPeople, type RecordSeeder, type SeedContext } from './seed-context.js';
import { type SimUser, seedUsers } from './user-directory.js';

/**
 * Everything the simulated Pipedrive company holds: one columnar table per v2 entity and one for
 * leads, the field catalog and the users. Records are assembled on demand from the seeders plus the
 * values written since.
 */
export class PipedriveStore {
  readonly clock: SimClock;
  readonly context: SeedContext;
  readonly catalog: FieldCatalog;
  readonly users: SimUser[];
  readonly leads = new EntityTable('leads');
  readonly #tables = new Map<Entity, EntityTable>();
  readonly #seeders: Readonly<Record<Entity, RecordSeeder>>;
  readonly #leadSeeder: RecordSeeder;
  #leadSlots: Map<string, number> | null = null;

  constructor(options: { seed: number; universe: number; clock: SimClock }) {
    this.clock = options.clock;
    const held = heldPeople(options.seed, options.universe);
    this.catalog = new FieldCatalog(options.seed);
    this.users = seedUsers(options.seed, held.length);
    this.context = {
      seed: options.seed,
      universe: options.universe,
      held,
      companies: companiesOf(options.universe),
      userIds: this.users.map((u) => u.id),
      catalog: this.catalog,
      activityTargets: new ActivityTargets(options.seed, held.length, (slot) => held[slot]!),
    };
    for (const entity of ENTITIES) this.#tables.set(entity, new EntityTable(entity));
    this.#seeders = {
      persons: personSeeder(this.context),
      organizations: organizationSeeder(this.context),
      deals: dealSeeder(this.context),
      activities: activitySeeder(this.context, this.table('deals')),
    };
    this.#leadSeeder = leadSeeder(this.context);
    for (const entity of ENTITIES) this.#seeders[entity].seed(this.table(entity));
    this.#leadSeeder.seed(this.leads);
  }

  table(entity: Entity): EntityTable {
    return this.#tables.get(entity)!;
  }

  /** The simulator's now, in whole seconds like Pipedrive's timestamps. */
  now(): number {
    return toSecond(this.clock.now());
  }

  /** A v2 record: seeded values, then written ones, then the system fields. */
  record(entity: Entity, slot: number, customKeys?: ReadonlySet<string>): Record<string, unknown> {
    const table = this.table(entity);
    const base = table.base(slot);
    const seeded = base >= 0 ? this.#seeders[entity].values(table, slot) : {};
    const written = table.overlay.get(slot);
    const out: Record<string, unknown> = { id: table.id(slot), ...seeded, ...written };
    if (entity !== 'activities') {
      const custom: Record<string, unknown> = {};
      const seededCustom = (seeded['custom_fields'] ?? {}) as Record<string, unknown>;
      for (const def of this.catalog.custom(entity)) {
        if (customKeys !== undefined && !customKeys.has(def.key)) continue;
        custom[def.key] = written?.custom_fields?.[def.key] ?? seededCustom[def.key] ?? null;
      }
      out['custom_fields'] = custom;
    }
    out['add_time'] = rfc3339(table.addMs(slot));
    out['update_time'] = rfc3339(table.updateMs(slot));
    out['is_deleted'] = table.isDeleted(slot);
    if (entity === 'deals' && table.isDeleted(slot)) out['status'] = 'deleted';
    return out;
  }

  /** A v1 lead (UUID id, ISO times with milliseconds). */
  lead(slot: number): Record<string, unknown> {
    const t = this.leads;
    const base = t.base(slot);
    const written = t.overlay.get(slot);
    return {
      id: this.leadId(slot),
      ...(base >= 0 ? this.#leadSeeder.values(t, slot) : {}),
      ...written,
      add_time: new Date(t.addMs(slot)).toISOString(),
      update_time: new Date(t.updateMs(slot)).toISOString(),
    };
  }

  leadId(slot: number): string {
    const id = this.leads.overlay.get(slot)?.['id'];
    return typeof id === 'string' ? id : leadUuid(this.context.seed, this.leads.base(slot));
  }

  leadSlot(id: string): number | undefined {
    if (this.#leadSlots === null) {
      this.#leadSlots = new Map();
      for (let slot = 0; slot < this.leads.size; slot++) this.#leadSlots.set(this.leadId(slot), slot);
    }
    return this.#leadSlots.get(id);
  }

  /** Writes values and stamps update_time. */
  update(entity: Entity | 'leads', slot: number, values: WrittenValues, ms: number): void {
    const table = entity === 'leads' ? this.leads : this.table(entity);
    table.write(slot, values);
    table.touch(slot, ms);
  }

  /** Creates a record from values (no seeded part); returns its slot. */
  create(entity: Entity | 'leads', values: WrittenValues, ms: number): number {
    const table = entity === 'leads' ? this.leads : this.table(entity);
    const slot = table.append({ id: table.maxId + 1, addMs: ms, updateMs: ms, base: -1 });
    const id =
      entity === 'leads' ? { id: typeof values['id'] === 'string' ? values['id'] : randomUUID() } : {};
    table.write(slot, { ...values, ...id });
    this.#leadSlots = null;
    return slot;
  }

  /** Marks a record deleted (leads: deleted for good, as Pipedrive deletes leads permanently). */
  remove(entity: Entity | 'leads', slot: number, ms: number): void {
    const table = entity === 'leads' ? this.leads : this.table(entity);
    table.markDeleted(slot, ms);
  }
}
