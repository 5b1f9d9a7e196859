import { createHash } from 'node:crypto';
import type { Entity } from './entity-kinds.js';
import { ANCHOR_MS } from './pipedrive-time.js';

export type FieldType = 'varchar' | 'text' | 'double' | 'monetary' | 'date' | 'enum' | 'set' | 'phone';

export interface FieldOption {
  readonly id: number;
  readonly label: string;
}

/** One field definition as `/v1/{object}Fields` lists it. */
export interface FieldDef {
  readonly id: number;
  /** Standard fields have readable keys; custom fields a 40-character hex hash. */
  readonly key: string;
  name: string;
  readonly fieldType: FieldType | 'int' | 'org' | 'people' | 'user' | 'visible_to' | 'status' | 'stage';
  readonly custom: boolean;
  readonly options?: readonly FieldOption[];
  readonly addMs: number;
  updateMs: number;
}

/** Standard fields shown by the *Fields endpoints (not editable as custom fields). */
const STANDARD: Readonly<Record<Entity, readonly [string, string, FieldDef['fieldType']][]>> = {
  persons: [
    ['id', 'ID', 'int'],
    ['name', 'Name', 'varchar'],
    ['first_name', 'First name', 'varchar'],
    ['last_name', 'Last name', 'varchar'],
    ['org_id', 'Organization', 'org'],
    ['owner_id', 'Owner', 'user'],
    ['email', 'Email', 'varchar'],
    ['phone', 'Phone', 'phone'],
    ['job_title', 'Job title', 'varchar'],
    ['add_time', 'Person created', 'date'],
    ['update_time', 'Update time', 'date'],
    ['visible_to', 'Visible to', 'visible_to'],
  ],
  organizations: [
    ['id', 'ID', 'int'],
    ['name', 'Name', 'varchar'],
    ['owner_id', 'Owner', 'user'],
    ['address', 'Address', 'varchar'],
    ['website', 'Website', 'varchar'],
    ['employee_count', 'Number of employees', 'double'],
    ['annual_revenue', 'Annual revenue', 'double'],
    ['add_time', 'Organization created', 'date'],
    ['update_time', 'Update time', 'date'],
  ],
  deals: [
    ['id', 'ID', 'int'],
    ['title', 'Title', 'varchar'],
    ['value', 'Value', 'monetary'],
    ['currency', 'Currency', 'varchar'],
    ['status', 'Status', 'status'],
    ['stage_id', 'Stage', 'stage'],
    ['person_id', 'Contact person', 'people'],
    ['org_id', 'Organization', 'org'],
    ['owner_id', 'Owner', 'user'],
    ['add_time', 'Deal created', 'date'],
    ['update_time', 'Update time', 'date'],
  ],
  activities: [
    ['id', 'ID', 'int'],
    ['subject', 'Subject', 'varchar'],
    ['type', 'Type', 'varchar'],
    ['due_date', 'Due date', 'date'],
    ['done', 'Done', 'enum'],
    ['person_id', 'Contact person', 'people'],
    ['org_id', 'Organization', 'org'],
    ['deal_id', 'Deal', 'int'],
  ],
};

/** Custom fields every simulated account has, seeded on a share of records. */
export const SEEDED_CUSTOM: Readonly<
  Record<Entity, readonly { name: string; type: FieldType; options?: readonly string[] }[]>
> = {
  persons: [
    { name: 'Lead score', type: 'double' },
    { name: 'Segment', type: 'enum', options: ['SMB', 'Mid-Market', 'Enterprise'] },
    { name: 'LinkedIn profile', type: 'varchar' },
    { name: 'Interests', type: 'set', options: ['Analytics', 'Automation', 'Integrations', 'Security'] },
  ],
  organizations: [
    { name: 'Tier', type: 'enum', options: ['Bronze', 'Silver', 'Gold'] },
    { name: 'Account number', type: 'varchar' },
  ],
  deals: [
    { name: 'Source channel', type: 'enum', options: ['Inbound', 'Outbound', 'Partner', 'Event'] },
    { name: 'Contract length (months)', type: 'double' },
    { name: 'Renewal date', type: 'date' },
  ],
  activities: [],
};

/** The 40-character hex key Pipedrive gives a custom field (a SHA-1 here, stable per seed). */
export function customFieldKey(seed: number, entity: Entity, name: string, serial: number): string {
  return createHash('sha1').update(`${seed}:${entity}:${name}:${serial}`).digest('hex');
}

/**
 * The field definitions of one account: standard fields plus custom fields keyed by hash. A custom
 * field's hash never changes; renaming it changes only `name` and `update_time`.
 */
export class FieldCatalog {
  readonly #byEntity = new Map<Entity, FieldDef[]>();
  /** Custom fields per entity, kept because every served record walks them. */
  readonly #custom = new Map<Entity, readonly FieldDef[]>();
  #nextId = 9000;
  #nextOption = 100;
  readonly #seed: number;

  constructor(seed: number) {
    this.#seed = seed;
    let standardId = 1;
    for (const entity of Object.keys(STANDARD) as Entity[]) {
      const defs: FieldDef[] = STANDARD[entity].map(([key, name, fieldType]) => ({
        id: standardId++,
        key,
        name,
        fieldType,
        custom: false,
        addMs: ANCHOR_MS - 4 * 365 * 86_400_000,
        updateMs: ANCHOR_MS - 4 * 365 * 86_400_000,
      }));
      this.#byEntity.set(entity, defs);
      for (const spec of SEEDED_CUSTOM[entity]) this.add(entity, spec, ANCHOR_MS - 3 * 365 * 86_400_000);
    }
  }

  all(entity: Entity): readonly FieldDef[] {
    return this.#byEntity.get(entity) ?? [];
  }

  custom(entity: Entity): readonly FieldDef[] {
    let defs = this.#custom.get(entity);
    if (defs === undefined) {
      defs = this.all(entity).filter((f) => f.custom);
      this.#custom.set(entity, defs);
    }
    return defs;
  }

  /** The seeded custom field of `entity` at position `i` of SEEDED_CUSTOM. */
  seeded(entity: Entity, i: number): FieldDef {
    return this.custom(entity)[i]!;
  }

  byKey(entity: Entity, key: string): FieldDef | undefined {
    return this.all(entity).find((f) => f.key === key);
  }

  add(
    entity: Entity,
    spec: { readonly name: string; readonly type: FieldType; readonly options?: readonly string[] },
    atMs: number,
  ): FieldDef {
    const defs = this.#byEntity.get(entity)!;
    const def: FieldDef = {
      id: this.#nextId++,
      key: customFieldKey(this.#seed, entity, spec.name, defs.length),
      name: spec.name,
      fieldType: spec.type,
      custom: true,
      ...(spec.options ? { options: spec.options.map((label) => ({ id: this.#nextOption++, label })) } : {}),
      addMs: atMs,
      updateMs: atMs,
    };
    defs.push(def);
    this.#custom.delete(entity);
    return def;
  }

  rename(entity: Entity, key: string, newName: string, atMs: number): FieldDef {
    const def = this.byKey(entity, key);
    if (def === undefined || !def.custom) throw new Error(`no custom ${entity} field with key ${key}`);
    def.name = newName;
    def.updateMs = atMs;
    return def;
  }
}
