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

/** How one logical type is stored in DuckDB: its SQL type, the vector type the appender writes, and
 * the conversion from the coerced JS value to the appender's value. */
export interface DuckdbColumnType<T extends LogicalType> {
  readonly sql: string;
  readonly vector: DuckDBType;
  toDuckdb(value: CoercedValueByType[T]): DuckDBValue;
}

const MS_PER_DAY = 86_400_000;

/** The one LogicalType → DuckDB mapping. */
export const DUCKDB_TYPES: { readonly [K in LogicalType]: DuckdbColumnType<K> } = {
  string: { sql: 'VARCHAR', vector: VARCHAR, toDuckdb: (v) => v },
  integer: { sql: 'BIGINT', vector: BIGINT, toDuckdb: (v) => (typeof v === 'bigint' ? v : BigInt(v)) },
  // DOUBLE rather than DECIMAL: CRM number fields carry no reliable precision/scale metadata.
  number: { sql: 'DOUBLE', vector: DOUBLE, toDuckdb: (v) => v },
  boolean: { sql: 'BOOLEAN', vector: BOOLEAN, toDuckdb: (v) => v },
  timestamp: {
    sql: 'TIMESTAMPTZ',
    vector: TIMESTAMPTZ,
    toDuckdb: (v) => timestampTZ(v.getTime()),
  },
  date: { sql: 'DATE', vector: DATE, toDuckdb: (v) => new DuckDBDateValue(Date.parse(v) / MS_PER_DAY) },
  // JSON is VARCHAR underneath: the appender writes the text, DuckDB keeps the JSON alias.
  json: { sql: 'JSON', vector: VARCHAR, toDuckdb: (v) => v },
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
