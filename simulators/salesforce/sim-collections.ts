import { z } from 'zod';
import type { SimResponse } from '../kit/sim-types.js';
import { idSeq } from './salesforce-ids.js';
import type { SalesforceStore } from './salesforce-store.js';
import { sfError } from './sim-errors.js';
import type { FieldValue } from './sobject-schema.js';
import type { SObjectTable } from './sobject-table.js';
import { coerceValue } from './sobject-values.js';

const MAX_RECORDS = 200;
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  Contact: ['LastName'],
  Lead: ['LastName', 'Company'],
  Account: ['Name'],
  Opportunity: ['Name', 'StageName', 'CloseDate'],
};

const BodySchema = z.object({
  allOrNone: z.boolean().optional(),
  records: z.array(z.record(z.string(), z.unknown())),
});

interface RecordError {
  readonly statusCode: string;
  readonly message: string;
  readonly fields: readonly string[];
}

/** What one input record would do, decided before anything is written (allOrNone needs that). */
interface Plan {
  readonly id: string | null;
  readonly errors: RecordError[];
  apply?: () => { id: string; created: boolean };
}

/**
 * sObject Collections: `PATCH /composite/sobjects` (update by id) and
 * `PATCH /composite/sobjects/{type}/{externalIdField}` (upsert). At most 200 records; 200 OK with one
 * SaveResult per input, in input order, even when some failed; with `allOrNone` one failure rolls
 * back every record.
 */
export class SimCollections {
  readonly #store: SalesforceStore;
  readonly #nowSec: () => number;

  constructor(store: SalesforceStore, nowSec: () => number) {
    this.#store = store;
    this.#nowSec = nowSec;
  }

  update(rawBody: string): SimResponse {
    return this.#run(rawBody, null);
  }

  upsert(rawBody: string, type: string, externalIdField: string): SimResponse {
    const table = this.#store.table(type);
    if (!table) return sfError(400, 'INVALID_TYPE', `sObject type '${type}' is not supported.`);
    const field = table.fields.get(externalIdField);
    if (!field || (field.name !== 'Id' && field.externalId !== true)) {
      return sfError(
        400,
        'INVALID_FIELD',
        `Field name provided, ${externalIdField} is not an External ID or indexed field for ${table.schema.name}`,
      );
    }
    return this.#run(rawBody, { table, field: field.name });
  }

