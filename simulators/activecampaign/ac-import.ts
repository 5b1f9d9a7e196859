import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SimResponse } from '../kit/sim-types.js';
import { badRequest, EMAIL_PATTERN, jsonBody } from './ac-errors.js';
import type { AcStore } from './ac-store.js';

/** Reference: "Up to 250 contacts may be included in a single request". */
export const IMPORT_MAX_CONTACTS = 250;

/** One row of `POST /import/bulk_import`: snake_case, unlike the rest of v3. */
const ImportRow = z
  .object({
    email: z.string(),
    first_name: z.string().optional(),
    last_name: z.string().optional(),
    phone: z.string().optional(),
    customer_acct_name: z.string().optional(),
    tags: z.array(z.string()).optional(),
    fields: z
      .array(z.object({ id: z.union([z.number().int(), z.string()]), value: z.string() }).strict())
      .optional(),
    subscribe: z.array(z.object({ listid: z.union([z.string(), z.number()]) })).optional(),
    unsubscribe: z.array(z.object({ listid: z.union([z.string(), z.number()]) })).optional(),
  })
  .strict();
type ImportRow = z.output<typeof ImportRow>;

const ImportBody = z.object({
  contacts: z.array(z.unknown()),
  callback: z
    .looseObject({
      url: z.string(),
      requestType: z.enum(['GET', 'POST']),
      detailed_results: z.union([z.string(), z.boolean()]).optional(),
      params: z.array(z.looseObject({ key: z.string(), value: z.string() })).optional(),
      headers: z.array(z.looseObject({ key: z.string(), value: z.string() })).optional(),
    })
    .optional(),
});

interface Batch {
  status: 'processing' | 'completed';
  success: string[];
  failure: string[];
}

/**
 * Bulk import (reference: bulk-import-contacts, bulk-import-status-info). The request is validated
 * as a whole: any invalid row answers 400 with `failureReasons: [{contact: <index>, failureReason}]`
 * and nothing is queued. Accepted imports answer `{"Success":1, …, "batchId"}` and run after
 * `delayMs`: each row creates or updates the contact with that email, except rows whose email the
 * account blocks, which end in `failure` (by email) while the others end in `success` (by contact
 * id). Unknown row keys (camelCase `firstName`) are refused (INFERENCE: the API may ignore them, which
 * would silently drop the value; refusing makes the mistake visible).
 */
export class BulkImports {
  readonly #store: AcStore;
  readonly #batches = new Map<string, Batch>();
  readonly #timers = new Set<NodeJS.Timeout>();
  delayMs: number;
  /** Emails the account refuses to import or write (set through /_sim/config). */
  readonly blocked = new Set<string>();

  constructor(store: AcStore, delayMs: number) {
    this.#store = store;
    this.delayMs = delayMs;
  }

