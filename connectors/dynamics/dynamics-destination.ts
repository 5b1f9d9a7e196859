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
import { FieldCache } from '../../reverse/field-cache.js';
import { type BatchPartRequest, type BatchPartResponse, decodeBatch, encodeBatch } from './dynamics-batch.js';
import { DYNAMICS_CAPABILITIES } from './dynamics-capabilities.js';
import { DYNAMICS_TABLES } from './dynamics-config.js';
import type { DynamicsConnection } from './dynamics-connection.js';
import { dynamicsFields, encodeDataverseValue } from './dynamics-fields.js';
import { type DataverseTable, logicalNameOf } from './dynamics-metadata.js';
import { odataString } from './dynamics-odata.js';
import { dataverseError } from './dynamics-policy.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DynamicsWriteOptions {
  /** One `$batch` per write call, or one PATCH per record (`concurrency` in flight). */
  readonly mode: 'batch' | 'parallel';
  readonly concurrency: number;
}

/** A record with the key segment that addresses its row (`<guid>` or `tide_externalid='x'`). */
type Addressed = { readonly record: WriteRecord; readonly key: string };

/**
 * Writes to Dataverse. Updates carry `If-Match: *`, so a row that does not exist is reported, never
 * created; upserts (by an alternate key) carry no condition and ask for the representation to learn
 * whether the row was created. A call of up to 100 records is one `$batch` with
 * `Prefer: odata.continue-on-error` (each part succeeds or fails alone; no change set), or, in
 * `parallel` mode, one PATCH per record, bounded. Matching by email resolves ids with one query per
 * call first. Values were validated against the column metadata (dynamics-fields.ts) before.
 */
export class DynamicsDestination implements Destination {
  readonly name: string;
  readonly vendor = 'Dynamics 365';
  readonly capabilities = DYNAMICS_CAPABILITIES;
  readonly maxBatchSize = 100;
  readonly defaultConcurrency: number;
  readonly #connection: DynamicsConnection;
  readonly #options: DynamicsWriteOptions;
  readonly #limit: ReturnType<typeof pLimit>;
  readonly #fields = new FieldCache();
  readonly #logical = new Map<string, Promise<string>>();

  constructor(name: string, connection: DynamicsConnection, options: DynamicsWriteOptions) {
    this.name = name;
    this.#connection = connection;
    this.#options = options;
    this.#limit = pLimit(options.concurrency);
    this.defaultConcurrency = options.mode === 'batch' ? 4 : 1;
  }

