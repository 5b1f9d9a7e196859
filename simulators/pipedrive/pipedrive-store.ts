import { randomUUID } from 'node:crypto';
import { ActivityTargets } from '../kit/seed-anchor.js';
import type { SimClock } from '../kit/sim-clock.js';
import { activityCount, seededActivity } from './activity-seed.js';
import { dealCount, seededDeal } from './deal-seed.js';
import { ENTITIES, type Entity } from './entity-kinds.js';
import { EntityTable, type WrittenValues } from './entity-table.js';
import { FieldCatalog } from './field-catalog.js';
import { leadCount, leadUuid, seededLead } from './lead-seed.js';
import { seededOrganization } from './organization-seed.js';
import { seededPerson } from './person-seed.js';
import { rfc3339, seededTimes, toSecond } from './pipedrive-time.js';
import { companiesOf, heldPeople, type SeedContext } from './seed-context.js';
import { type SimUser, seedUsers } from './user-directory.js';

const TIME_TAG: Readonly<Record<Entity | 'leads', number>> = {
  persons: 11,
  organizations: 12,
  deals: 13,
  activities: 14,
  leads: 15,
};

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
    const counts: Readonly<Record<Entity | 'leads', number>> = {
      persons: held.length,
      organizations: this.context.companies,
      deals: dealCount(held.length),
      activities: activityCount(held.length),
      leads: leadCount(held.length),
    };
    for (const entity of ENTITIES) {
      const table = new EntityTable(entity);
      this.#seed(table, entity, counts[entity]);
      this.#tables.set(entity, table);
    }
    this.#seed(this.leads, 'leads', counts.leads);
  }

  #seed(table: EntityTable, kind: Entity | 'leads', count: number): void {
    for (let i = 0; i < count; i++) {
      const t = seededTimes(this.context.seed, TIME_TAG[kind], i, count, kind === 'activities');
      table.append({ id: i + 1, addMs: t.addMs, updateMs: t.updateMs, base: i });
    }
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
    const seeded = base >= 0 ? this.#seeded(entity, base, table.addMs(slot)) : {};
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

  #seeded(entity: Entity, base: number, addMs: number): Record<string, unknown> {
    switch (entity) {
      case 'persons':
        return seededPerson(this.context, base);
      case 'organizations':
        return seededOrganization(this.context, base);
      case 'deals':
        return seededDeal(this.context, base, addMs);
      case 'activities':
        return seededActivity(this.context, base, addMs, this.table('deals').size);
    }
  }

  /** A v1 lead (UUID id, ISO times with milliseconds). */
  lead(slot: number): Record<string, unknown> {
    const t = this.leads;
    const base = t.base(slot);
    const written = t.overlay.get(slot);
    return {
      id: this.leadId(slot),
      ...(base >= 0 ? seededLead(this.context, base) : {}),
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
