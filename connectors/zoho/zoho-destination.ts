import type {
  CanonicalValue,
  CrmField,
  CurrentValues,
  Destination,
  WriteOutcome,
  WriteRecord,
  WriteTarget,
} from '../../core/destination.js';
import { TideError } from '../../core/tide-error.js';
import { parseJson } from '../../http/parse-json.js';
import { ZOHO_CAPABILITIES } from './zoho-capabilities.js';
import type { ZohoConnection } from './zoho-connection.js';
import { zohoCrmField } from './zoho-fields.js';
import { parseZohoError } from './zoho-policy.js';
import { CoqlPageSchema, type WriteResult, WriteResultsSchema } from './zoho-schemas.js';
import { toZohoTime, zohoTimeMs } from './zoho-time.js';

/** Whole-call refusals answered with per-record `data[]` (every record failed) or Zoho's envelope. */
const CALL_REFUSALS = [400, 412];
const MODULE = /^[A-Za-z][A-Za-z0-9_]*$/;

interface Found {
  readonly id: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly modifiedMs: number | null;
}

/**
 * Writes to Zoho CRM, ≤ 100 records per call: update (`PUT /crm/v8/{module}`, by record id) and upsert
 * (`POST /crm/v8/{module}/upsert` with `duplicate_check_fields` = the match field, Email by default).
 * Updates keyed by email / a unique field first resolve ids with one COQL query per batch. Zoho answers
 * one `data[]` item per input in input order (200 / 207 / 400 / 412). Records read for fill-empty are
 * written with `If-Unmodified-Since` (the newest Modified_Time read), so a record changed in Zoho in
 * between is refused (ALREADY_MODIFIED) and reported as stale instead of being overwritten.
 */
export class ZohoDestination implements Destination {
  readonly name: string;
  readonly vendor = 'Zoho';
  readonly capabilities = ZOHO_CAPABILITIES;
  readonly maxBatchSize = 100;
  /** Zoho's heavy-call sub-concurrency is 10 per org; the edition's own limit may be 5. */
  readonly defaultConcurrency = 2;
  readonly #connection: ZohoConnection;
  /** Modified_Time of records read for fill-empty, by record key, for If-Unmodified-Since. */
  readonly #readAt = new Map<string, number>();

  constructor(name: string, connection: ZohoConnection) {
    this.name = name;
    this.#connection = connection;
  }

  async fields(object: string, signal?: AbortSignal): Promise<readonly CrmField[]> {
    const module = moduleName(object);
    const fields = await this.#connection.catalog.fields(module, signal ? { signal } : {});
    return fields.map((f) => zohoCrmField(module, f));
  }

