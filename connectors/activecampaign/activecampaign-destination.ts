import pLimit from 'p-limit';
import type {
  CrmField,
  CurrentValues,
  Destination,
  WriteOutcome,
  WriteRecord,
  WriteTarget,
} from '../../core/destination.js';
import { isTideError, TideError } from '../../core/tide-error.js';
import { parseJson } from '../../http/parse-json.js';
import { FieldCache } from '../../reverse/field-cache.js';
import { BULK_IMPORT_MIN, bulkUpsert } from './activecampaign-bulk-import.js';
import { ACTIVECAMPAIGN_CAPABILITIES } from './activecampaign-capabilities.js';
import { type ActiveCampaignClient, PAGE_LIMIT } from './activecampaign-client.js';
import {
  type ContactFieldCatalog,
  contactFieldCatalog,
  encodeValue,
  isStandardField,
} from './activecampaign-crm-field.js';
import {
  ContactFieldValuesSchema,
  ContactSchema,
  ContactWrittenSchema,
  errorReason,
  FieldsPageSchema,
} from './activecampaign-schemas.js';

/** Requests in flight per write call; the account's 5-per-second budget paces them further. */
const IN_FLIGHT = 5;
/** Per-record refusals ActiveCampaign explains in its body. */
const RECORD_REFUSALS = [400, 404, 422];

export interface ActiveCampaignWriteOptions {
  /** Upserts of at least this many records go through bulk import (0 = never). */
  readonly bulkImportMin?: number;
}

/**
 * Writes contacts to ActiveCampaign, which takes one record per request:
 *
 *  - update by id: `PUT /contacts/{id}` per record (404 for an id it does not know);
 *  - update by email: `GET /contacts?email=` to find the id, then the PUT (two requests a record);
 *  - upsert by email: `POST /contact/sync` per record (201 created, 200 updated), or, for a batch of
 *    at least 10, one bulk import with per-record outcomes (activecampaign-bulk-import.ts).
 *
 * Custom fields go in `fieldValues: [{field: <id>, value}]`. Every refusal is the record's own
 * outcome with ActiveCampaign's explanation (422 `errors[]` with pointers, 404 message); a terminal
 * error (token, retries exhausted) leaves the records not yet tried `not-executed`.
 */
export class ActiveCampaignDestination implements Destination {
  readonly name: string;
  readonly vendor = 'ActiveCampaign';
  readonly capabilities = ACTIVECAMPAIGN_CAPABILITIES;
  /** Records per write() call; each is still one request (or one import for a batch). */
  readonly maxBatchSize = 100;
  readonly defaultConcurrency = 2;
  readonly #client: ActiveCampaignClient;
  readonly #limit = pLimit(IN_FLIGHT);
  readonly #fields = new FieldCache();
  #catalog: Promise<ContactFieldCatalog> | null = null;
  readonly #bulkMin: number;

  constructor(name: string, client: ActiveCampaignClient, options: ActiveCampaignWriteOptions = {}) {
    this.name = name;
    this.#client = client;
    this.#bulkMin = options.bulkImportMin ?? BULK_IMPORT_MIN;
  }

  async fields(object: string, signal?: AbortSignal): Promise<readonly CrmField[]> {
    contactsOnly(object);
    return this.#fields.get(object, async () => (await this.#catalogOf(signal)).fields);
  }

