import type { SimClock } from '../kit/sim-clock.js';
import { AccountTime, toSecond } from './ac-time.js';
import { IdTable } from './id-table.js';

export interface ContactRow {
  readonly id: number;
  email: string;
  firstName: string;
  lastName: string;
  phone: string;
  cdateMs: number;
  /** Null for contacts never stamped with an update (the reference: `udate` can be null). */
  udateMs: number | null;
}

/** Contact field types of the reference (`POST /fields`: dropdown, hidden, checkbox, date, text, …). */
export type ContactFieldType =
  | 'text'
  | 'textarea'
  | 'dropdown'
  | 'listbox'
  | 'radio'
  | 'checkbox'
  | 'date'
  | 'datetime'
  | 'hidden';

export interface FieldDef {
  readonly id: number;
  title: string;
  readonly type: ContactFieldType;
  readonly perstag: string;
  readonly options: readonly string[];
  readonly cdateMs: number;
  udateMs: number;
}

export interface FieldValueRow {
  readonly id: number;
  readonly contact: number;
  readonly field: number;
  value: string;
  readonly cdateMs: number;
  udateMs: number;
}

export interface AccountRow {
  readonly id: number;
  name: string;
  accountUrl: string | null;
  owner: number;
  readonly createdMs: number;
  updatedMs: number;
}

/** Account (and deal) custom field meta: types of the reference's `dealCustomFieldMeta`. */
export interface CustomFieldMeta {
  readonly id: number;
  readonly fieldLabel: string;
  readonly fieldType: 'text' | 'textarea' | 'number' | 'currency' | 'dropdown' | 'date';
  readonly fieldOptions: readonly string[] | null;
  readonly createdMs: number;
  readonly updatedMs: number;
}

export interface CustomFieldDatum {
  readonly id: number;
  /** The account or deal the value belongs to. */
  readonly owner: number;
  readonly customFieldId: number;
  fieldValue: string;
  readonly createdMs: number;
  updatedMs: number;
}

export interface AccountContactRow {
  readonly id: number;
  readonly account: number;
  readonly contact: number;
  jobTitle: string;
  readonly createdMs: number;
  updatedMs: number;
}

export interface DealRow {
  readonly id: number;
  title: string;
  /** In cents, as the reference stores currency. */
  value: number;
  currency: string;
  /** 0 open, 1 won, 2 lost. */
  status: 0 | 1 | 2;
  stage: number;
  group: number;
  owner: number;
  contact: number | null;
  account: number | null;
  readonly cdateMs: number;
  mdateMs: number;
}

export interface UserRow {
  readonly id: number;
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
}

export interface NoteRow {
  readonly id: number;
  note: string;
  readonly relid: number;
  /** What the note is on: `Subscriber` (a contact), `Deal` or `CustomerAccount`. */
  readonly reltype: 'Subscriber' | 'Deal' | 'CustomerAccount';
  readonly userid: number;
  readonly cdateMs: number;
  mdateMs: number;
}

/** Custom field values of one owner, keyed by field id. */
export type ValuesByField = Map<number, FieldValueRow>;

/**
 * One ActiveCampaign account's data. Rows are plain mutable objects in id-ordered tables; writes
 * stamp the simulator clock in whole seconds. Hard deletes remove rows for good: ActiveCampaign has
 * no deletions feed, and neither does this store.
 */
export class AcStore {
  readonly clock: SimClock;
  readonly time: AccountTime;
  readonly contacts = new IdTable<ContactRow>();
  readonly fields = new IdTable<FieldDef>();
  readonly fieldValues = new IdTable<FieldValueRow>();
  readonly accounts = new IdTable<AccountRow>();
  readonly accountFields = new IdTable<CustomFieldMeta>();
  readonly accountFieldData = new IdTable<CustomFieldDatum>();
  readonly accountContacts = new IdTable<AccountContactRow>();
  readonly deals = new IdTable<DealRow>();
  readonly dealFields = new IdTable<CustomFieldMeta>();
  readonly dealFieldData = new IdTable<CustomFieldDatum>();
  readonly users = new IdTable<UserRow>();
  readonly notes = new IdTable<NoteRow>();
  readonly #byEmail = new Map<string, number>();
  readonly #valuesByContact = new Map<number, ValuesByField>();

  constructor(clock: SimClock, offsetMinutes: number) {
    this.clock = clock;
    this.time = new AccountTime(offsetMinutes);
  }

  now(): number {
    return toSecond(this.clock.now());
  }

  contactByEmail(email: string): ContactRow | undefined {
    const id = this.#byEmail.get(email.trim().toLowerCase());
    return id === undefined ? undefined : this.contacts.get(id);
  }

  addContact(row: Omit<ContactRow, 'id'> & { id?: number }): ContactRow {
    const added = this.contacts.add({ ...row, id: row.id ?? this.contacts.nextId });
    this.#indexEmail(added);
    return added;
  }

  setEmail(contact: ContactRow, email: string): void {
    this.#byEmail.delete(contact.email.trim().toLowerCase());
    contact.email = email;
    this.#indexEmail(contact);
  }

  /** Removes a contact with its field values and account links (notes and deals keep their ids). */
  deleteContact(id: number): boolean {
    const contact = this.contacts.delete(id);
    if (contact === undefined) return false;
    if (this.#byEmail.get(contact.email.trim().toLowerCase()) === id)
      this.#byEmail.delete(contact.email.trim().toLowerCase());
    for (const value of this.#valuesByContact.get(id)?.values() ?? []) this.fieldValues.delete(value.id);
    this.#valuesByContact.delete(id);
    for (const link of [...this.accountContacts.rows()])
      if (link.contact === id) this.accountContacts.delete(link.id);
    return true;
  }

  valuesOf(contact: number): ValuesByField {
    return this.#valuesByContact.get(contact) ?? new Map();
  }

  /** Sets one custom field value of a contact (creating the value row on first use). */
  setFieldValue(contact: number, field: number, value: string, ms: number): FieldValueRow {
    let values = this.#valuesByContact.get(contact);
    if (values === undefined) {
      values = new Map();
      this.#valuesByContact.set(contact, values);
    }
    const existing = values.get(field);
    if (existing !== undefined) {
      if (existing.value !== value) {
        existing.value = value;
        existing.udateMs = ms;
      }
      return existing;
    }
    const row = this.fieldValues.add({
      id: this.fieldValues.nextId,
      contact,
      field,
      value,
      cdateMs: ms,
      udateMs: ms,
    });
    values.set(field, row);
    return row;
  }

  fieldByTitle(title: string): FieldDef | undefined {
    return this.fields.rows().find((f) => f.title.toLowerCase() === title.toLowerCase());
  }

  #indexEmail(contact: ContactRow): void {
    const key = contact.email.trim().toLowerCase();
    if (key !== '' && !this.#byEmail.has(key)) this.#byEmail.set(key, contact.id);
  }
}