  async #table(object: string, signal?: AbortSignal): Promise<DataverseTable> {
    let logical = this.#logical.get(object);
    if (logical === undefined) {
      const known = (DYNAMICS_TABLES as Readonly<Record<string, string>>)[object];
      const standard = Object.values(DYNAMICS_TABLES).find((l) => l === object);
      logical = Promise.resolve(known ?? standard ?? logicalNameOf(this.#connection.client, object, signal));
      logical.catch(() => this.#logical.delete(object));
      this.#logical.set(object, logical);
    }
    return this.#connection.tables.get(await logical, signal);
  }

  fields(object: string, signal?: AbortSignal): Promise<readonly CrmField[]> {
    return this.#fields.get(object, async () =>
      dynamicsFields(this.#connection.client, await this.#table(object, signal), signal),
    );
  }

  async readCurrent(
    target: WriteTarget,
    records: readonly WriteRecord[],
    signal?: AbortSignal,
  ): Promise<ReadonlyMap<string, CurrentValues>> {
    const table = await this.#table(target.object, signal);
    const column = this.#matchColumn(target, table);
    const values = records.map((r) => r.matchValue).filter((v) => target.match.by !== 'id' || GUID.test(v));
    const out = new Map<string, CurrentValues>();
    if (values.length === 0) return out;
    const keyOf = new Map(records.map((r) => [normalize(target, r.matchValue), r.key]));
    const rows = await this.#rowsWhere(table, column, values, [...target.fields.keys()], signal);
    for (const row of rows) {
      const key = keyOf.get(normalize(target, String(row[column] ?? '')));
      if (key !== undefined) out.set(key, row);
    }
    return out;
  }

  async write(
    target: WriteTarget,
    records: readonly WriteRecord[],
    signal?: AbortSignal,
  ): Promise<readonly WriteOutcome[]> {
    const table = await this.#table(target.object, signal);
    const outcomes = new Map<string, WriteOutcome>();
    const addressed = await this.#address(target, table, records, outcomes, signal);
    if (addressed.length > 0) {
      if (this.#options.mode === 'batch') await this.#batch(target, table, addressed, outcomes, signal);
      else await this.#parallel(target, table, addressed, outcomes, signal);
    }
    return records.map(
      (r) =>
        outcomes.get(r.key) ?? {
          status: 'not-executed',
          key: r.key,
          reason: 'Dynamics 365 returned no result for this record',
        },
    );
  }

  #matchColumn(target: WriteTarget, table: DataverseTable): string {
    return target.match.by === 'id' ? table.primaryId : (target.matchField?.name ?? 'emailaddress1');
  }

  /** The key segment of each record's row; records that cannot be addressed get their outcome. */
  async #address(
    target: WriteTarget,
    table: DataverseTable,
    records: readonly WriteRecord[],
    outcomes: Map<string, WriteOutcome>,
    signal?: AbortSignal,
  ): Promise<Addressed[]> {
    const reject = (r: WriteRecord, reason: string): void => {
      outcomes.set(r.key, { status: 'rejected', key: r.key, reason });
    };
    if (target.match.by === 'id') {
      const out: Addressed[] = [];
      for (const r of records) {
        if (GUID.test(r.matchValue)) out.push({ record: r, key: r.matchValue.toLowerCase() });
        else reject(r, `${r.matchValue} is not a Dataverse row id (a GUID)`);
      }
      return out;
    }
    const field = this.#matchColumn(target, table);
    if (target.match.by === 'external-id') {
      const numeric = target.matchField?.type === 'number';
      return records.map((r) => ({
        record: r,
        key: `${field}=${numeric ? r.matchValue : odataString(r.matchValue)}`,
      }));
    }
    // By email: Dataverse has no key on it, so the rows are looked up first (case-insensitive).
    const rows = await this.#rowsWhere(
      table,
      field,
      records.map((r) => r.matchValue),
      [],
      signal,
    );
    const ids = new Map<string, string[]>();
    for (const row of rows) {
      const email = String(row[field] ?? '')
        .trim()
        .toLowerCase();
      ids.set(email, [...(ids.get(email) ?? []), String(row[table.primaryId])]);
    }
    const out: Addressed[] = [];
    for (const r of records) {
      const found = ids.get(r.matchValue.trim().toLowerCase()) ?? [];
      if (found.length === 1) out.push({ record: r, key: found[0]! });
      else if (found.length === 0)
        reject(r, `no ${table.entitySetName} row has ${field} ${JSON.stringify(r.matchValue)}`);
      else
        reject(
          r,
          `${found.length} ${table.entitySetName} rows share ${field} ${JSON.stringify(r.matchValue)}: match by id or an alternate key`,
        );
    }
    return out;
  }

  /** Rows whose `column` is one of `values` (`Microsoft.Dynamics.CRM.In`), with `fields` selected. */
  async #rowsWhere(
    table: DataverseTable,
    column: string,
    values: readonly string[],
    fields: readonly string[],
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>[]> {
    const client = this.#connection.client;
    const path = `${client.apiPath}/${table.entitySetName}`;
    const select = [...new Set([table.primaryId, column, ...fields])].join(',');
    const filter = `Microsoft.Dynamics.CRM.In(PropertyName=${odataString(column)},PropertyValues=[${values.map(odataString).join(',')}])`;
    const rows: Record<string, unknown>[] = [];
    for await (const item of client.pages({
      path,
      query: { $select: select, $filter: filter },
      prefer: 'odata.maxpagesize=5000',
      endpoint: `GET ${path}`,
      ...(signal ? { signal } : {}),
    })) {
      if ('status' in item)
        throw new TideError('http_error', `Dynamics 365 GET ${path} failed with ${item.status}`);
      rows.push(...item.page.value);
    }
    return rows;
  }

