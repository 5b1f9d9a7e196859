import type { SimClock } from '../kit/sim-clock.js';
import { companySeeder } from './company-seed.js';
import { contactSeeder, seededContactEmail } from './contact-seed.js';
import { dealSeeder } from './deal-seed.js';
import { EmailIndex } from './email-index.js';
import { engagementSeeder } from './engagement-seed.js';
import {
  createdName,
  ENGAGEMENT_TYPES,
  lastModifiedName,
  OBJECT_TYPES,
  type ObjectType,
} from './hubspot-object-types.js';
import { ID_SCHEME, type ObjectSeeder } from './object-seed.js';
import { ObjectTable, type PropertyValues } from './object-table.js';
import { type Owner, seedOwners } from './owner-directory.js';
import { PropertyCatalog } from './property-catalog.js';
import type { SeedContext } from './seed-context.js';
import { mix } from './seed-timeline.js';

export interface StoreOptions {
  readonly seed: number;
  /** People in the shared universe; HubSpot holds about 90% of them as contacts. */
  readonly people: number;
  readonly clock: SimClock;
  /** Custom contact properties the portal has had from the start (seeded values on a share of records). */
  readonly extraProperties?: number;
  readonly extraPropertyNameLength?: number;
}

/**
 * Everything the simulated portal holds: one columnar table per object type, the property catalog,
 * owners and written associations. Seeded values are regenerated on demand from the seeders.
 */
export class HubspotStore {
  readonly catalog = new PropertyCatalog();
  readonly clock: SimClock;
  readonly context: SeedContext;
  readonly owners: Owner[];
  /** Associations written after seeding: `from:to` → from-id → to-ids. */
  readonly linkOverlay = new Map<string, Map<number, number[]>>();
  readonly #tables = new Map<ObjectType, ObjectTable>();
  readonly #seeders = new Map<ObjectType, ObjectSeeder>();
  readonly #emails: EmailIndex;
  /** Called before a record changes (export snapshots keep the version they were asked for). */
  readonly #beforeChange = new Set<(type: ObjectType, slot: number) => void>();

  constructor(options: StoreOptions) {
    this.clock = options.clock;
    this.owners = seedOwners(options.seed, options.people);
    this.context = { seed: options.seed, people: options.people, ownerIds: this.owners.map((o) => o.id) };
    for (const type of OBJECT_TYPES) this.#tables.set(type, new ObjectTable(type));
    const contacts = this.table('contacts');
    this.#seeders.set('contacts', contactSeeder(this.context));
    this.#seeders.set('companies', companySeeder(this.context));
    this.#seeders.set('deals', dealSeeder(this.context, contacts));
    for (const type of ENGAGEMENT_TYPES) this.#seeders.set(type, engagementSeeder(this.context, type));
    for (const type of OBJECT_TYPES) {
      this.#seeders.get(type)!.seed(this.table(type));
      this.table(type).endSeeding();
    }
    this.#emails = new EmailIndex(contacts, (slot) => this.#emailOf(slot));
    if ((options.extraProperties ?? 0) > 0)
      this.catalog.addBulk(
        'contacts',
        options.extraProperties!,
        options.extraPropertyNameLength ?? 40,
        false,
      );
  }

  table(type: ObjectType): ObjectTable {
    return this.#tables.get(type)!;
  }

  nextId(type: ObjectType): number {
    const table = this.table(type);
    return table.size === 0 ? ID_SCHEME[type].first : table.maxId + ID_SCHEME[type].step;
  }

  /** Every property value of a record (seeded, then written, then system properties). */
  properties(type: ObjectType, slot: number): PropertyValues {
    const table = this.table(type);
    const values: PropertyValues = table.base(slot) >= 0 ? this.#seeders.get(type)!.values(table, slot) : {};
    if (table.base(slot) >= 0) this.#bulkValues(type, table, slot, values);
    const written = table.overlay.get(slot);
    if (written) Object.assign(values, written);
    const modified = new Date(table.modifiedMs(slot)).toISOString();
    values['hs_object_id'] = String(table.id(slot));
    values[createdName(type)] = new Date(table.createdMs(slot)).toISOString();
    values[lastModifiedName(type)] = modified;
    values['hs_lastmodifieddate'] = modified;
    return values;
  }

  /** Registers a hook run before any record changes; returns its removal. */
  onBeforeChange(hook: (type: ObjectType, slot: number) => void): () => void {
    this.#beforeChange.add(hook);
    return () => this.#beforeChange.delete(hook);
  }

  /** Writes property values (empty string clears, as in HubSpot) and stamps last-modified. */
  write(type: ObjectType, slot: number, values: Readonly<Record<string, string | null>>, ms: number): void {
    for (const hook of this.#beforeChange) hook(type, slot);
    const table = this.table(type);
    const emailBefore = type === 'contacts' && 'email' in values ? this.#emailOf(slot) : undefined;
    const overlay = table.overlay.get(slot) ?? {};
    for (const [name, value] of Object.entries(values)) overlay[name] = value === '' ? null : value;
    table.overlay.set(slot, overlay);
    table.touch(slot, ms);
    if (emailBefore !== undefined) this.#emails.changed(slot, emailBefore, this.#emailOf(slot));
  }

  /** Creates a record from property values; returns its slot. */
  create(type: ObjectType, values: Readonly<Record<string, string | null>>, ms: number): number {
    const table = this.table(type);
    const slot = table.append({
      id: this.nextId(type),
      createdMs: ms,
      modifiedMs: ms,
      archivedMs: Number.NaN,
      base: -1,
      kind: 0,
    });
    const overlay: PropertyValues = {};
    for (const [name, value] of Object.entries(values)) overlay[name] = value === '' ? null : value;
    table.overlay.set(slot, overlay);
    if (type === 'contacts') this.#emails.changed(slot, null, this.#emailOf(slot));
    return slot;
  }

  /** Live contact slot by email, case-insensitively (the first created wins among duplicates). */
  contactByEmail(email: string): number | undefined {
    return this.#emails.find(email);
  }

  /** A record a merge replaced: its survivor takes its place in the email index. */
  markMerged(type: ObjectType, slot: number, into: number): void {
    if (type === 'contacts') this.#emails.archived(slot);
    this.table(type).markMerged(slot, into);
    if (type === 'contacts') this.#emails.changed(into, null, this.#emailOf(into));
  }

  /** Archives a record (HubSpot's soft delete): archivedAt and last-modified become `ms`. */
  archive(type: ObjectType, slot: number, ms: number): void {
    for (const hook of this.#beforeChange) hook(type, slot);
    if (type === 'contacts') this.#emails.archived(slot);
    this.table(type).archive(slot, ms);
  }

  /** Bulk loads replace rows wholesale: lookups by email start over. */
  forgetEmails(): void {
    this.#emails.invalidate();
  }

  #emailOf(slot: number): string | null {
    const contacts = this.table('contacts');
    const written = contacts.overlay.get(slot);
    if (written && 'email' in written) return written['email'] ?? null;
    return contacts.base(slot) >= 0 ? seededContactEmail(this.context, contacts, slot) : null;
  }

  #bulkValues(type: ObjectType, table: ObjectTable, slot: number, values: PropertyValues): void {
    for (const def of this.catalog.all(type)) {
      if (def.bulkIndex === undefined || def.addedMidStream) continue;
      const id = table.id(slot);
      if (mix(this.context.seed, def.bulkIndex, id) % 5 === 0)
        values[def.name] = `value ${def.bulkIndex}/${id}`;
    }
  }
}