  submit(rawBody: string): SimResponse {
    const parsed = ImportBody.safeParse(jsonBody(rawBody));
    if (!parsed.success) return badRequest('The request body must be JSON with a "contacts" array.');
    const { contacts, callback } = parsed.data;
    if (contacts.length === 0 || contacts.length > IMPORT_MAX_CONTACTS) {
      return invalid([`Between 1 and ${IMPORT_MAX_CONTACTS} contacts may be included in a single request.`]);
    }
    const rows: ImportRow[] = [];
    const reasons: { contact: number; failureReason: string }[] = [];
    contacts.forEach((raw, index) => {
      const row = ImportRow.safeParse(raw);
      if (!row.success) {
        const issue = row.error.issues[0];
        const key = issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue?.path.join('.');
        reasons.push({ contact: index, failureReason: `Field '${key ?? 'contact'}' is not valid` });
        return;
      }
      if (!EMAIL_PATTERN.test(row.data.email.trim())) {
        reasons.push({ contact: index, failureReason: "Field 'email' incorrect format" });
        return;
      }
      const unknown = (row.data.fields ?? []).find((f) => this.#store.fields.get(Number(f.id)) === undefined);
      if (unknown !== undefined) {
        reasons.push({
          contact: index,
          failureReason: `Field 'fields' refers to unknown custom field ${unknown.id}`,
        });
        return;
      }
      rows.push(row.data);
    });
    if (reasons.length > 0) return invalid(reasons);
    const batchId = randomUUID();
    const batch: Batch = { status: 'processing', success: [], failure: [] };
    this.#batches.set(batchId, batch);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#process(batch, rows);
      if (callback !== undefined) notify(callback.url, callback.requestType, batchId, batch);
    }, this.delayMs);
    timer.unref();
    this.#timers.add(timer);
    return {
      status: 200,
      json: { Success: 1, queued_contacts: rows.length, batchId, message: 'Contact import queued' },
    };
  }

  /** `GET /import/info?batchId=`. */
  info(batchId: string | null): SimResponse {
    if (batchId === null || batchId === '')
      return { status: 400, json: { success: 0, message: "'batchId' is a required field." } };
    const batch = this.#batches.get(batchId);
    if (batch === undefined)
      return { status: 404, json: { success: 0, message: `No import found with batchId ${batchId}` } };
    return { status: 200, json: { status: batch.status, success: batch.success, failure: batch.failure } };
  }

  /** `GET /import/bulk_import`: outstanding and recently completed batches. */
  list(): SimResponse {
    const outstanding: string[] = [];
    const recentlyCompleted: string[] = [];
    for (const [id, b] of this.#batches)
      (b.status === 'completed' ? recentlyCompleted : outstanding).push(id);
    return { status: 200, json: { outstanding, recentlyCompleted } };
  }

  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #process(batch: Batch, rows: readonly ImportRow[]): void {
    const store = this.#store;
    const now = store.now();
    for (const row of rows) {
      const email = row.email.trim();
      if (this.blocked.has(email.toLowerCase())) {
        batch.failure.push(email);
        continue;
      }
      const contact =
        store.contactByEmail(email) ??
        store.addContact({ email, firstName: '', lastName: '', phone: '', cdateMs: now, udateMs: now });
      if (row.first_name !== undefined) contact.firstName = row.first_name;
      if (row.last_name !== undefined) contact.lastName = row.last_name;
      if (row.phone !== undefined) contact.phone = row.phone;
      for (const f of row.fields ?? []) store.setFieldValue(contact.id, Number(f.id), f.value, now);
      if (row.customer_acct_name !== undefined) {
        const account = store.accounts.rows().find((a) => a.name === row.customer_acct_name);
        const linked = store.accountContacts.rows().some((l) => l.contact === contact.id);
        if (account !== undefined && !linked) {
          store.accountContacts.add({
            id: store.accountContacts.nextId,
            account: account.id,
            contact: contact.id,
            jobTitle: '',
            createdMs: now,
            updatedMs: now,
          });
        }
      }
      contact.udateMs = now;
      batch.success.push(String(contact.id));
    }
    batch.status = 'completed';
  }
}

function invalid(failureReasons: readonly unknown[]): SimResponse {
  return {
    status: 400,
    json: {
      success: 0,
      message:
        'JSON payload did not pass validation. Please fix failure Reasons and retry. The import was not queued for processing.',
      failureReasons,
    },
  };
}

function notify(url: string, method: 'GET' | 'POST', batchId: string, batch: Batch): void {
  const body = JSON.stringify({
    batchId,
    status: batch.status,
    success: batch.success,
    failure: batch.failure,
  });
  const target =
    method === 'GET' ? `${url}${url.includes('?') ? '&' : '?'}batchId=${encodeURIComponent(batchId)}` : url;
  fetch(
    target,
    method === 'GET' ? {} : { method, headers: { 'content-type': 'application/json' }, body },
  ).catch(() => undefined);
}
