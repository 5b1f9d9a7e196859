import { DuckDBBlobValue, DuckDBTimestampTZValue, type DuckDBValue } from '@duckdb/node-api';
import { TideError } from '../../core/tide-error.js';
import { jsonText } from '../coerce-value.js';

/**
 * Plain JS query parameters → DuckDB values. Dates bind as TIMESTAMPTZ, objects and arrays as their
 * JSON text (compare them with `?::JSON`), bigint as HUGEINT; anything else is refused up front
 * rather than bound as something surprising.
 */
export function toDuckdbParams(params: readonly unknown[]): DuckDBValue[] {
  return params.map((value, i) => toDuckdbParam(value, i));
}

function toDuckdbParam(value: unknown, index: number): DuckDBValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return value;
    case 'number':
      return value;
    case 'object': {
      if (value instanceof Date) return new DuckDBTimestampTZValue(BigInt(value.getTime()) * 1000n);
      if (value instanceof Uint8Array) return new DuckDBBlobValue(value);
      const text = jsonText(value);
      if (text !== null) return text;
      break;
    }
  }
  throw new TideError('warehouse_error', `query parameter ${index + 1} cannot be bound (${typeof value})`, {
    hint: 'pass strings, numbers, booleans, bigints, Dates, null, or JSON-serializable objects',
  });
}
