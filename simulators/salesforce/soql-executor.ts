import { indexKey, keySeq } from './modstamp-index.js';
import { normalizeId } from './salesforce-ids.js';
import type { SalesforceStore } from './salesforce-store.js';
import type { FieldValue, SimField } from './sobject-schema.js';
import type { SObjectTable } from './sobject-table.js';
import { parseSoql, type SoqlCondition, SoqlError, type SoqlLiteral, type SoqlQuery } from './soql-parser.js';

/** A SOQL problem, reported like Salesforce: 400 with this errorCode. */
export class QueryError extends Error {
  readonly errorCode: string;
  constructor(errorCode: string, message: string) {
    super(message);
    this.errorCode = errorCode;
  }
}

export interface PreparedQuery {
  readonly table: SObjectTable;
  readonly query: SoqlQuery;
  /** Canonical fields in SELECT order (empty for COUNT()). */
  readonly fields: readonly SimField[];
  readonly count: boolean;
}

/** Parses and validates a query against the org's schema (object, fields, literal types). */
export function prepareQuery(store: SalesforceStore, soql: string): PreparedQuery {
  let query: SoqlQuery;
  try {
    query = parseSoql(soql);
  } catch (error) {
    if (error instanceof SoqlError) throw new QueryError('MALFORMED_QUERY', error.message);
    throw error;
  }
  const table = store.table(query.from);
  if (!table) {
    throw new QueryError(
      'INVALID_TYPE',
      `sObject type '${query.from}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`,
    );
  }
  const resolve = (name: string): SimField => {
    const f = table.fields.get(name);
    if (!f) {
      throw new QueryError(
        'INVALID_FIELD',
        `No such column '${name}' on entity '${table.schema.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`,
      );
    }
    return f;
  };
  const fields = query.select.kind === 'fields' ? query.select.fields.map(resolve) : [];
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f.name)) throw new QueryError('MALFORMED_QUERY', `duplicate field selected: ${f.name}`);
    seen.add(f.name);
  }
  for (const o of query.orderBy) resolve(o.field);
  if (query.where) checkCondition(query.where, resolve);
  return { table, query, fields, count: query.select.kind === 'count' };
}

function checkCondition(cond: SoqlCondition, resolve: (name: string) => SimField): void {
  switch (cond.kind) {
    case 'and':
    case 'or':
      for (const c of cond.items) checkCondition(c, resolve);
      return;
    case 'not':
      checkCondition(cond.item, resolve);
      return;
    case 'compare':
      checkLiteral(resolve(cond.field), cond.value, cond.op === '=' || cond.op === '!=');
      return;
    case 'in':
      for (const v of cond.values) checkLiteral(resolve(cond.field), v, false);
  }
}

function checkLiteral(field: SimField, literal: SoqlLiteral, nullAllowed: boolean): void {
  if (literal.kind === 'null') {
    if (nullAllowed) return;
    throw new QueryError('MALFORMED_QUERY', `null can only be compared with = or != (field ${field.name})`);
  }
  const expected = literalKindFor(field);
  if (literal.kind === expected) return;
  const what =
    expected === 'datetime'
      ? 'dateTime and should not be enclosed in quotes'
      : expected === 'date'
        ? 'date and should not be enclosed in quotes'
        : expected;
  throw new QueryError(
    'INVALID_FIELD',
    `value of filter criterion for field '${field.name}' must be of type ${what}`,
  );
}

function literalKindFor(field: SimField): SoqlLiteral['kind'] {
  switch (field.type) {
    case 'datetime':
      return 'datetime';
    case 'date':
      return 'date';
    case 'boolean':
      return 'boolean';
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return 'number';
    default:
      return 'string';
  }
}

/** Reads one record's fields, materializing it only when a non-key field is needed. */
class RowReader {
  readonly #table: SObjectTable;
  #seq = -1;
  #values: Record<string, FieldValue> | null = null;

  constructor(table: SObjectTable) {
    this.#table = table;
  }

  at(seq: number): this {
    this.#seq = seq;
    this.#values = null;
    return this;
  }

  get(field: SimField): FieldValue {
    if (field.name === 'SystemModstamp') return this.#table.modstampSec(this.#seq) * 1000;
    if (field.name === 'Id') return this.#table.id(this.#seq);
    if (field.name === 'IsDeleted') return this.#table.isDeleted(this.#seq);
    this.#values ??= this.#table.record(this.#seq);
    return this.#values[field.name] ?? null;
  }
}

/**
 * The ids matching a query, in result order, after OFFSET/LIMIT. `all` = queryAll (recycle bin
 * included). A WHERE that bounds SystemModstamp from below scans the (SystemModstamp, Id) index from
 * that point; ORDER BY SystemModstamp, Id or by Id needs no sort.
 */