  #part(target: WriteTarget, table: DataverseTable, a: Addressed): BatchPartRequest {
    const upsert = target.operation === 'upsert';
    const client = this.#connection.client;
    const body: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(a.record.values))
      body[name] = encodeDataverseValue(target.fields.get(name), value);
    return {
      method: 'PATCH',
      path: `${client.apiPath}/${table.entitySetName}(${encodeURIComponent(a.key)})${upsert ? `?$select=${table.primaryId}` : ''}`,
      // Update: If-Match: * makes a missing row a 404 instead of a new row. Upsert: the
      // representation tells created (201) from updated (200).
      headers: upsert ? { Prefer: 'return=representation' } : { 'If-Match': '*' },
      json: body,
    };
  }

  async #batch(
    target: WriteTarget,
    table: DataverseTable,
    addressed: readonly Addressed[],
    outcomes: Map<string, WriteOutcome>,
    signal?: AbortSignal,
  ): Promise<void> {
    const client = this.#connection.client;
    const res = await client.request({
      method: 'POST',
      path: `${client.apiPath}/$batch`,
      body: encodeBatch(addressed.map((a) => this.#part(target, table, a))),
      headers: { prefer: 'odata.continue-on-error' },
      endpoint: `POST ${client.apiPath}/$batch`,
      ...(signal ? { signal } : {}),
    });
    const parts = decodeBatch(res.headers.get('content-type'), res.text);
    addressed.forEach((a, i) => {
      const part = parts[i];
      if (part !== undefined) outcomes.set(a.record.key, outcomeOf(part, a, table));
    });
  }

  async #parallel(
    target: WriteTarget,
    table: DataverseTable,
    addressed: readonly Addressed[],
    outcomes: Map<string, WriteOutcome>,
    signal?: AbortSignal,
  ): Promise<void> {
    const client = this.#connection.client;
    let fatal: TideError | null = null;
    await Promise.all(
      addressed.map((a) =>
        this.#limit(async () => {
          if (fatal !== null) {
            outcomes.set(a.record.key, {
              status: 'not-executed',
              key: a.record.key,
              reason: fatal.message,
              fatal,
            });
            return;
          }
          const part = this.#part(target, table, a);
          try {
            const res = await client.request({
              method: 'PATCH',
              path: part.path,
              json: part.json,
              headers: part.headers,
              endpoint: `PATCH ${client.apiPath}/${table.entitySetName}({key})`,
              acceptStatuses: [400, 404, 412],
              ...(signal ? { signal } : {}),
            });
            const headers = new Map([...res.headers].map(([k, v]) => [k.toLowerCase(), v]));
            outcomes.set(a.record.key, outcomeOf({ status: res.status, headers, body: res.text }, a, table));
          } catch (error) {
            fatal ??= isTideError(error)
              ? error
              : new TideError('reverse_error', `Dynamics 365 write stopped: ${String(error)}`, {
                  cause: error,
                });
            outcomes.set(a.record.key, {
              status: 'not-executed',
              key: a.record.key,
              reason: fatal.message,
              fatal,
            });
          }
        }),
      ),
    );
  }
}

/** One record's outcome from its response (a `$batch` part or a PATCH's own response). */
function outcomeOf(part: BatchPartResponse, a: Addressed, table: DataverseTable): WriteOutcome {
  const key = a.record.key;
  if (part.status >= 200 && part.status < 300) {
    const entityId = /\(([0-9a-f-]{36})\)\s*$/i.exec(part.headers.get('odata-entityid') ?? '')?.[1];
    const represented = part.body === '' ? undefined : safeId(part.body, table.primaryId);
    return {
      status: 'written',
      key,
      crmId: (entityId ?? represented ?? (GUID.test(a.key) ? a.key : null))?.toLowerCase() ?? null,
      created: part.status === 201,
    };
  }
  const error = dataverseError(part.body);
  const detail = `${part.status}${error.code ? ` ${error.code}` : ''}: ${error.message}`;
  if (part.status === 429 || part.status >= 500)
    return { status: 'not-executed', key, reason: `Dynamics 365 answered ${detail}` };
  if (part.status === 404) {
    return {
      status: 'rejected',
      key,
      reason: `no ${table.entitySetName} row ${a.key} (updates never create rows): ${detail}`,
    };
  }
  return { status: 'rejected', key, reason: detail };
}

function safeId(body: string, primaryId: string): string | undefined {
  try {
    const id = (JSON.parse(body) as Record<string, unknown>)[primaryId];
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

function normalize(target: WriteTarget, value: string): string {
  return target.match.by === 'external-id' ? value : value.trim().toLowerCase();
}
