import type { SimClock } from '../kit/sim-clock.js';
import { companyCount, personAt } from '../kit/universe.js';
import { type FieldDef, fieldJson, MODULES, type ModuleName, STANDARD_FIELDS } from './zoho-field-catalog.js';
import { personModule, type SeedLinks, type SeedUser, seededTimes, seededValues } from './zoho-seed.js';
import { ModuleTable, type StoredValues } from './zoho-table.js';
import { formatDate, OrgTime } from './zoho-time.js';

const CODES: Readonly<Record<ModuleName, number>> = {
  Leads: 1,
  Contacts: 2,
  Accounts: 3,
  Deals: 4,
  Tasks: 5,
  Calls: 6,
  Events: 7,
  Notes: 8,
};

export interface ZohoUser extends SeedUser {
  readonly zuid: string;
  readonly status: 'active' | 'disabled';
  modifiedMs: number;
}

export interface StoreOptions {
  readonly seed: number;
  /** Size of the shared people universe (Zoho holds about 40% of it). */
  readonly people: number;
  readonly clock: SimClock;
  /** The org's UTC offset in minutes (default +05:30). */
  readonly offsetMinutes?: number;
}

/**
 * The simulated org: one table per module, the users, the field catalog (custom fields can be added
 * at run time) and the org's time zone.
 */
export class ZohoStore {
  readonly seed: number;
  readonly people: number;
  readonly clock: SimClock;
  readonly time: OrgTime;
  readonly users: ZohoUser[];
  readonly #tables = new Map<ModuleName, ModuleTable>();
  readonly #fields = new Map<ModuleName, FieldDef[]>();
  readonly #accountByCompany = new Map<number, number>();

