import type { SimRequest, SimResponse } from '../kit/sim-types.js';
import { zohoError } from './zoho-errors.js';
import type { FieldDef, ModuleName } from './zoho-field-catalog.js';
import type { ZohoStore } from './zoho-store.js';
import type { StoredValues } from './zoho-table.js';
import { parseClientTime } from './zoho-time.js';

export type WriteKind = 'insert' | 'update' | 'upsert';

type Item = Record<string, unknown>;
type Result =
  | { readonly ok: true; readonly json: Item }
  | { readonly ok: false; readonly json: Item; readonly stale: boolean };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d\d-\d\d$/;

/** How many credits a write costs: 1 per 10 records (PROTOCOL-FACTS-ZOHO… §1 "Writes"). */
export function writeCost(rawBody: string): number {
  const n = countItems(rawBody);
  return Math.max(1, Math.ceil(n / 10));
}

export function countItems(rawBody: string): number {
  try {
    const body: unknown = JSON.parse(rawBody);
    const data = (body as { data?: unknown }).data;
    return Array.isArray(data) ? data.length : 0;
  } catch {
    return 0;
  }
}

/**
 * Insert (`POST /crm/v8/{module}`), update (`PUT`) and upsert (`POST …/upsert`) of 1–100 records.
 * Answers 200 / 201 when every record was written, 207 when some were not, 400 when none was (412 when
 * every refusal is a stale record), with one `data[]` item per input in input order. Upsert matches
 * in `duplicate_check_fields` order (default: the module's unique fields, e.g. Email).
 * `If-Unmodified-Since` refuses updates of records modified after it (ALREADY_MODIFIED).
 */
export function writeRecords(
  store: ZohoStore,
  module: ModuleName,
  kind: WriteKind,
  req: SimRequest,
): SimResponse {
  let body: { data?: unknown; duplicate_check_fields?: unknown };
  try {
    body = JSON.parse(req.rawBody) as typeof body;
  } catch {
    return zohoError(400, 'INVALID_DATA', 'body is not valid JSON');
  }
  if (!Array.isArray(body.data) || body.data.length === 0) {
    return zohoError(400, 'REQUIRED_PARAM_MISSING', 'data is required', { param_name: 'data' });
  }
  if (body.data.length > 100) {
    return zohoError(400, 'LIMIT_EXCEEDED', 'A maximum of 100 records can be processed per API call', {
      limit: 100,
    });
  }
  const checkFields = Array.isArray(body.duplicate_check_fields)
    ? body.duplicate_check_fields.filter((f): f is string => typeof f === 'string')
    : store
        .fields(module)
        .filter((f) => f.unique === true)
        .map((f) => f.api_name);
  const unmodifiedSince = parseClientTime(headerOf(req, 'if-unmodified-since'));
  const results = body.data.map((raw, i): Result => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return refuse('INVALID_DATA', 'invalid data', { json_path: `$.data[${i}]` });
    }
    return writeOne(store, module, kind, raw as Item, i, checkFields, unmodifiedSince);
  });
  const failed = results.filter((r) => !r.ok);
  const status =
    failed.length === 0
      ? kind === 'insert'
        ? 201
        : 200
      : failed.length < results.length
        ? 207
        : failed.every((r) => !r.ok && r.stale)
          ? 412
          : 400;
  return { status, json: { data: results.map((r) => r.json) } };
}

function writeOne(
  store: ZohoStore,
  module: ModuleName,
  kind: WriteKind,
  input: Item,
  index: number,
  checkFields: readonly string[],
  unmodifiedSince: number | null,
): Result {
  const table = store.table(module);
  let slot: number | null = null;
  let duplicateField: string | null = null;
  if (kind === 'update') {
    if (typeof input.id !== 'string' && typeof input.id !== 'number') {
      return refuse('MANDATORY_NOT_FOUND', 'required field not found', {
        api_name: 'id',
        json_path: `$.data[${index}].id`,
      });
    }
    slot = table.slotOf(String(input.id));
    if (slot === null || !table.isLive(slot)) {
      return refuse('INVALID_DATA', 'the related id given seems to be invalid', {
        api_name: 'id',
        json_path: `$.data[${index}].id`,
      });
    }
  } else if (kind === 'upsert') {
    for (const name of checkFields) {
      const value = input[name];
      if (typeof value !== 'string' || value === '') continue;
      const match = findBy(store, module, name, value);
      if (match !== null) {
        slot = match;
        duplicateField = name;
        break;
      }
    }
  }
  const values: StoredValues = {};
  for (const [name, value] of Object.entries(input)) {
    if (name === 'id' || name === 'trigger') continue;
    const def = store.field(module, name);
    if (def === undefined) {
      return refuse('INVALID_DATA', 'invalid data', {
        api_name: name,
        json_path: `$.data[${index}].${name}`,
      });
    }
    const checked = checkValue(store, def, value);
    if (typeof checked === 'string') {
      return refuse('INVALID_DATA', checked, {
        api_name: name,
        json_path: `$.data[${index}].${name}`,
        expected_data_type: def.data_type,
      });
    }
    values[name] = checked.value;
  }
  if (slot === null) {
    const current: StoredValues = values;
    for (const def of store.fields(module)) {
      if (
        def.mandatory &&
        (current[def.api_name] === undefined ||
          current[def.api_name] === null ||
          current[def.api_name] === '')
      ) {
        return refuse('MANDATORY_NOT_FOUND', 'required field not found', {
          api_name: def.api_name,
          json_path: `$.data[${index}]`,
        });
      }
    }
    const now = store.clock.now();
    const created = table.add(-1, now, now, values);
    return success(store, module, created, kind === 'upsert' ? 'insert' : null, null, 'record added');
  }
  if (unmodifiedSince !== null && table.modifiedMs(slot) > Math.floor(unmodifiedSince / 1000) * 1000) {
    return {
      ok: false,
      stale: true,
      json: {
        code: 'ALREADY_MODIFIED',
        details: { id: table.idOf(slot) },
        message: 'record updated time has already passed if-unmodified-since time',
        status: 'error',
      },
    };
  }
  store.write(module, slot, values);
  return success(store, module, slot, kind === 'upsert' ? 'update' : null, duplicateField, 'record updated');
}

