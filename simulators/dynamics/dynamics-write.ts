import type { SimResponse } from '../kit/sim-types.js';
import { type AttributeDef, type EntityDef, isLookup } from './dynamics-entities.js';
import {
  badRequest,
  dataverseError,
  invalidPayloadProperty,
  payloadError,
  recordNotFound,
  validationError,
} from './dynamics-errors.js';
import { AnnotationFilter, formatRow } from './dynamics-format.js';
import type { DynamicsStore } from './dynamics-store.js';
import { type DynamicsTable, GUID, type LookupRef, type Row } from './dynamics-table.js';

/** How a write names its row: the key segment in `/contacts(<here>)`. */
export type RowKey =
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'alternate'; readonly values: Readonly<Record<string, string | number>> };

export interface WriteHeaders {
  readonly ifMatch: string | null;
  readonly ifNoneMatch: string | null;
  readonly returnRepresentation: boolean;
}

/** `contacts(<guid>)` or `contacts(tide_externalid='a''b',other=2)` → the key; null when malformed. */
export function parseRowKey(segment: string): RowKey | null {
  const text = segment.trim();
  if (GUID.test(text)) return { kind: 'id', id: text.toLowerCase() };
  const values: Record<string, string | number> = {};
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*('(?:[^']|'')*'|-?\d+(?:\.\d+)?)\s*(,|$)/y;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m === null) return null;
    const raw = m[2]!;
    values[m[1]!] = raw.startsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : Number(raw);
    pos = re.lastIndex;
  }
  return Object.keys(values).length > 0 ? { kind: 'alternate', values } : null;
}

/**
 * Create, update, upsert and delete with Dataverse's semantics (MicrosoftDocs webapi/
 * update-delete-entities-using-web-api.md, use-upsert-insert-update-record.md,
 * perform-conditional-operations-using-web-api.md): a PATCH without `If-Match` creates a missing
 * row (an upsert), `If-Match: *` makes it update-only (404), `If-None-Match: *` create-only (412),
 * `If-Match: W/"<version>"` is optimistic concurrency (412 on mismatch). Values are checked against
 * the column's type, length, range and options, as Dataverse's validation does.
 */
export class DynamicsWriter {
  readonly #store: DynamicsStore;

  constructor(store: DynamicsStore) {
    this.#store = store;
  }

