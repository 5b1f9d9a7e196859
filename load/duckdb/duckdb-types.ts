import {
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  DuckDBDateValue,
  DuckDBTimestampTZValue,
  type DuckDBType,
  type DuckDBValue,
  TIMESTAMPTZ,
  VARCHAR,
} from '@duckdb/node-api';
import type { LogicalType } from '../../core/column-spec.js';
import type { CoercedValueByType } from '../coerce-value.js';

/**
 * How the appender writes one logical type: the vector type and the conversion from the coerced JS
 * value to the appender's value. (The SQL type name is the dialect's: duckdb-dialect.ts.)
 */
export interface DuckdbColumnType<T extends LogicalType> {
  readonly vector: DuckDBType;
  toDuckdb(value: CoercedValueByType[T]): DuckDBValue;
}

const MS_PER_DAY = 86_400_000;

/** The one LogicalType → DuckDB vector mapping. */
export const DUCKDB_TYPES: { readonly [K in LogicalType]: DuckdbColumnType<K> } = {
  string: { vector: VARCHAR, toDuckdb: (v) => v },
  integer: { vector: BIGINT, toDuckdb: (v) => (typeof v === 'bigint' ? v : BigInt(v)) },
  // DOUBLE rather than DECIMAL: CRM number fields carry no reliable precision/scale metadata.
  number: { vector: DOUBLE, toDuckdb: (v) => v },
  boolean: { vector: BOOLEAN, toDuckdb: (v) => v },
  timestamp: { vector: TIMESTAMPTZ, toDuckdb: (v) => timestampTZ(v.getTime()) },
  date: { vector: DATE, toDuckdb: (v) => new DuckDBDateValue(Date.parse(v) / MS_PER_DAY) },
  // JSON is VARCHAR underneath: the appender writes the text, DuckDB keeps the JSON alias.
  json: { vector: VARCHAR, toDuckdb: (v) => v },
};

/** Epoch ms → DuckDB TIMESTAMPTZ; one bigint conversion instead of two where the double is exact. */
export function timestampTZ(ms: number): DuckDBTimestampTZValue {
  return new DuckDBTimestampTZValue(Math.abs(ms) < EXACT_MICROS_MS ? BigInt(ms * 1000) : BigInt(ms) * 1000n);
}

/** Below this many ms, ms × 1000 is still an exactly representable integer. */
const EXACT_MICROS_MS = Number.MAX_SAFE_INTEGER / 1000;

export function duckdbType<T extends LogicalType>(type: T): DuckdbColumnType<T> {
  return DUCKDB_TYPES[type] as DuckdbColumnType<T>;
}
