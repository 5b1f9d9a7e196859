import type { LogicalType } from '../../core/column-spec.js';
import type { SourceRecord } from '../../core/record.js';
import { TideError } from '../../core/tide-error.js';
import { type CoercedValueByType, coercerFor, jsonText } from '../coerce-value.js';
import type { MappedColumn } from '../column-mapping.js';
import { parseTimestampMs } from '../parse-timestamp.js';

/** The JSON text BigQuery's NDJSON loader reads for each logical type. */
const ENCODERS: { readonly [K in LogicalType]: (value: CoercedValueByType[K]) => string } = {
  string: (v) => JSON.stringify(v),
  // BigQuery documents that JSON integers beyond ±2^53 are only exact when quoted.
  integer: (v) => (typeof v === 'bigint' ? `"${v}"` : String(v)),
  number: (v) => JSON.stringify(v),
  boolean: (v) => (v ? 'true' : 'false'),
  timestamp: (v) => JSON.stringify(v.toISOString()),
  date: (v) => JSON.stringify(v),
  // Spliced in as JSON, not as a string holding JSON: a JSON column loads the value itself.
  json: (v) => v,
};

interface EncodedColumn {
  readonly field: string;
  readonly key: string;
  readonly encode: (raw: unknown) => string | null;
}

/**
 * SourceRecord → one NDJSON line of a staging file: the system columns, `_tide_seq` (arrival order,
 * so the later of two equal versions wins the MERGE) and one key per typed column. Values go
 * through the shared coercion (load/coerce-value.ts), so BigQuery stores what DuckDB stores; a
 * NULL is an absent key.
 */
export class LoadRowEncoder {
  readonly #columns: EncodedColumn[] = [];

  constructor(columns: readonly MappedColumn[] = []) {
    this.add(columns);
  }

  add(columns: readonly MappedColumn[]): void {
    for (const column of columns) this.#columns.push(encodedColumn(column));
  }

  encode(record: SourceRecord, seq: number): string {
    const ms = parseTimestampMs(record.updatedAt);
    if (ms === null) {
      throw new TideError(
        'warehouse_error',
        `record ${JSON.stringify(record.id)} has updatedAt ${JSON.stringify(record.updatedAt)}, which is not an ISO timestamp`,
        { hint: 'the source must emit updatedAt as ISO-8601 UTC; this is a connector bug' },
      );
    }
    const recordJson = jsonText(record.fields);
    if (recordJson === null) {
      throw new TideError(
        'warehouse_error',
        `record ${JSON.stringify(record.id)} cannot be serialized as JSON`,
      );
    }
    let line = `{"_tide_seq":${seq},"_tide_id":${JSON.stringify(String(record.id))},"_tide_updated_at":${JSON.stringify(new Date(ms).toISOString())},"_tide_deleted":${record.deleted === true},"_tide_record":${recordJson}`;
    for (const column of this.#columns) {
      const text = column.encode(record.fields[column.field]);
      if (text !== null) line += `,${column.key}:${text}`;
    }
    return `${line}}`;
  }
}

function encodedColumn<T extends LogicalType>(column: MappedColumn & { readonly type: T }): EncodedColumn {
  const coerce = coercerFor(column.type);
  const toText = ENCODERS[column.type] as (value: CoercedValueByType[T]) => string;
  return {
    field: column.field,
    key: JSON.stringify(column.column),
    encode: (raw) => {
      if (raw === null || raw === undefined) return null;
      const value = coerce(raw);
      return value === null ? null : toText(value);
    },
  };
}
