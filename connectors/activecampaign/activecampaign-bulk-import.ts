import type { WriteOutcome, WriteRecord, WriteTarget } from '../../core/destination.js';
import { TideError } from '../../core/tide-error.js';
import { sleep } from '../../http/backoff.js';
import { parseJson } from '../../http/parse-json.js';
import { jsonOrEmpty } from '../../http/vendor-policy.js';
import { type ActiveCampaignClient, PAGE_LIMIT } from './activecampaign-client.js';
import { encodeValue, IMPORT_NAMES, isStandardField } from './activecampaign-crm-field.js';
import {
  ContactSchema,
  ImportInfoSchema,
  ImportQueuedSchema,
  ImportRefusedSchema,
} from './activecampaign-schemas.js';
import { acTime } from './activecampaign-time.js';

/** The reference suggests contact/sync below this many contacts. */
export const BULK_IMPORT_MIN = 10;
/** A refused import is sent again without its invalid rows at most this many times. */
const RESUBMITS = 3;
const POLL_FIRST_MS = 200;
const POLL_MAX_MS = 2000;
const IMPORT_TIMEOUT_MS = 15 * 60_000;

/**
 * Upsert by email through `POST /import/bulk_import` (one request for a whole batch of ≤ 100, where
 * contact/sync costs one per record at 5 a second), keeping per-record outcomes:
 *
 *  - the import is validated as a whole: a 400 names invalid rows by index (`failureReasons`), those
 *    are rejected with ActiveCampaign's reason and the rest is sent again; a 400 without indexes
 *    leaves the batch `not-executed`, so the sync engine splits it (small halves go through sync);
 *  - an accepted import is polled on `/import/info` until completed: emails under `failure` are
 *    rejected, ids under `success` are resolved to emails with one `GET /contacts?ids[]=…` per 100,
 *    so each written record gets its contact id (created = its cdate equals its udate);
 *  - imports spend from the account's 100-a-minute import budget as well as its request budget.
 */
export async function bulkUpsert(
  client: ActiveCampaignClient,
  target: WriteTarget,
  records: readonly WriteRecord[],
  idOf: ReadonlyMap<string, string>,
  signal?: AbortSignal,
): Promise<WriteOutcome[]> {
  const outcomes: WriteOutcome[] = [];
  let pending = [...records];
  for (let round = 0; pending.length > 0; ) {
    if (round > RESUBMITS) {
      for (const r of pending)
        outcomes.push({ status: 'not-executed', key: r.key, reason: 'the import kept being refused' });
      break;
    }
    await client.imports.acquire(signal);
    const res = await client.send(
      'POST',
      'import/bulk_import',
      'import/bulk_import',
      { contacts: pending.map((r) => importRow(target, r, idOf)) },
      [400],
      signal,
    );
    if (res.status === 400) {
      const refused = ImportRefusedSchema.safeParse(jsonOrEmpty(res.text));
      const reasons = refused.success ? (refused.data.failureReasons ?? []) : [];
      const byIndex = new Map<number, string>();
      for (const r of reasons) if (typeof r !== 'string') byIndex.set(r.contact, r.failureReason);
      if (refused.success && /rate limit/i.test(refused.data.message ?? '')) {
        // The import limit is a rate limit: waited out with the run's budget, no resubmit used up.
        await client.http.waitOutSignalledLimit(
          60_000,
          `400 ${refused.data.message ?? 'Rate limit exceeded.'}`,
          client.imports,
          'POST /api/3/import/bulk_import',
          signal,
        );
        continue;
      }
      round++;
      if (byIndex.size === 0) {
        const reason = refused.success
          ? (refused.data.message ?? res.text.slice(0, 200))
          : res.text.slice(0, 200);
        for (const r of pending)
          outcomes.push({ status: 'not-executed', key: r.key, reason: `400: ${reason}` });
        break;
      }
      pending.forEach((r, i) => {
        const reason = byIndex.get(i);
        if (reason !== undefined) outcomes.push({ status: 'rejected', key: r.key, reason: `400: ${reason}` });
      });
      pending = pending.filter((_, i) => !byIndex.has(i));
      continue;
    }
    const { batchId } = parseJson(
      res.text,
      ImportQueuedSchema,
      'ActiveCampaign POST /api/3/import/bulk_import',
    );
    outcomes.push(...(await settle(client, batchId, pending, signal)));
    break;
  }
  return outcomes;
}

function importRow(
  target: WriteTarget,
  record: WriteRecord,
  idOf: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const row: Record<string, unknown> = { email: record.matchValue };
  const fields: { id: number; value: string }[] = [];
  for (const [name, value] of Object.entries(record.values)) {
    if (isStandardField(name)) row[IMPORT_NAMES[name] ?? name] = encodeValue(value);
    else {
      const id = idOf.get(name) ?? idOf.get(target.fields.get(name)?.name ?? '');
      if (id !== undefined) fields.push({ id: Number(id), value: encodeValue(value) });
    }
  }
  if (fields.length > 0) row['fields'] = fields;
  return row;
}

async function settle(
  client: ActiveCampaignClient,
  batchId: string,
  records: readonly WriteRecord[],
  signal?: AbortSignal,
): Promise<WriteOutcome[]> {
  const started = Date.now();
  let waitMs = POLL_FIRST_MS;
  for (;;) {
    await sleep(waitMs, signal);
    const info = await client.get('import/info', 'import/info', ImportInfoSchema, { batchId }, signal);
    if (info.status === 'completed') return outcomesOf(client, info, records, signal);
    if (Date.now() - started > IMPORT_TIMEOUT_MS) {
      throw new TideError(
        'reverse_error',
        `ActiveCampaign import ${batchId} did not complete within 15 minutes`,
        {
          hint: 'check the import in ActiveCampaign (Contacts → Imports); the next run sends what is not confirmed',
        },
      );
    }
    waitMs = Math.min(POLL_MAX_MS, waitMs * 2);
  }
}

async function outcomesOf(
  client: ActiveCampaignClient,
  info: {
    readonly success?: readonly string[] | null | undefined;
    readonly failure?: readonly string[] | null | undefined;
  },
  records: readonly WriteRecord[],
  signal?: AbortSignal,
): Promise<WriteOutcome[]> {
  const failed = new Set((info.failure ?? []).map((e) => e.trim().toLowerCase()));
  const written = new Map<string, { id: string; created: boolean }>();
  const ids = [...new Set(info.success ?? [])];
  for (let i = 0; i < ids.length; i += PAGE_LIMIT) {
    const chunk = ids.slice(i, i + PAGE_LIMIT);
    const page = await client.page(
      'contacts',
      'contacts',
      ContactSchema,
      { 'ids[]': chunk, limit: PAGE_LIMIT },
      signal,
    );
    for (const c of page.items) {
      const created = acTime(c.cdate) !== null && acTime(c.cdate) === acTime(c.udate);
      if (c.email) written.set(c.email.trim().toLowerCase(), { id: c.id, created });
    }
  }
  return records.map((r): WriteOutcome => {
    const email = r.matchValue.trim().toLowerCase();
    if (failed.has(email)) {
      return {
        status: 'rejected',
        key: r.key,
        reason: 'ActiveCampaign did not import this contact (listed under failure in /import/info)',
      };
    }
    const done = written.get(email);
    if (done !== undefined) return { status: 'written', key: r.key, crmId: done.id, created: done.created };
    return {
      status: 'rejected',
      key: r.key,
      reason: 'the completed import reports no result for this contact',
    };
  });
}