  async readCurrent(
    target: WriteTarget,
    records: readonly WriteRecord[],
    signal?: AbortSignal,
  ): Promise<ReadonlyMap<string, CurrentValues>> {
    contactsOnly(target.object);
    const out = new Map<string, CurrentValues>();
    const found = await this.#resolve(target, records, signal);
    const custom = [...target.fields.keys()].some((name) => !isStandardField(name));
    const catalog = await this.#catalogOf(signal);
    await Promise.all(
      records.map((record) =>
        this.#limit(async () => {
          const contact = found.get(record.key);
          if (contact === undefined) return;
          const values: Record<string, unknown> = { ...contact };
          if (custom) {
            const body = await this.#client.get(
              `contacts/${contact.id}/fieldValues`,
              'contacts/{id}/fieldValues',
              ContactFieldValuesSchema,
              {},
              signal,
            );
            for (const [name, id] of catalog.idOf)
              values[name] = body.fieldValues.find((v) => v.field === id)?.value ?? null;
          }
          out.set(record.key, values);
        }),
      ),
    );
    return out;
  }

  async write(
    target: WriteTarget,
    records: readonly WriteRecord[],
    signal?: AbortSignal,
  ): Promise<readonly WriteOutcome[]> {
    contactsOnly(target.object);
    const catalog = await this.#catalogOf(signal);
    if (target.operation === 'upsert' && this.#bulkMin > 0 && records.length >= this.#bulkMin) {
      return guard(records, () => bulkUpsert(this.#client, target, records, catalog.idOf, signal));
    }
    const settled = await Promise.allSettled(
      records.map((record) => this.#limit(() => this.#one(target, record, catalog, signal))),
    );
    let fatal: TideError | null = null;
    return settled.map((s, i): WriteOutcome => {
      if (s.status === 'fulfilled') return s.value;
      fatal ??= asTideError(s.reason);
      return { status: 'not-executed', key: records[i]!.key, reason: fatal.message, fatal };
    });
  }

  async #one(
    target: WriteTarget,
    record: WriteRecord,
    catalog: ContactFieldCatalog,
    signal?: AbortSignal,
  ): Promise<WriteOutcome> {
    const contact = body(record, catalog);
    if (target.operation === 'upsert') {
      const res = await this.#client.send(
        'POST',
        'contact/sync',
        'contact/sync',
        { contact: { ...contact, email: record.matchValue } },
        RECORD_REFUSALS,
        signal,
      );
      if (res.status >= 400)
        return { status: 'rejected', key: record.key, reason: errorReason(res.status, res.text) };
      const done = parseJson(res.text, ContactWrittenSchema, 'ActiveCampaign POST /api/3/contact/sync');
      return { status: 'written', key: record.key, crmId: done.contact.id, created: res.status === 201 };
    }
    let id = record.matchValue;
    if (target.match.by === 'email') {
      const found = await this.#byEmail(record.matchValue, signal);
      if (found === null)
        return {
          status: 'rejected',
          key: record.key,
          reason: `no contact has the email ${record.matchValue}`,
        };
      id = found;
    } else if (!/^[1-9]\d{0,18}$/.test(id)) {
      return { status: 'rejected', key: record.key, reason: `${id} is not an ActiveCampaign contact id` };
    }
    const res = await this.#client.send(
      'PUT',
      `contacts/${id}`,
      'contacts/{id}',
      { contact },
      RECORD_REFUSALS,
      signal,
    );
    if (res.status >= 400)
      return { status: 'rejected', key: record.key, reason: errorReason(res.status, res.text) };
    const done = parseJson(res.text, ContactWrittenSchema, 'ActiveCampaign PUT /api/3/contacts/{id}');
    return { status: 'written', key: record.key, crmId: done.contact.id, created: false };
  }

  async #byEmail(email: string, signal?: AbortSignal): Promise<string | null> {
    const page = await this.#client.page('contacts', 'contacts', ContactSchema, { email, limit: 1 }, signal);
    return page.items[0]?.id ?? null;
  }

  /** The records' contacts by key: one `GET /contacts?ids[]=…` per 100 ids, or one lookup per email. */
  async #resolve(target: WriteTarget, records: readonly WriteRecord[], signal?: AbortSignal) {
    const out = new Map<string, Readonly<Record<string, unknown>> & { readonly id: string }>();
    if (target.match.by === 'email') {
      await Promise.all(
        records.map((r) =>
          this.#limit(async () => {
            const page = await this.#client.page(
              'contacts',
              'contacts',
              ContactSchema,
              { email: r.matchValue, limit: 1 },
              signal,
            );
            if (page.items[0] !== undefined) out.set(r.key, page.items[0]);
          }),
        ),
      );
      return out;
    }
    const ids = records.map((r) => r.matchValue).filter((id) => /^[1-9]\d{0,18}$/.test(id));
    const keyOf = new Map(records.map((r) => [r.matchValue, r.key]));
    for (let i = 0; i < ids.length; i += PAGE_LIMIT) {
      const page = await this.#client.page(
        'contacts',
        'contacts',
        ContactSchema,
        { 'ids[]': ids.slice(i, i + PAGE_LIMIT), limit: PAGE_LIMIT },
        signal,
      );
      for (const c of page.items) {
        const key = keyOf.get(c.id);
        if (key !== undefined) out.set(key, c);
      }
    }
    return out;
  }

  #catalogOf(signal?: AbortSignal): Promise<ContactFieldCatalog> {
    this.#catalog ??= (async () => {
      const page = await this.#client.get(
        'fields',
        'fields',
        FieldsPageSchema,
        { limit: PAGE_LIMIT },
        signal,
      );
      return contactFieldCatalog(page.fields, page.fieldOptions ?? []);
    })();
    this.#catalog.catch(() => {
      this.#catalog = null;
    });
    return this.#catalog;
  }
}

/** The `contact` body: standard fields by API name, custom ones in `fieldValues` by id. */
function body(record: WriteRecord, catalog: ContactFieldCatalog): Record<string, unknown> {
  const contact: Record<string, unknown> = {};
  const fieldValues: { field: string; value: string }[] = [];
  for (const [name, value] of Object.entries(record.values)) {
    if (isStandardField(name)) contact[name] = encodeValue(value);
    else {
      const id = catalog.idOf.get(name);
      if (id !== undefined) fieldValues.push({ field: id, value: encodeValue(value) });
    }
  }
  if (fieldValues.length > 0) contact['fieldValues'] = fieldValues;
  return contact;
}

/** A bulk write that throws leaves every record not executed, carrying the error. */
async function guard(
  records: readonly WriteRecord[],
  write: () => Promise<WriteOutcome[]>,
): Promise<WriteOutcome[]> {
  try {
    return await write();
  } catch (error) {
    const fatal = asTideError(error);
    return records.map((r) => ({ status: 'not-executed', key: r.key, reason: fatal.message, fatal }));
  }
}

function asTideError(reason: unknown): TideError {
  return isTideError(reason)
    ? reason
    : new TideError('reverse_error', `ActiveCampaign write stopped: ${String(reason)}`, { cause: reason });
}

function contactsOnly(object: string): void {
  if (object !== 'contacts') {
    throw new TideError('config_invalid', `ActiveCampaign writes contacts only (sync object "${object}")`);
  }
}
