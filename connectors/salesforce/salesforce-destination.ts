import { z } from 'zod';
import type {
  CanonicalValue,
  CrmField,
  CurrentValues,
  Destination,
  WriteOutcome,
  WriteRecord,
  WriteTarget,
} from '../../core/destination.js';
import { parseJson } from '../../http/parse-json.js';
import { FieldCache } from '../../reverse/field-cache.js';
import { SALESFORCE_CAPABILITIES } from './salesforce-capabilities.js';
import type { SalesforceConnection } from './salesforce-connection.js';
import { parseSalesforceError } from './salesforce-error.js';
import { salesforceField, WritableDescribeSchema } from './salesforce-field-catalog.js';
import { soqlIdentifier, soqlString } from './soql.js';

/** One SaveResult / UpsertResult per input, in input order. */
const SaveResultsSchema = z.array(
  z.object({
    id: z.string().nullable().optional(),
    success: z.boolean(),
    created: z.boolean().optional(),
    errors: z
      .array(
        z.object({
          statusCode: z.string(),
          message: z.string().optional(),
          fields: z.array(z.string()).optional(),
        }),
      )
      .default([]),
  }),
);

/** A found record: its Id and the values the query read. */
interface Found {
  readonly id: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/**
 * Writes to Salesforce with sObject Collections, ≤ 100 records per call, `allOrNone: false` so one bad
 * record does not roll back the others: update (`PATCH /composite/sobjects`) by Id, and upsert by an
 * External ID field (`PATCH /composite/sobjects/{object}/{field}`). Updates keyed by email or an
 * external id first resolve Ids with one SOQL query per batch (never one per record). Results come
 * back in input order, one per record.
 */
export class SalesforceDestination implements Destination {
  readonly name: string;
  readonly vendor = 'Salesforce';
  readonly capabilities = SALESFORCE_CAPABILITIES;
  readonly maxBatchSize = 100;
  readonly defaultConcurrency = 4;
  readonly #connection: SalesforceConnection;
  readonly #fields = new FieldCache();

  constructor(name: string, connection: SalesforceConnection) {
    this.name = name;
    this.#connection = connection;
  }