  patch(root: string, table: DynamicsTable, key: RowKey, headers: WriteHeaders, body: unknown): SimResponse {
    const entity = table.entity;
    const resolved = this.#resolve(table, key);
    if ('status' in resolved) return resolved;
    const { index, id } = resolved;
    const ifMatch = headers.ifMatch === 'null' ? null : headers.ifMatch;
    const ifNoneMatch = headers.ifNoneMatch === 'null' ? null : headers.ifNoneMatch;
    if (index === null && ifMatch !== null) return recordNotFound(entity.logicalName, id ?? describeKey(key));
    if (index !== null && ifNoneMatch === '*') {
      return dataverseError(412, '0x80060892', 'A record with matching key values already exists.');
    }
    if (index !== null && ifMatch !== null && ifMatch !== '*' && ifMatch !== `W/"${table.version(index)}"`) {
      return dataverseError(
        412,
        '0x80060882',
        "The version of the existing record doesn't match the RowVersion property provided.",
      );
    }
    const changes = this.#values(entity, body);
    if (changes instanceof Refusal) return changes.response;
    if (index === null && key.kind === 'alternate') Object.assign(changes, key.values);
    const created = index === null;
    const written = this.#store.put(table, index, changes, {
      id: created && key.kind === 'id' ? key.id : null,
    });
    return this.#written(root, table, written, created, headers.returnRepresentation);
  }

  create(root: string, table: DynamicsTable, headers: WriteHeaders, body: unknown): SimResponse {
    const changes = this.#values(table.entity, body);
    if (changes instanceof Refusal) return changes.response;
    const givenId = changes[table.entity.primaryId];
    if (typeof givenId === 'string' && table.indexOf(givenId) !== null) {
      return dataverseError(412, '0x80040237', 'Cannot insert duplicate key.');
    }
    delete changes[table.entity.primaryId];
    const index = this.#store.put(table, null, changes, { id: typeof givenId === 'string' ? givenId : null });
    return this.#written(root, table, index, true, headers.returnRepresentation);
  }

  remove(table: DynamicsTable, key: RowKey): SimResponse {
    const resolved = this.#resolve(table, key);
    if ('status' in resolved) return resolved;
    if (resolved.index === null)
      return recordNotFound(table.entity.logicalName, resolved.id ?? describeKey(key));
    this.#store.remove(table, resolved.index);
    return { status: 204, headers: { 'OData-Version': '4.0' } };
  }

  /**
   * `POST /{set}/Microsoft.Dynamics.CRM.UpdateMultiple` with `{Targets:[…]}`: every target or none
   * (standard tables roll the whole request back on any error, MicrosoftDocs bulk-operations.md).
   */
  updateMultiple(table: DynamicsTable, body: unknown): SimResponse {
    const targets = (body as { Targets?: unknown } | null)?.Targets;
    if (!Array.isArray(targets)) return badRequest("UpdateMultiple needs 'Targets', an array of records.");
    if (targets.length > 1000)
      return badRequest('The number of records in Targets exceeds 1000.', '0x80040203');
    const rollback = this.#store.checkpoint();
    for (const target of targets) {
      const id = (target as Record<string, unknown>)[table.entity.primaryId];
      const index = typeof id === 'string' ? table.indexOf(id) : null;
      if (index === null || table.row(index) === null) {
        rollback();
        return recordNotFound(table.entity.logicalName, String(id));
      }
      const { '@odata.type': _type, ...rest } = target as Record<string, unknown>;
      const changes = this.#values(table.entity, rest);
      if (changes instanceof Refusal) {
        rollback();
        return changes.response;
      }
      delete changes[table.entity.primaryId];
      this.#store.put(table, index, changes);
    }
    return { status: 204, headers: { 'OData-Version': '4.0' } };
  }

  #resolve(table: DynamicsTable, key: RowKey): { index: number | null; id: string | null } | SimResponse {
    if (key.kind === 'id') {
      const index = table.indexOf(key.id);
      return { index: index !== null && table.row(index) !== null ? index : null, id: key.id };
    }
    const entity = table.entity;
    const names = Object.keys(key.values).sort();
    const defined = entity.keys.find((k) => [...k.attributes].sort().join(',') === names.join(','));
    if (defined === undefined) {
      return badRequest(
        `The key attributes ${names.join(', ')} do not match any alternate key defined for the entity '${entity.logicalName}'.`,
        '0x80060889',
      );
    }
    for (let i = 0; i < table.size; i++) {
      const row = table.row(i);
      if (
        row !== null &&
        names.every((n) => String(row[n] ?? '').toLowerCase() === String(key.values[n]).toLowerCase())
      ) {
        return { index: i, id: table.idAt(i) };
      }
    }
    return { index: null, id: null };
  }

  #written(
    root: string,
    table: DynamicsTable,
    index: number,
    created: boolean,
    representation: boolean,
  ): SimResponse {
    const set = table.entity.entitySetName;
    const entityId = `${root}/${set}(${table.idAt(index)})`;
    const headers = { 'OData-Version': '4.0', 'OData-EntityId': entityId };
    if (!representation) return { status: 204, headers };
    const row = table.liveRow(index);
    const body = formatRow(
      { entity: table.entity, select: null, annotations: new AnnotationFilter(null), nameOf: () => null },
      row,
      table.version(index),
    );
    return {
      status: created ? 201 : 200,
      headers,
      json: { '@odata.context': `${root}/$metadata#${set}/$entity`, ...body },
    };
  }

  /** The body's columns as row values, or the error Dataverse would answer. */
  #values(entity: EntityDef, body: unknown): Row | Refusal {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return new Refusal(payloadError(entity.entitySetName, 'the request body is not a JSON object'));
    }
    const out: Row = {};
    for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
      if (name === '@odata.type' || name === '@odata.etag') continue;
      if (name.endsWith('@odata.bind')) {
        const bound = this.#bind(entity, name.slice(0, -'@odata.bind'.length), value);
        if (bound instanceof Refusal) return bound;
        out[bound.attribute] = bound.ref;
        continue;
      }
      const a = entity.attributes.find((x) => x.logicalName === name);
      if (a === undefined || isLookup(a))
        return new Refusal(invalidPayloadProperty(entity.logicalName, name));
      if (a.logicalName === entity.primaryId) {
        out[name] = value;
        continue;
      }
      if (!a.updatable) {
        return new Refusal(
          badRequest(
            `The attribute '${name}' of entity '${entity.logicalName}' is read-only and cannot be set.`,
            '0x80048d19',
          ),
        );
      }
      const checked = checkValue(entity, a, value);
      if (checked instanceof Refusal) return checked;
      out[name] = checked;
    }
    return out;
  }

  #bind(
    entity: EntityDef,
    navigation: string,
    value: unknown,
  ): { attribute: string; ref: LookupRef } | Refusal {
    const a = entity.attributes.find(
      (x) => isLookup(x) && (x.logicalName === navigation || navigation.startsWith(`${x.logicalName}_`)),
    );
    if (a === undefined)
      return new Refusal(invalidPayloadProperty(entity.logicalName, `${navigation}@odata.bind`));
    const m =
      typeof value === 'string'
        ? /^\/?([A-Za-z_]+)\(([0-9a-f-]{36})\)$/i.exec(value.replace(/^.*\/api\/data\/v[\d.]+/, ''))
        : null;
    const target = m ? [...this.#store.catalog.values()].find((e) => e.entitySetName === m[1]) : undefined;
    if (m === null || target === undefined || !(a.targets ?? []).includes(target.logicalName)) {
      return new Refusal(badRequest(`'${String(value)}' is not a valid reference for ${navigation}.`));
    }
    const table = this.#store.table(target.logicalName);
    const index = table?.indexOf(m[2]!);
    if (index === null || index === undefined || table?.row(index) === null)
      return new Refusal(recordNotFound(target.logicalName, m[2]!));
    return { attribute: a.logicalName, ref: { id: m[2]!.toLowerCase(), entity: target.logicalName } };
  }
}

