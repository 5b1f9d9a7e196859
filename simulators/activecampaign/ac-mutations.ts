import { z } from 'zod';
import { SeededRandom } from '../kit/seeded-random.js';
import { formatPhone, personAt } from '../kit/universe.js';
import type { AcStore } from './ac-store.js';

export const MUTABLE_OBJECTS = ['contacts', 'accounts', 'deals', 'notes', 'account_contacts'] as const;
export type MutableObject = (typeof MUTABLE_OBJECTS)[number];

export const MutateSchema = z
  .object({
    object: z.enum(MUTABLE_OBJECTS),
    create: z.number().int().nonnegative().default(0),
    update: z.number().int().nonnegative().default(0),
    /** Hard deletes: the records disappear, nothing lists them afterwards. */
    delete: z.number().int().nonnegative().default(0),
    /** Every touched record gets the same second (an import, an automation). */
    sameInstant: z.boolean().default(false),
    /** Update exactly these records (in addition to `update` random ones). */
    ids: z.array(z.union([z.string(), z.number()]).transform(Number)).optional(),
    /** Delete exactly these records (in addition to `delete` random ones). */
    deleteIds: z.array(z.union([z.string(), z.number()]).transform(Number)).optional(),
    /** Contacts: custom field values (by field title) written on updated and created contacts. */
    setFields: z.record(z.string(), z.string()).optional(),
    /** Contacts: created contacts get no `udate` (found only through `filters[created_after]`). */
    nullUdate: z.boolean().default(false),
  })
  .strict();

export interface MutationResult {
  readonly ids: string[];
  readonly created: string[];
  readonly updated: string[];
  readonly deleted: string[];
  readonly at: string;
}

/**
 * Changes the account the way its users do: creates, edits and hard-deletes records, stamping the
 * simulator clock (whole seconds). Picks are deterministic for a given simulator history.
 */
export class AccountMutations {
  readonly #store: AcStore;
  readonly #seed: number;
  readonly #universe: number;
  readonly #random: SeededRandom;
  #created = 0;

  constructor(store: AcStore, seed: number, universe: number) {
    this.#store = store;
    this.#seed = seed;
    this.#universe = universe;
    this.#random = new SeededRandom(seed ^ 0x0ac0ffee);
  }