  fields(object: string, signal?: AbortSignal): Promise<readonly CrmField[]> {
    return this.#fields.get(object, async () => {
      const client = this.#connection.client;
      const res = await client.json(
        {
          path: `${client.apiPath}/sobjects/${soqlIdentifier(object)}/describe`,
          ...(signal ? { signal } : {}),
        },
        WritableDescribeSchema,
      );
      return res.value.fields.map(salesforceField);
    });
  }

  async readCurrent(
    target: WriteTarget,
    records: readonly WriteRecord[],
    signal?: AbortSignal,
  ): Promise<ReadonlyMap<string, CurrentValues>> {
    const found = await this.#find(target, records, [...target.fields.keys()], signal);
    const out = new Map<string, CurrentValues>();
    for (const [key, matches] of found) if (matches.length === 1) out.set(key, matches[0]!.values);
    return out;
  }

  async write(
    target: WriteTarget,
    records: readonly WriteRecord[],
    signal?: AbortSignal,
  ): Promise<readonly WriteOutcome[]> {
    if (target.operation === 'upsert') {
      const field = soqlIdentifier(target.matchField?.name ?? 'Id');
      return this.#send(
        target,
        `/composite/sobjects/${soqlIdentifier(target.object)}/${field}`,
        records.map((r) => ({ record: r, body: { [field]: r.matchValue, ...encode(target, r.values) } })),
        signal,
      );
    }
    if (target.match.by === 'id') {
      return this.#send(
        target,
        '/composite/sobjects',
        records.map((r) => ({ record: r, body: { id: r.matchValue, ...encode(target, r.values) } })),
        signal,
      );
    }
    // Update-only by email / external id: resolve Ids in one query, then update by Id.
    const found = await this.#find(target, records, [], signal);
    const outcomes: WriteOutcome[] = [];
    const sendable: { record: WriteRecord; body: Record<string, unknown> }[] = [];
    for (const record of records) {
      const matches = found.get(record.key) ?? [];
      const field = target.matchField?.name ?? target.match.by;
      if (matches.length === 0) {
        outcomes.push({
          status: 'rejected',
          key: record.key,
          reason: `no ${target.object} has ${field} = ${record.matchValue}`,
        });
      } else if (matches.length > 1) {
        outcomes.push({
          status: 'rejected',
          key: record.key,
          reason: `${matches.length} ${target.object} records have ${field} = ${record.matchValue} (${matches
            .map((m) => m.id)
            .join(', ')}): match by Id to choose one`,
        });
      } else {
        sendable.push({ record, body: { id: matches[0]!.id, ...encode(target, record.values) } });
      }
    }
    return [...outcomes, ...(await this.#send(target, '/composite/sobjects', sendable, signal))];
  }

  async #send(
    target: WriteTarget,
    path: string,
    inputs: readonly { record: WriteRecord; body: Record<string, unknown> }[],
    signal?: AbortSignal,
  ): Promise<WriteOutcome[]> {
    if (inputs.length === 0) return [];
    const client = this.#connection.client;
    const res = await client.request({
      method: 'PATCH',
      path: `${client.apiPath}${path}`,
      json: {
        allOrNone: false,
        records: inputs.map((i) => ({ attributes: { type: target.object }, ...i.body })),
      },
      endpoint: `PATCH ${client.apiPath}${path.startsWith('/composite/sobjects/') ? '/composite/sobjects/{object}/{field}' : path}`,
      // A malformed call is refused as a whole (400): split to find the record that causes it.
      acceptStatuses: [400],
      ...(signal ? { signal } : {}),
    });
    if (res.status === 400) {
      const error = parseSalesforceError(400, res.text);
      const reason = `Salesforce refused the call (400 ${error.errorCode}): ${error.message}`;
      return inputs.map((i) => ({ status: 'not-executed', key: i.record.key, reason }));
    }
    const results = parseJson(res.text, SaveResultsSchema, `Salesforce PATCH ${path}`);
    return inputs.map(({ record }, i): WriteOutcome => {
      const result = results[i];
      if (result === undefined) {
        return {
          status: 'not-executed',
          key: record.key,
          reason: 'Salesforce returned no result for this record',
        };
      }
      if (result.success) {
        return {
          status: 'written',
          key: record.key,
          crmId: result.id ?? null,
          created: result.created === true,
        };
      }
      const reason = result.errors
        .map(
          (e) => `${e.statusCode}: ${e.message ?? ''}${e.fields?.length ? ` (${e.fields.join(', ')})` : ''}`,
        )
        .join('; ');
      return { status: 'rejected', key: record.key, reason: reason || 'rejected by Salesforce' };
    });
  }

  /** Records matching each WriteRecord's match value, with `fields`, by one SOQL query. */
  async #find(
    target: WriteTarget,
    records: readonly WriteRecord[],
    fields: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, Found[]>> {
    const matchField = target.match.by === 'id' ? 'Id' : (target.matchField?.name ?? 'Email');
    const select = [...new Set(['Id', matchField, ...fields])].map(soqlIdentifier).join(', ');
    const values = records.map((r) => soqlString(r.matchValue)).join(', ');
    const soql = `SELECT ${select} FROM ${soqlIdentifier(target.object)} WHERE ${soqlIdentifier(matchField)} IN (${values})`;
    // Salesforce compares text case-insensitively; emails are keyed in lower case here too.
    const caseless = target.match.by !== 'id';
    const keyOf = new Map(records.map((r) => [caseless ? r.matchValue.toLowerCase() : r.matchValue, r.key]));
    const out = new Map<string, Found[]>();
    for await (const page of this.#connection.client.queryPages(soql, {
      all: false,
      ...(signal ? { signal } : {}),
    })) {
      for (const row of page.records) {
        const raw = row[matchField];
        if (typeof raw !== 'string' || typeof row.Id !== 'string') continue;
        const key = keyOf.get(caseless ? raw.toLowerCase() : raw) ?? keyOf.get(raw.slice(0, 15));
        if (key === undefined) continue;
        out.set(key, [...(out.get(key) ?? []), { id: row.Id, values: row }]);
      }
    }
    return out;
  }
}

/** Salesforce takes typed JSON: numbers, booleans, `YYYY-MM-DD`, ISO date-times, `a;b` multi-picklists. */
function encode(
  target: WriteTarget,
  values: Readonly<Record<string, CanonicalValue>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const field = target.fields.get(name);
    out[field?.name ?? name] = Array.isArray(value) ? value.join(';') : value;
  }
  return out;
}