/** An answer that refuses a write, told apart from values by its class. */
class Refusal {
  readonly response: SimResponse;
  constructor(response: SimResponse) {
    this.response = response;
  }
}

function describeKey(key: RowKey): string {
  return key.kind === 'id' ? key.id : JSON.stringify(key.values);
}

/** A JSON value checked against its column: the stored value, or the error response. */
function checkValue(entity: EntityDef, a: AttributeDef, value: unknown): unknown {
  const checked = checkedValue(entity, a, value);
  return isResponse(checked) ? new Refusal(checked) : checked;
}

/** Column values are primitives or arrays: an object here is an error response. */
function isResponse(v: unknown): v is SimResponse {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkedValue(entity: EntityDef, a: AttributeDef, value: unknown): unknown {
  if (value === null) return null;
  const where = `'${a.logicalName}' on record of type '${entity.logicalName}'`;
  switch (a.type) {
    case 'String':
    case 'Memo':
      if (typeof value !== 'string')
        return payloadError(
          entity.entitySetName,
          `Cannot convert the literal '${String(value)}' to the expected type 'Edm.String'.`,
        );
      if (a.maxLength !== undefined && value.length > a.maxLength) {
        return validationError(
          `The length of the '${a.logicalName}' attribute of the '${entity.logicalName}' entity exceeded the maximum allowed length of '${a.maxLength}'.`,
        );
      }
      return value;
    case 'Integer':
    case 'BigInt':
    case 'Decimal':
    case 'Double':
    case 'Money': {
      const whole = a.type === 'Integer' || a.type === 'BigInt';
      if (typeof value !== 'number' || !Number.isFinite(value) || (whole && !Number.isInteger(value))) {
        return payloadError(
          entity.entitySetName,
          `Cannot convert the literal '${String(value)}' to the expected type 'Edm.${whole ? 'Int32' : 'Decimal'}'.`,
        );
      }
      if ((a.min !== undefined && value < a.min) || (a.max !== undefined && value > a.max)) {
        return validationError(
          `The value ${value} of ${where} is outside the valid range. Accepted range: ${a.min} to ${a.max}.`,
        );
      }
      return a.precision !== undefined ? Number(value.toFixed(a.precision)) : value;
    }
    case 'Boolean':
      if (typeof value !== 'boolean')
        return payloadError(
          entity.entitySetName,
          `Cannot convert the literal '${String(value)}' to the expected type 'Edm.Boolean'.`,
        );
      return value;
    case 'DateTime': {
      if (typeof value !== 'string' || !Number.isFinite(Date.parse(value))) {
        return payloadError(
          entity.entitySetName,
          `Cannot convert the literal '${String(value)}' to the expected type 'Edm.DateTimeOffset'.`,
        );
      }
      return a.dateOnly === true
        ? value.slice(0, 10)
        : `${new Date(Date.parse(value)).toISOString().slice(0, 19)}Z`;
    }
    case 'Picklist':
    case 'State':
    case 'Status':
      if (typeof value !== 'number' || !(a.options ?? []).some((o) => o.value === value)) {
        return validationError(`The value ${String(value)} of ${where} is outside the valid range.`);
      }
      return value;
    case 'MultiSelectPicklist': {
      const items =
        typeof value === 'string'
          ? value
              .split(',')
              .filter((v) => v !== '')
              .map(Number)
          : null;
      if (items === null || items.some((v) => !(a.options ?? []).some((o) => o.value === v))) {
        return validationError(`The value ${String(value)} of ${where} is outside the valid range.`);
      }
      return items;
    }
    default:
      return value;
  }
}
