import { type DuckDBAppender, DuckDBDateValue, DuckDBTimestampTZValue } from '@duckdb/node-api';
import type { LogicalType } from '../../core/column-spec.js';
import type { CoercedValueByType } from '../coerce-value.js';

/**
 * How the appender writes one coerced value of a logical type into its column. (The SQL type name
 * is the dialect's: duckdb-dialect.ts.)
 */
export interface DuckdbColumnType<T extends LogicalType> {
  append(appender: DuckDBAppender, value: CoercedValueByType[T]): void;
}

const MS_PER_DAY = 86_400_000;

/** The one LogicalType → DuckDB appender mapping. */
export const DUCKDB_TYPES: { readonly [K in LogicalType]: DuckdbColumnType<K> } = {
  string: { append: (a, v) => a.appendVarchar(v) },
  integer: { append: (a, v) => a.appendBigInt(typeof v === 'bigint' ? v : BigInt(v)) },
  // DOUBLE rather than DECIMAL: CRM number fields carry no reliable precision/scale metadata.
  number: { append: (a, v) => a.appendDouble(v) },
  boolean: { append: (a, v) => a.appendBoolean(v) },
  timestamp: { append: (a, v) => a.appendTimestampTZ(timestampTZ(v.getTime())) },
  date: { append: (a, v) => a.appendDate(new DuckDBDateValue(Date.parse(v) / MS_PER_DAY)) },
  // JSON is VARCHAR underneath: the appender writes the text, DuckDB keeps the JSON alias.
  json: { append: (a, v) => a.appendVarchar(v) },
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