  async readCurrent(
    target: WriteTarget,
    records: readonly WriteRecord[],
    signal?: AbortSignal,
  ): Promise<ReadonlyMap<string, CurrentValues>> {
    const found = await this.#find(
      target,
      records,
      [...target.fields.values()].map((f) => f.name),
      signal,
    );
    const out = new Map<string, CurrentValues>();
    for (const [key, matches] of found) {
      if (matches.length !== 1) continue;
      out.set(key, matches[0]!.values);
      const ms = matches[0]!.modifiedMs;
      if (ms !== null) this.#readAt.set(key, ms);
    }
    return out;
  }

  async write(
    target: WriteTarget,
    records: readonly WriteRecord[],
    signal?: AbortSignal,
  ): Promise<readonly WriteOutcome[]> {
    const module = moduleName(target.object);
    if (target.operation === 'upsert') {
      const field = target.matchField?.name ?? 'Email';
      return this.#send(
        'POST',
        `/crm/v8/${module}/upsert`,
        records.map((r) => ({ record: r, body: { ...encode(target, r.values), [field]: r.matchValue } })),
        { duplicate_check_fields: [field] },
        signal,
      );
    }
    if (target.match.by === 'id') {
      const outcomes: WriteOutcome[] = [];
      const sendable = records.filter((r) => {
        if (/^\d{1,19}$/.test(r.matchValue)) return true;
        outcomes.push({ status: 'rejected', key: r.key, reason: `${r.matchValue} is not a Zoho record id` });
        return false;
      });
      const sent = await this.#send(
        'PUT',
        `/crm/v8/${module}`,
        sendable.map((r) => ({ record: r, body: { id: r.matchValue, ...encode(target, r.values) } })),
        {},
        signal,
      );
      return [...outcomes, ...sent];
    }
    // Update-only by email / a unique field: resolve ids in one query, then update by id.
    const found = await this.#find(target, records, [], signal);
    const field = target.matchField?.name ?? 'Email';
    const outcomes: WriteOutcome[] = [];
    const sendable: { record: WriteRecord; body: Record<string, unknown> }[] = [];
    for (const record of records) {
      const matches = found.get(record.key) ?? [];
      if (matches.length === 0) {
        outcomes.push({
          status: 'rejected',
          key: record.key,
          reason: `no ${module} record has ${field} = ${record.matchValue}`,
        });
      } else if (matches.length > 1) {
        outcomes.push({
          status: 'rejected',
          key: record.key,
          reason: `${matches.length} ${module} records have ${field} = ${record.matchValue} (${matches.map((m) => m.id).join(', ')}): match by id to choose one`,
        });
      } else sendable.push({ record, body: { id: matches[0]!.id, ...encode(target, record.values) } });
    }
    return [...outcomes, ...(await this.#send('PUT', `/crm/v8/${module}`, sendable, {}, signal))];
  }

  async #send(
    method: 'PUT' | 'POST',
    path: string,
    inputs: readonly { record: WriteRecord; body: Record<string, unknown> }[],
    extra: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<WriteOutcome[]> {
    if (inputs.length === 0) return [];
    const readTimes = inputs
      .map((i) => this.#readAt.get(i.record.key))
      .filter((t): t is number => t !== undefined);
    const res = await this.#connection.client.request({
      method,
      path,
      json: { data: inputs.map((i) => i.body), ...extra },
      headers: readTimes.length === 0 ? {} : { 'if-unmodified-since': toZohoTime(Math.max(...readTimes)) },
      acceptStatuses: CALL_REFUSALS,
      ...(signal ? { signal } : {}),
    });
    for (const i of inputs) this.#readAt.delete(i.record.key);
    const parsed = WriteResultsSchema.safeParse(safeJson(res.text));
    if (!parsed.success || parsed.data.data.length !== inputs.length) {
      if (res.status < 400) parseJson(res.text, WriteResultsSchema, `Zoho ${method} ${path}`);
      const error = parseZohoError(res.status, res.text);
      const reason = `Zoho refused the call (${res.status} ${error.code}): ${error.message}${error.details ? ` ${error.details}` : ''}`;
      return inputs.map((i) => ({ status: 'not-executed', key: i.record.key, reason }));
    }
    // One item per input, in input order (Zoho: "maintains the same order as the input records").
    return inputs.map(({ record }, i) => outcome(record, parsed.data.data[i]!));
  }

  /** Records matching each WriteRecord's match value (by id, or by one COQL query), with `fields`. */
  async #find(
    target: WriteTarget,
    records: readonly WriteRecord[],
    fields: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, Found[]>> {
    const module = moduleName(target.object);
    const byId = target.match.by === 'id';
    const matchField = byId ? 'id' : (target.matchField?.name ?? 'Email');
    const select = [...new Set(['id', 'Modified_Time', matchField, ...fields])];
    const values = records.filter((r) => !byId || /^\d{1,19}$/.test(r.matchValue)).map((r) => r.matchValue);
    const out = new Map<string, Found[]>();
    if (values.length === 0) return out;
    const keyOf = new Map(
      records.map((r) => [byId ? r.matchValue : r.matchValue.trim().toLowerCase(), r.key]),
    );
    const rows = byId
      ? (
          await this.#connection.client.recordsPage(module, {
            fields: select.filter((f) => f !== 'id'),
            perPage: 200,
            ids: values,
            ...(signal ? { signal } : {}),
          })
        ).data
      : await this.#coql(module, select, matchField, values, signal);
    for (const row of rows) {
      const raw = row[matchField];
      if (typeof raw !== 'string') continue;
      const key = keyOf.get(byId ? raw : raw.trim().toLowerCase());
      if (key === undefined) continue;
      const modified =
        typeof row.Modified_Time === 'string'
          ? zohoTimeMs(row.Modified_Time, `${module} Modified_Time`)
          : null;
      out.set(key, [...(out.get(key) ?? []), { id: row.id, values: row, modifiedMs: modified }]);
    }
    return out;
  }

  async #coql(
    module: string,
    select: readonly string[],
    field: string,
    values: readonly string[],
    signal?: AbortSignal,
  ): Promise<ReadonlyArray<Readonly<Record<string, unknown>> & { id: string }>> {
    if (!MODULE.test(field))
      throw new TideError('config_invalid', `Zoho field name ${JSON.stringify(field)} cannot be queried`);
    const list = values.map((v) => `'${v.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`).join(', ');
    const query = `select ${select.join(', ')} from ${module} where ${field} in (${list}) limit 2000`;
    const res = await this.#connection.client.request({
      method: 'POST',
      path: '/crm/v8/coql',
      json: { select_query: query },
      ...(signal ? { signal } : {}),
    });
    if (res.status === 204 || res.text.trim() === '') return [];
    return parseJson(res.text, CoqlPageSchema, 'Zoho POST /crm/v8/coql').data;
  }
}

function outcome(record: WriteRecord, result: WriteResult): WriteOutcome {
  if (result.status === 'success' && result.code === 'SUCCESS') {
    const id = result.details?.id;
    return {
      status: 'written',
      key: record.key,
      crmId: typeof id === 'string' ? id : null,
      created: result.action === 'insert',
    };
  }
  const field = typeof result.details?.api_name === 'string' ? ` (${result.details.api_name})` : '';
  if (result.code === 'ALREADY_MODIFIED') {
    return {
      status: 'rejected',
      key: record.key,
      reason: `stale: the record changed in Zoho after Tide read it (ALREADY_MODIFIED: ${result.message ?? ''}); rerun to push against its current values`,
    };
  }
  return {
    status: 'rejected',
    key: record.key,
    reason: `${result.code}: ${result.message ?? 'rejected by Zoho'}${field}`,
  };
}

/** Zoho takes typed JSON: numbers, booleans, `YYYY-MM-DD`, datetimes with an offset, option lists. */
function encode(
  target: WriteTarget,
  values: Readonly<Record<string, CanonicalValue>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const field = target.fields.get(name);
    out[field?.name ?? name] =
      field?.type === 'datetime' && typeof value === 'string' ? toZohoTime(Date.parse(value)) : value;
  }
  return out;
}

function moduleName(object: string): string {
  if (!MODULE.test(object)) {
    throw new TideError(
      'config_invalid',
      `Zoho module name ${JSON.stringify(object)} is not a module API name (Contacts, Leads, …)`,
    );
  }
  return object;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