function success(
  store: ZohoStore,
  module: ModuleName,
  slot: number,
  action: 'insert' | 'update' | null,
  duplicateField: string | null,
  message: string,
): Result {
  const table = store.table(module);
  const by = { name: store.users[0]!.full_name, id: store.users[0]!.id };
  return {
    ok: true,
    json: {
      code: 'SUCCESS',
      ...(action === null ? {} : { duplicate_field: duplicateField, action }),
      details: {
        Modified_Time: store.time.format(table.modifiedMs(slot)),
        Modified_By: by,
        Created_Time: store.time.format(table.createdMs(slot)),
        id: table.idOf(slot),
        Created_By: by,
      },
      message,
      status: 'success',
    },
  };
}

function refuse(code: string, message: string, details: Item): Result {
  return { ok: false, stale: false, json: { code, details, message, status: 'error' } };
}

/** The live record whose field equals `value` (emails case-insensitively); the oldest when several. */
function findBy(store: ZohoStore, module: ModuleName, field: string, value: string): number | null {
  const table = store.table(module);
  const wanted = value.trim().toLowerCase();
  for (const slot of table.live()) {
    const v = table.values(slot)[field];
    if (typeof v === 'string' && v.trim().toLowerCase() === wanted) return slot;
  }
  return null;
}

/** Checks one value against its field; returns the value to store, or why Zoho refuses it. */
function checkValue(store: ZohoStore, def: FieldDef, value: unknown): { value: unknown } | string {
  if (def.read_only || def.data_type === 'formula') return `${def.api_name} is read only`;
  if (value === null) return { value: null };
  switch (def.data_type) {
    case 'text':
    case 'textarea':
    case 'website':
    case 'phone':
      if (typeof value !== 'string') return 'invalid data';
      if (def.length !== undefined && value.length > def.length) return `maximum length is ${def.length}`;
      return { value };
    case 'email':
      return typeof value === 'string' && EMAIL.test(value.trim()) ? { value } : 'invalid email';
    case 'integer':
    case 'bigint':
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2_147_483_647
        ? { value }
        : 'invalid data';
    case 'double':
    case 'currency':
      return typeof value === 'number' && Number.isFinite(value) ? { value } : 'invalid data';
    case 'boolean':
      return typeof value === 'boolean' ? { value } : 'invalid data';
    case 'date':
      return typeof value === 'string' && DATE.test(value) ? { value } : 'invalid date';
    case 'datetime': {
      const ms = typeof value === 'string' ? parseClientTime(value) : null;
      return ms === null ? 'invalid datetime' : { value: ms };
    }
    case 'picklist':
      return typeof value === 'string' && (def.options ?? []).includes(value) ? { value } : 'invalid option';
    case 'multiselectpicklist':
      return Array.isArray(value) &&
        value.every((v) => typeof v === 'string' && (def.options ?? []).includes(v))
        ? { value }
        : 'invalid option';
    case 'lookup':
    case 'ownerlookup': {
      const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : value;
      if (typeof id !== 'string' && typeof id !== 'number') return 'invalid lookup';
      if (def.data_type === 'ownerlookup') {
        const user = store.users.find((u) => u.id === String(id));
        return user === undefined
          ? 'invalid owner'
          : { value: { name: user.full_name, id: user.id, email: user.email } };
      }
      return { value: { name: String(id), id: String(id) } };
    }
    default:
      return 'invalid data';
  }
}

function headerOf(req: SimRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