  apply(input: unknown): MutationResult {
    const m = MutateSchema.parse(input);
    const store = this.#store;
    const fixed = m.sameInstant ? store.now() : null;
    const stamp = (): number => fixed ?? store.now();
    const out = { created: [] as string[], updated: [] as string[], deleted: [] as string[] };
    const setFields = Object.entries(m.setFields ?? {}).map(([title, value]) => {
      const field = store.fieldByTitle(title);
      if (field === undefined) throw new Error(`no contact field titled ${JSON.stringify(title)}`);
      return [field.id, value] as const;
    });
    for (let i = 0; i < m.create; i++)
      out.created.push(String(this.#create(m.object, stamp(), m.nullUdate, setFields)));
    const ids = this.#ids(m.object);
    const used = new Set<number>(out.created.map(Number));
    const known = (id: number): number => {
      if (!ids.includes(id)) throw new Error(`no ${m.object} with id ${id}`);
      return id;
    };
    const explicit = (m.ids ?? []).map(known);
    const explicitDeletes = (m.deleteIds ?? []).map(known);
    for (const id of explicitDeletes) used.add(id);
    for (const id of [...explicit, ...this.#pick(ids, m.update, used)]) {
      used.add(id);
      this.#update(m.object, id, stamp(), setFields);
      out.updated.push(String(id));
    }
    for (const id of [...explicitDeletes, ...this.#pick(ids, m.delete, used)]) {
      this.#delete(m.object, id);
      out.deleted.push(String(id));
    }
    return {
      ids: [...out.created, ...out.updated, ...out.deleted],
      ...out,
      at: new Date(fixed ?? store.now()).toISOString(),
    };
  }

  #ids(object: MutableObject): number[] {
    const s = this.#store;
    const table =
      object === 'contacts'
        ? s.contacts
        : object === 'accounts'
          ? s.accounts
          : object === 'deals'
            ? s.deals
            : object === 'notes'
              ? s.notes
              : s.accountContacts;
    return table.rows().map((r) => r.id);
  }

  #create(
    object: MutableObject,
    ms: number,
    nullUdate: boolean,
    setFields: readonly (readonly [number, string])[],
  ): number {
    const s = this.#store;
    const r = this.#random;
    const n = this.#created++;
    const p = personAt(this.#seed, this.#universe + 1_000_000 + n, this.#universe);
    const anyContact = s.contacts.rows()[r.int(Math.max(1, s.contacts.size))]?.id ?? null;
    const anyAccount = s.accounts.rows()[r.int(Math.max(1, s.accounts.size))]?.id ?? null;
    switch (object) {
      case 'contacts': {
        const c = s.addContact({
          email: `new.${n}.${p.email}`,
          firstName: p.firstName,
          lastName: p.lastName,
          phone: formatPhone(p.phoneDigits, n),
          cdateMs: ms,
          udateMs: nullUdate ? null : ms,
        });
        for (const [field, value] of setFields) s.setFieldValue(c.id, field, value, ms);
        return c.id;
      }
      case 'accounts':
        return s.accounts.add({
          id: s.accounts.nextId,
          name: `New Account ${n}`,
          accountUrl: `https://new${n}.example.com`,
          owner: 1,
          createdMs: ms,
          updatedMs: ms,
        }).id;
      case 'deals':
        return s.deals.add({
          id: s.deals.nextId,
          title: `New deal ${n}`,
          value: 100_000,
          currency: 'usd',
          status: 0,
          stage: 1,
          group: 1,
          owner: 1,
          contact: anyContact,
          account: anyAccount,
          cdateMs: ms,
          mdateMs: ms,
        }).id;
      case 'notes':
        return s.notes.add({
          id: s.notes.nextId,
          note: `New note ${n}`,
          relid: anyContact ?? 1,
          reltype: 'Subscriber',
          userid: 1,
          cdateMs: ms,
          mdateMs: ms,
        }).id;
      case 'account_contacts':
        return s.accountContacts.add({
          id: s.accountContacts.nextId,
          account: anyAccount ?? 1,
          contact: anyContact ?? 1,
          jobTitle: 'New hire',
          createdMs: ms,
          updatedMs: ms,
        }).id;
    }
  }

  #update(
    object: MutableObject,
    id: number,
    ms: number,
    setFields: readonly (readonly [number, string])[],
  ): void {
    const s = this.#store;
    const tag = this.#random.int(1000);
    switch (object) {
      case 'contacts': {
        const c = s.contacts.get(id)!;
        if (setFields.length > 0)
          for (const [field, value] of setFields) s.setFieldValue(id, field, value, ms);
        else c.phone = formatPhone(`1415555${String(tag).padStart(4, '0')}`, tag);
        c.udateMs = ms;
        return;
      }
      case 'accounts': {
        const a = s.accounts.get(id)!;
        a.name = `${a.name.replace(/ \(edited \d+\)$/, '')} (edited ${tag})`;
        a.updatedMs = ms;
        return;
      }
      case 'deals': {
        const d = s.deals.get(id)!;
        d.stage = 1 + (d.stage % 5);
        d.mdateMs = ms;
        return;
      }
      case 'notes': {
        const note = s.notes.get(id)!;
        note.note = `${note.note} (edited ${tag})`;
        note.mdateMs = ms;
        return;
      }
      case 'account_contacts': {
        const l = s.accountContacts.get(id)!;
        l.jobTitle = `Title ${tag}`;
        l.updatedMs = ms;
        return;
      }
    }
  }

  #delete(object: MutableObject, id: number): void {
    const s = this.#store;
    if (object === 'contacts') s.deleteContact(id);
    else if (object === 'accounts') s.accounts.delete(id);
    else if (object === 'deals') s.deals.delete(id);
    else if (object === 'notes') s.notes.delete(id);
    else s.accountContacts.delete(id);
  }

  /** `n` distinct ids not in `used`, drawn at random. */
  #pick(ids: readonly number[], n: number, used: ReadonlySet<number>): number[] {
    const out: number[] = [];
    const chosen = new Set<number>();
    for (let tries = 0; out.length < n && tries < n * 20 && ids.length > 0; tries++) {
      const id = ids[this.#random.int(ids.length)]!;
      if (used.has(id) || chosen.has(id)) continue;
      chosen.add(id);
      out.push(id);
    }
    for (const id of ids) {
      if (out.length >= n) break;
      if (!used.has(id) && !chosen.has(id)) {
        chosen.add(id);
        out.push(id);
      }
    }
    return out;
  }
}