  constructor(options: StoreOptions) {
    this.seed = options.seed;
    this.people = options.people;
    this.clock = options.clock;
    this.time = new OrgTime(options.offsetMinutes ?? 330);
    this.users = ['Ana Ortiz', 'Ben Okoro', 'Chen Wei', 'Dana Novak', 'Eli Haddad'].map((name, i) => ({
      id: `41508680090000000${String(i + 1).padStart(2, '0')}`,
      zuid: String(700_000_000 + i),
      full_name: name,
      email: `${name.split(' ')[0]!.toLowerCase()}@zoho-org.example.com`,
      status: 'active',
      modifiedMs: Date.UTC(2025, 5, 1 + i),
    }));
    for (const module of MODULES) this.#fields.set(module, [...STANDARD_FIELDS[module]]);
    const links: SeedLinks = {
      seed: this.seed,
      people: this.people,
      users: this.users,
      idOf: (module, slot) => this.table(module).idOf(slot),
      accountSlot: (company) => this.#accountByCompany.get(company),
      contactPerson: (slot) => this.table('Contacts').refOf(slot),
    };
    for (const module of MODULES) {
      this.#tables.set(
        module,
        new ModuleTable(module, CODES[module], (ref) => seededValues(module, ref, links)),
      );
    }
    this.#seed();
  }

  table(module: ModuleName): ModuleTable {
    return this.#tables.get(module)!;
  }

  fields(module: ModuleName): readonly FieldDef[] {
    return this.#fields.get(module)!;
  }

  field(module: ModuleName, apiName: string): FieldDef | undefined {
    return this.fields(module).find((f) => f.api_name === apiName);
  }

  fieldsJson(module: ModuleName): Record<string, unknown>[] {
    return this.fields(module).map((f, i) => fieldJson(module, f, i));
  }

  addField(module: ModuleName, def: FieldDef): FieldDef {
    const existing = this.field(module, def.api_name);
    if (existing !== undefined) return existing;
    const added = { ...def, custom: true, createdMs: this.clock.now() };
    this.#fields.get(module)!.push(added);
    return added;
  }

  /**
   * A record as the Records API returns it: `id`, then the requested fields (all when `only` is
   * null), datetimes in the org's offset, dates as YYYY-MM-DD, lookups as `{name, id}`.
   */
  output(module: ModuleName, slot: number, only: readonly string[] | null): Record<string, unknown> {
    const table = this.table(module);
    const values = table.values(slot);
    const out: Record<string, unknown> = { id: table.idOf(slot) };
    const wanted = only ?? this.fields(module).map((f) => f.api_name);
    for (const name of wanted) {
      if (name === 'id') continue;
      if (name === 'Created_Time') out[name] = this.time.format(table.createdMs(slot));
      else if (name === 'Modified_Time') out[name] = this.time.format(table.modifiedMs(slot));
      else {
        const def = this.field(module, name);
        out[name] = def === undefined ? null : this.present(def, values[name]);
      }
    }
    return out;
  }

  present(def: FieldDef, value: unknown): unknown {
    if (value === undefined || value === null) return def.data_type === 'multiselectpicklist' ? [] : null;
    if (def.data_type === 'datetime' && typeof value === 'number') return this.time.format(value);
    if (def.data_type === 'date' && typeof value === 'number') return formatDate(value);
    return value;
  }

  /** Every live and deleted record of a module (ground truth for tests). */
  *truth(module: ModuleName): Generator<Record<string, unknown>> {
    const table = this.table(module);
    for (let slot = 0; slot < table.size; slot++) {
      const deletion = table.deletion(slot);
      yield {
        ...this.output(module, slot, null),
        Modified_Time_ms: table.modifiedMs(slot),
        deleted: deletion !== undefined,
        ...(deletion === undefined ? {} : { deleted_type: deletion.type }),
      };
    }
  }

  #seed(): void {
    const contacts = this.table('Contacts');
    const leads = this.table('Leads');
    const accounts = this.table('Accounts');
    const people: { module: 'Contacts' | 'Leads'; index: number }[] = [];
    for (let i = 0; i < this.people; i++) {
      const module = personModule(this.seed, i);
      if (module !== null) people.push({ module, index: i });
    }
    // Accounts first, so contacts can point at them: every company a held contact works for.
    const companies = new Set<number>();
    const total = companyCount(this.people);
    for (const p of people) {
      if (p.module !== 'Contacts') continue;
      const company = personAt(this.seed, p.index, this.people).companyIndex;
      if (company < total) companies.add(company);
    }
    const sorted = [...companies].sort((a, b) => a - b);
    sorted.forEach((company, i) => {
      const t = seededTimes(i, sorted.length, 3);
      this.#accountByCompany.set(company, accounts.add(company, t.created, t.modified));
    });
    const contactCount = people.filter((p) => p.module === 'Contacts').length;
    let c = 0;
    let l = 0;
    for (const p of people) {
      if (p.module === 'Contacts') {
        const t = seededTimes(c++, contactCount, 2);
        contacts.add(p.index, t.created, t.modified);
      } else {
        const t = seededTimes(l++, people.length - contactCount, 1);
        leads.add(p.index, t.created, t.modified);
      }
    }
    // Deals for one contact in four; one activity of each kind for one in six; a note for one in ten.
    const every: readonly (readonly [ModuleName, number, number])[] = [
      ['Deals', 4, 0],
      ['Tasks', 6, 1],
      ['Calls', 6, 3],
      ['Events', 6, 5],
      ['Notes', 10, 7],
    ];
    for (const [module, period, offset] of every) {
      const table = this.table(module);
      const n = Math.max(0, Math.ceil((contactCount - offset) / period));
      for (let k = offset, i = 0; k < contactCount; k += period, i++) {
        const t = seededTimes(i, n, CODES[module]);
        table.add(k, t.created, t.modified);
      }
    }
  }

  /** Values written through the API or the control API, with the record's new Modified_Time. */
  write(module: ModuleName, slot: number, values: StoredValues): void {
    this.table(module).write(slot, values, this.clock.now());
  }
}