export function runQuery(prepared: PreparedQuery, all: boolean): Int32Array {
  const { table, query } = prepared;
  const row = new RowReader(table);
  const where = query.where;
  const matches = (seq: number): boolean =>
    (all || !table.isDeleted(seq)) && (where === null || evaluate(where, row.at(seq), table));
  let out: number[] = [];
  const order = query.orderBy.map((o) => ({ ...o, field: table.fields.get(o.field)! }));
  const names = order.map((o) => o.field.name);
  const modstampFirst =
    names[0] === 'SystemModstamp' &&
    !order[0]!.descending &&
    (names.length === 1 || (names[1] === 'Id' && !order[1]!.descending && names.length === 2));
  const idOnly = names.length === 1 && names[0] === 'Id' && !order[0]!.descending;
  const lowerMs = where ? modstampLowerBound(where) : null;

  if (modstampFirst || (names.length === 0 && lowerMs !== null)) {
    const index = table.index;
    for (let p = index.lowerBound(indexKey(Math.floor((lowerMs ?? 0) / 1000), 0)); p < index.length; p++) {
      const seq = keySeq(index.at(p));
      if (matches(seq)) out.push(seq);
    }
  } else {
    for (let seq = 0; seq < table.count; seq++) if (table.exists(seq) && matches(seq)) out.push(seq);
    if (!idOnly && order.length > 0) {
      const reader = new RowReader(table);
      const keyed = out.map((seq) => ({ seq, keys: order.map((o) => reader.at(seq).get(o.field)) }));
      keyed.sort((a, b) => {
        for (let i = 0; i < order.length; i++) {
          const c = compareForOrder(a.keys[i]!, b.keys[i]!, order[i]!.nullsLast);
          if (c !== 0) return order[i]!.descending ? -c : c;
        }
        return a.seq - b.seq;
      });
      out = keyed.map((k) => k.seq);
    }
  }
  const start = query.offset ?? 0;
  const end = query.limit === null ? out.length : Math.min(out.length, start + query.limit);
  return Int32Array.from(out.slice(start, end));
}

function compareForOrder(a: FieldValue, b: FieldValue, nullsLast: boolean): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === nullsLast ? 1 : -1;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The smallest SystemModstamp (ms) a matching record can have, when the WHERE implies one. */
function modstampLowerBound(cond: SoqlCondition): number | null {
  switch (cond.kind) {
    case 'compare':
      if (cond.field.toLowerCase() !== 'systemmodstamp' || cond.value.kind !== 'datetime') return null;
      return cond.op === '>' || cond.op === '>=' || cond.op === '=' ? cond.value.ms : null;
    case 'and': {
      const bounds = cond.items.map(modstampLowerBound).filter((b): b is number => b !== null);
      return bounds.length === 0 ? null : Math.max(...bounds);
    }
    case 'or': {
      const bounds = cond.items.map(modstampLowerBound);
      return bounds.some((b) => b === null) ? null : Math.min(...(bounds as number[]));
    }
    default:
      return null;
  }
}

function evaluate(cond: SoqlCondition, row: RowReader, table: SObjectTable): boolean {
  switch (cond.kind) {
    case 'and':
      return cond.items.every((c) => evaluate(c, row, table));
    case 'or':
      return cond.items.some((c) => evaluate(c, row, table));
    case 'not':
      return !evaluate(cond.item, row, table);
    case 'in': {
      const field = table.fields.get(cond.field)!;
      const value = row.get(field);
      const hit =
        value !== null && cond.values.some((v) => compare(field, value, literalValue(field, v)) === 0);
      return cond.negated ? !hit && value !== null : hit;
    }
    case 'compare': {
      const field = table.fields.get(cond.field)!;
      const value = row.get(field);
      const literal = literalValue(field, cond.value);
      if (literal === null || value === null) {
        if (cond.op === '=') return value === literal;
        if (cond.op === '!=') return value !== literal;
        return false;
      }
      if (cond.op === 'like') return likeMatches(String(value), String(literal));
      const c = compare(field, value, literal);
      switch (cond.op) {
        case '=':
          return c === 0;
        case '!=':
          return c !== 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        default:
          return c >= 0;
      }
    }
  }
}

function literalValue(field: SimField, literal: SoqlLiteral): FieldValue {
  switch (literal.kind) {
    case 'null':
      return null;
    case 'datetime':
      return literal.ms;
    case 'string':
      return field.type === 'id' || field.type === 'reference'
        ? (normalizeId(literal.value) ?? literal.value)
        : literal.value;
    default:
      return literal.value;
  }
}

/** Ids compare exactly; other text compares case-insensitively, as Salesforce filters do. */
function compare(field: SimField, a: FieldValue, b: FieldValue): number {
  if (typeof a === 'string' && typeof b === 'string' && field.type !== 'id' && field.type !== 'reference') {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a! < b! ? -1 : a! > b! ? 1 : 0;
}

function likeMatches(value: string, pattern: string): boolean {
  const regex = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${regex}$`, 'is').test(value);
}