  #run(rawBody: string, upsert: { table: SObjectTable; field: string } | null): SimResponse {
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      return sfError(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON');
    }
    const body = BodySchema.safeParse(json);
    if (!body.success)
      return sfError(400, 'JSON_PARSER_ERROR', `Unexpected body: ${body.error.issues[0]?.message}`);
    const { records, allOrNone = false } = body.data;
    if (records.length > MAX_RECORDS) {
      return sfError(
        400,
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
      );
    }
    const plans = records.map((r) =>
      upsert ? this.#planUpsert(r, upsert.table, upsert.field) : this.#planUpdate(r),
    );
    const failed = plans.some((p) => p.errors.length > 0);
    const results = plans.map((plan) => {
      if (plan.errors.length > 0 || (allOrNone && failed) || !plan.apply) {
        const errors: RecordError[] =
          plan.errors.length > 0
            ? plan.errors
            : [
                {
                  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                  message:
                    'Record rolled back because not all records were valid and the request was using AllOrNone header',
                  fields: [],
                },
              ];
        return {
          ...(plan.id ? { id: plan.id } : {}),
          success: false,
          errors,
          ...(upsert ? { created: false } : {}),
        };
      }
      const done = plan.apply();
      return { id: done.id, success: true, errors: [], ...(upsert ? { created: done.created } : {}) };
    });
    return { status: 200, json: results };
  }

  #planUpdate(input: Record<string, unknown>): Plan {
    const type = (input.attributes as { type?: unknown } | undefined)?.type;
    const rawId = input.id ?? input.Id;
    const table = typeof type === 'string' ? this.#store.table(type) : undefined;
    if (!table) return fail(null, 'INVALID_TYPE', `Unknown or missing attributes.type: ${String(type)}`);
    if (typeof rawId !== 'string')
      return fail(null, 'MISSING_ARGUMENT', 'Id not specified in an update call');
    const seq = idSeq(table.schema.keyPrefix, rawId);
    if (seq === null) return fail(rawId, 'MALFORMED_ID', `malformed id ${rawId}`);
    if (!table.exists(seq)) return fail(rawId, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    if (table.isDeleted(seq)) return fail(rawId, 'ENTITY_IS_DELETED', 'entity is deleted');
    const id = table.id(seq);
    const { changes, errors } = this.#changes(table, input, new Set(['id', 'attributes']));
    const plan: Plan = { id, errors };
    plan.apply = () => {
      table.write(seq, changes, this.#nowSec());
      return { id, created: false };
    };
    return plan;
  }

  #planUpsert(input: Record<string, unknown>, table: SObjectTable, fieldName: string): Plan {
    const type = (input.attributes as { type?: unknown } | undefined)?.type;
    if (typeof type === 'string' && type.toLowerCase() !== table.schema.name.toLowerCase()) {
      return fail(null, 'INVALID_TYPE', `attributes.type ${type} does not match ${table.schema.name}`);
    }
    const key = Object.keys(input).find((k) => k.toLowerCase() === fieldName.toLowerCase());
    const value = key === undefined ? undefined : input[key];
    if (typeof value !== 'string' || value === '') {
      return fail(null, 'MISSING_ARGUMENT', `${fieldName} not specified`, [fieldName]);
    }
    const matches =
      fieldName === 'Id'
        ? [idSeq(table.schema.keyPrefix, value)].filter((s): s is number => s !== null && table.exists(s))
        : table.findByOverride(fieldName, value);
    if (matches.length > 1) {
      return fail(
        null,
        'DUPLICATE_EXTERNAL_ID',
        `${fieldName}: more than one record found for external id field: [${matches.map((s) => table.id(s)).join(', ')}]`,
        [fieldName],
      );
    }
    const { changes, errors } = this.#changes(table, input, new Set(['attributes', 'id']));
    const existing = matches[0];
    if (existing === undefined) {
      const missing = (REQUIRED[table.schema.name] ?? []).filter(
        (f) => changes[f] === undefined || changes[f] === null,
      );
      if (missing.length > 0) {
        errors.push({
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: `Required fields are missing: [${missing.join(', ')}]`,
          fields: missing,
        });
      }
    } else if (table.isDeleted(existing)) {
      return fail(table.id(existing), 'ENTITY_IS_DELETED', 'entity is deleted');
    }
    const plan: Plan = { id: existing === undefined ? null : table.id(existing), errors };
    plan.apply = () => {
      if (existing !== undefined) {
        table.write(existing, changes, this.#nowSec());
        return { id: table.id(existing), created: false };
      }
      const seq = table.create(changes, this.#nowSec(), true);
      return { id: table.id(seq), created: true };
    };
    return plan;
  }

  #changes(
    table: SObjectTable,
    input: Record<string, unknown>,
    skip: ReadonlySet<string>,
  ): { changes: Record<string, FieldValue>; errors: RecordError[] } {
    const changes: Record<string, FieldValue> = {};
    const errors: RecordError[] = [];
    for (const [name, raw] of Object.entries(input)) {
      if (skip.has(name.toLowerCase())) continue;
      const field = table.fields.get(name);
      if (!field) {
        errors.push({
          statusCode: 'INVALID_FIELD',
          message: `No such column '${name}' on sobject of type ${table.schema.name}`,
          fields: [name],
        });
        continue;
      }
      if (!field.updateable && !field.externalId) {
        errors.push({
          statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
          message: `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          fields: [field.name],
        });
        continue;
      }
      const coerced = coerceValue(field, raw);
      if (!coerced.ok) {
        const code = field.restricted
          ? 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'
          : 'INVALID_TYPE_ON_FIELD_IN_RECORD';
        errors.push({ statusCode: code, message: coerced.message, fields: [field.name] });
        continue;
      }
      if (coerced.value === null && (REQUIRED[table.schema.name] ?? []).includes(field.name)) {
        errors.push({
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: `Required fields are missing: [${field.name}]`,
          fields: [field.name],
        });
        continue;
      }
      changes[field.name] = coerced.value;
    }
    return { changes, errors };
  }
}

function fail(id: string | null, statusCode: string, message: string, fields: readonly string[] = []): Plan {
  return { id, errors: [{ statusCode, message, fields }] };
}
