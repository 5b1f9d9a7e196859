import {
  Bool,
  type DataType,
  DateDay,
  Field,
  Float64,
  Int32,
  Int64,
  Schema,
  TimestampMillisecond,
  Utf8,
} from 'apache-arrow';
import { type TypeFamily, typeFamily } from '../load/type-family.js';
import type { Warehouse } from '../load/warehouse.js';

/** What a result column becomes in Arrow; each kind converts Tide's plain query values its own way. */
export type ArrowKind = 'bool' | 'int32' | 'int64' | 'float64' | 'utf8' | 'json' | 'timestamp' | 'date';

export interface ArrowColumn {
  readonly name: string;
  readonly kind: ArrowKind;
}

/**
 * A warehouse type name (DuckDB's DESCRIBE, BigQuery's INFORMATION_SCHEMA data_type) → its Arrow
 * kind. Timestamps become UTC milliseconds (Tide's plain values carry milliseconds), DATE a day,
 * JSON and nested types their JSON text.
 */
export function arrowKindOf(warehouseType: string): ArrowKind {
  return ARROW_KINDS[typeFamily(warehouseType)];
}

const ARROW_KINDS: Readonly<Record<TypeFamily, ArrowKind>> = {
  bool: 'bool',
  int32: 'int32',
  int64: 'int64',
  float: 'float64',
  timestamp: 'timestamp',
  date: 'date',
  string: 'utf8',
  json: 'json',
  bytes: 'json',
  other: 'json',
};

export function arrowType(kind: ArrowKind): DataType {
  switch (kind) {
    case 'bool':
      return new Bool();
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'float64':
      return new Float64();
    case 'timestamp':
      return new TimestampMillisecond('UTC');
    case 'date':
      return new DateDay();
    case 'utf8':
    case 'json':
      return new Utf8();
  }
}

export function arrowSchema(columns: readonly ArrowColumn[]): Schema {
  return new Schema(
    columns.map(
      (c) =>
        new Field(
          c.name,
          arrowType(c.kind),
          true,
          c.kind === 'json' ? new Map([['tide:type', 'json']]) : undefined,
        ),
    ),
  );
}

/** A plain query value (load/duckdb/duckdb-plain-value.ts) as its Arrow builder takes it. */
export function arrowValue(kind: ArrowKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'bool':
      return Boolean(value);
    case 'int32':
      return Number(value);
    case 'int64':
      return typeof value === 'bigint'
        ? value
        : BigInt(typeof value === 'number' ? Math.trunc(value) : String(value));
    case 'float64':
      return Number(value);
    case 'timestamp':
    case 'date': {
      const ms = value instanceof Date ? value.getTime() : Date.parse(String(value));
      return Number.isFinite(ms) ? ms : null;
    }
    case 'utf8':
      return typeof value === 'string' ? value : JSON.stringify(value, jsonBigint);
    case 'json':
      return JSON.stringify(value, jsonBigint);
  }
}

function jsonBigint(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/**
 * The column types of a query's result, when the warehouse can say without running it (the dialect's
 * describeQuery: DuckDB's DESCRIBE). null elsewhere (BigQuery reports a result's schema only with its rows): the writer then
 * types each column by its first non-null value.
 */
export async function describeResult(warehouse: Warehouse, sql: string): Promise<ArrowColumn[] | null> {
  const describe = warehouse.dialect.describeQuery?.(sql.trim().replace(/;+\s*$/, ''));
  if (describe === undefined) return null;
  const columns: ArrowColumn[] = [];
  for await (const row of warehouse.query(describe)) {
    columns.push({ name: String(row['column_name']), kind: arrowKindOf(String(row['column_type'])) });
  }
  return columns;
}

/** A column's kind from the values of the first rows (BigQuery): numbers, booleans, objects, text. */
export function inferKind(values: readonly unknown[]): ArrowKind {
  const value = values.find((v) => v !== null && v !== undefined);
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') {
    return values.every((v) => v === null || v === undefined || Number.isSafeInteger(v))
      ? 'int64'
      : 'float64';
  }
  if (typeof value === 'bigint') return 'int64';
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) return 'json';
  return 'utf8';
}
