import { TideError } from '../../core/tide-error.js';
import { jsonText } from '../coerce-value.js';

/** Positional parameters (`?`) with the types @google-cloud/bigquery needs alongside them. */
export interface PositionalParams {
  readonly params: unknown[];
  readonly types: string[];
}

/**
 * Plain JS query parameters → BigQuery's, binding the same values DuckDB's query() accepts
 * (load/duckdb/duckdb-params.ts). Types are always given: BigQuery cannot type a NULL on its own
 * (it binds as STRING), and a bigint or bytes value must be sent as text.
 */
export function toPositionalParams(values: readonly unknown[]): PositionalParams {
  const params: unknown[] = [];
  const types: string[] = [];
  values.forEach((value, i) => {
    const [param, type] = toParam(value, i);
    params.push(param);
    types.push(type);
  });
  return { params, types };
}

function toParam(value: unknown, index: number): [unknown, string] {
  if (value === null || value === undefined) return [null, 'STRING'];
  switch (typeof value) {
    case 'string':
      return [value, 'STRING'];
    case 'boolean':
      return [value, 'BOOL'];
    case 'bigint':
      return [value.toString(), 'INT64'];
    case 'number':
      return [value, Number.isSafeInteger(value) ? 'INT64' : 'FLOAT64'];
    case 'object': {
      // A Date, not its text: for TIMESTAMP the SDK reads `.value` of a BigQueryTimestamp.
      if (value instanceof Date) return [value, 'TIMESTAMP'];
      if (value instanceof Uint8Array) return [Buffer.from(value).toString('base64'), 'BYTES'];
      // Objects and arrays bind as their JSON text, as on DuckDB: compare with PARSE_JSON(?).
      const text = jsonText(value);
      if (text !== null) return [text, 'STRING'];
      break;
    }
  }
  throw new TideError('warehouse_error', `query parameter ${index + 1} cannot be bound (${typeof value})`, {
    hint: 'pass strings, numbers, booleans, bigints, Dates, null, or JSON-serializable objects',
  });
}
