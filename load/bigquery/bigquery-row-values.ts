import {
  BigQueryDate,
  BigQueryDatetime,
  BigQueryInt,
  BigQueryTime,
  BigQueryTimestamp,
  Geography,
} from '@google-cloud/bigquery';

/**
 * Rows parsed by the SDK (with `wrapIntegers` and `parseJSON`) → the plain values DuckDB's query()
 * returns (load/duckdb/duckdb-plain-value.ts), so models, `tide sql` and reverse ETL see one shape:
 * INT64 a number when exact, else its decimal string; NUMERIC a number; TIMESTAMP an ISO-8601 UTC
 * string with milliseconds; DATE `YYYY-MM-DD`; JSON parsed; ARRAY/STRUCT arrays and objects; BYTES
 * a Uint8Array; DATETIME, TIME and GEOGRAPHY their text.
 */
export function plainRow(row: unknown): Record<string, unknown> {
  const value = plainValue(row);
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function plainValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return value;
  if (value instanceof BigQueryInt) {
    const n = Number(value.value);
    return Number.isSafeInteger(n) ? n : value.value;
  }
  if (value instanceof BigQueryTimestamp) return isoMillis(value.value);
  if (
    value instanceof BigQueryDate ||
    value instanceof BigQueryDatetime ||
    value instanceof BigQueryTime ||
    value instanceof Geography
  ) {
    return String(value.value);
  }
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (Array.isArray(value)) return value.map(plainValue);
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plainValue(v);
    return out;
  }
  // NUMERIC and BIGNUMERIC arrive as big.js objects.
  const text = String(value);
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

/**
 * `2024-01-31T12:00:00.123456000Z` (the SDK keeps microseconds) → `2024-01-31T12:00:00.123Z`.
 * Known SDK limitation (@google-cloud/bigquery 8.3.1 via @google-cloud/precise-date): an instant in
 * the one second before the epoch (-1 s < t < 0) comes back as the same fraction *after* the epoch;
 * every other instant, before or after 1970, is exact.
 */
function isoMillis(text: string): string {
  const ms = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : text;
}
