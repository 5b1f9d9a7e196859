import { z } from 'zod';
import { firstLive, type PlantedText, PlantTextSchema } from '../kit/plant-text.js';
import type { SimControl } from '../kit/sim-types.js';
import type { BackendSettings } from './ac-backend.js';
import {
  accountContactJson,
  accountJson,
  contactJson,
  customDatumJson,
  dealJson,
  noteJson,
  userJson,
} from './ac-format.js';
import type { BulkImports } from './ac-import.js';
import type { AcLimits } from './ac-limits.js';
import type { AccountMutations } from './ac-mutations.js';
import type { AcStore, ContactFieldType } from './ac-store.js';
import { toSecond } from './ac-time.js';

const FIELD_TYPES = [
  'text',
  'textarea',
  'dropdown',
  'listbox',
  'radio',
  'checkbox',
  'date',
  'datetime',
  'hidden',
] as const;

const ConfigureSchema = z
  .object({
    rateLimit: z.number().int().nonnegative().optional(),
    busy503Share: z.number().min(0).max(1).optional(),
    importsPerMinute: z.number().int().nonnegative().optional(),
    importDelayMs: z.number().int().nonnegative().optional(),
    paymentRequired: z.boolean().optional(),
    utcOffsetMinutes: z.number().int().min(-720).max(840).optional(),
    /** Emails the account refuses (contact writes 422, imports list them under `failure`). */
    blockEmails: z.array(z.string()).optional(),
    /** A new contact custom field (mid-stream); returns its id and perstag. */
    addField: z
      .object({
        title: z.string().min(1),
        type: z.enum(FIELD_TYPES).default('text'),
        options: z.array(z.string()).optional(),
      })
      .optional(),
  })
  .strict();

const LoadContact = z
  .object({
    id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
    email: z.string().min(3),
    firstName: z.string().default(''),
    lastName: z.string().default(''),
    phone: z.string().default(''),
    cdate: z.string().optional(),
    udate: z.string().nullable().optional(),
    /** Custom values by field title. */
    fields: z.record(z.string(), z.string()).default({}),
  })
  .strict();

const TRUTH_OBJECTS = [
  'contacts',
  'accounts',
  'deals',
  'notes',
  'account_contacts',
  'users',
  'fields',
  'account_fields',
] as const;

/** The `/_sim/` operations of the ActiveCampaign simulator. */
export class AcControl implements SimControl {
  readonly #store: AcStore;
  readonly #limits: AcLimits;
  readonly #imports: BulkImports;
  readonly #settings: BackendSettings;
  readonly #mutations: AccountMutations;

  constructor(
    store: AcStore,
    limits: AcLimits,
    imports: BulkImports,
    settings: BackendSettings,
    mutations: AccountMutations,
  ) {
    this.#store = store;
    this.#limits = limits;
    this.#imports = imports;
    this.#settings = settings;
    this.#mutations = mutations;
  }

  mutate(body: unknown): unknown {
    return this.#mutations.apply(body);
  }

  configure(body: unknown): unknown {
    const c = ConfigureSchema.parse(body);
    this.#limits.configure({
      ...(c.rateLimit === undefined ? {} : { rateLimit: c.rateLimit }),
      ...(c.busy503Share === undefined ? {} : { busy503Share: c.busy503Share }),
      ...(c.importsPerMinute === undefined ? {} : { importsPerMinute: c.importsPerMinute }),
    });
    if (c.importDelayMs !== undefined) this.#imports.delayMs = c.importDelayMs;
    if (c.paymentRequired !== undefined) this.#settings.paymentRequired = c.paymentRequired;
    if (c.utcOffsetMinutes !== undefined) this.#store.time.offsetMinutes = c.utcOffsetMinutes;
    for (const email of c.blockEmails ?? []) this.#imports.blocked.add(email.trim().toLowerCase());
    let added: { id: string; perstag: string } | undefined;
    if (c.addField !== undefined) {
      const store = this.#store;
      const now = store.now();
      const field = store.fields.add({
        id: store.fields.nextId,
        title: c.addField.title,
        type: c.addField.type as ContactFieldType,
        perstag: c.addField.title.toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
        options: c.addField.options ?? [],
        cdateMs: now,
        udateMs: now,
      });
      added = { id: String(field.id), perstag: field.perstag };
    }
    return {
      ...this.#limits.settings(),
      importDelayMs: this.#imports.delayMs,
      paymentRequired: this.#settings.paymentRequired,
      utcOffsetMinutes: this.#store.time.offsetMinutes,
      ...(added === undefined ? {} : { addedField: added }),
    };
  }

  /**
   * Hostile text into the lastName of the first contacts (or, with `field`, into a new custom text
   * field, whose title Tide's column is named after: schema drift), stamped `udate` = `modifiedAt`.
   */
  plantText(body: unknown): PlantedText {
    const { values, modifiedAt, field } = PlantTextSchema.parse(body);
    const s = this.#store;
    const ms = toSecond(modifiedAt === undefined ? s.now() : Date.parse(modifiedAt));
    const custom =
      field === undefined
        ? null
        : s.fields.add({
            id: s.fields.nextId,
            title: field,
            type: 'text',
            perstag: field.toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
            options: [],
            cdateMs: ms,
            udateMs: ms,
          });
    const rows = s.contacts.rows();
    const contacts = firstLive(
      rows.length,
      (i) => rows[i]!,
      () => true,
      values.length,
    );
    for (const [i, contact] of contacts.entries()) {
      if (custom === null) contact.lastName = values[i]!;
      else s.setFieldValue(contact.id, custom.id, values[i]!, ms);
      contact.udateMs = ms;
    }
    return { object: 'contacts', field: custom?.title ?? 'lastName', ids: contacts.map((c) => String(c.id)) };
  }

  /** Current records in the API's shape; contacts add `fields`: custom values by perstag. */
  truth(object: string): Iterable<unknown> {
    const s = this.#store;
    switch (object) {
      case 'contacts':
        return s.contacts.rows().map((c) => {
          const fields: Record<string, string> = {};
          for (const v of s.valuesOf(c.id).values()) {
            const f = s.fields.get(v.field);
            if (f !== undefined) fields[f.perstag] = v.value;
          }
          return { ...contactJson(s, c), fields };
        });
      case 'accounts':
        return s.accounts.rows().map((a) => accountJson(s, a, true));
      case 'deals':
        return s.deals.rows().map((d) => dealJson(s, d));
      case 'notes':
        return s.notes.rows().map((n) => noteJson(s, n));
      case 'account_contacts':
        return s.accountContacts.rows().map((l) => accountContactJson(s, l));
      case 'users':
        return s.users.rows().map(userJson);
      case 'fields':
        return s.fields.rows().map((f) => ({
          id: String(f.id),
          title: f.title,
          type: f.type,
          perstag: f.perstag,
          options: f.options,
        }));
      case 'account_fields':
        return s.accountFieldData.rows().map((d) => customDatumJson(s, d, 'account'));
      default:
        throw new Error(`unknown ActiveCampaign object '${object}' (use one of ${TRUTH_OBJECTS.join(', ')})`);
    }
  }

  /** Loads contacts (`{email, firstName, …, fields: {title: value}}`); ids, when given, must be new and rising. */
  load(object: string, lines: Iterable<string>): number {
    if (object !== 'contacts') throw new Error(`cannot load '${object}' (only contacts)`);
    const s = this.#store;
    let n = 0;
    for (const line of lines) {
      const c = LoadContact.parse(JSON.parse(line));
      const now = s.now();
      const cdateMs = c.cdate === undefined ? now : Date.parse(c.cdate);
      const udateMs = c.udate === null ? null : c.udate === undefined ? cdateMs : Date.parse(c.udate);
      if (!Number.isFinite(cdateMs) || (udateMs !== null && !Number.isFinite(udateMs)))
        throw new Error(`${c.email}: bad timestamp`);
      const contact = s.addContact({
        ...(c.id === undefined ? {} : { id: c.id }),
        email: c.email,
        firstName: c.firstName,
        lastName: c.lastName,
        phone: c.phone,
        cdateMs,
        udateMs,
      });
      for (const [title, value] of Object.entries(c.fields)) {
        const field = s.fieldByTitle(title);
        if (field === undefined) throw new Error(`no contact field titled ${JSON.stringify(title)}`);
        s.setFieldValue(contact.id, field.id, value, udateMs ?? cdateMs);
      }
      n++;
    }
    return n;
  }
}
