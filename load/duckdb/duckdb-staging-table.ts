import {
  BOOLEAN,
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBType,
  type DuckDBValue,
  INTEGER,
  TIMESTAMPTZ,
  VARCHAR,
} from '@duckdb/node-api';
import type { SourceRecord } from '../../core/record.js';
import { TideError } from '../../core/tide-error.js';
import { coercerFor, jsonText } from '../coerce-value.js';
import type { MappedColumn } from '../column-mapping.js';
import type { SqlType } from '../dialect/dialect.js';
import { parseTimestampMs } from '../parse-timestamp.js';
import { duckdbDialect } from './duckdb-dialect.js';
import { duckdbType, timestampTZ } from './duckdb-types.js';

/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

/** Staging columns before the typed ones. `_tide_seq` is the arrival order (later wins a tie). */
const STAGING_SYSTEM_COLUMNS: readonly { name: string; type: SqlType; vector: DuckDBType }[] = [
  { name: '_tide_seq', type: 'int32', vector: INTEGER },
  { name: '_tide_id', type: 'string', vector: VARCHAR },
  { name: '_tide_updated_at', type: 'timestamp', vector: TIMESTAMPTZ },
  { name: '_tide_deleted', type: 'boolean', vector: BOOLEAN },
  { name: '_tide_record', type: 'json', vector: VARCHAR },
];

/**
 * One load package's staging table: a TEMP table on the package's own connection, so a process that
 * dies before commit leaves nothing behind. Records are coerced column by column into DuckDB data
 * chunks and written with the Appender; the appender is flushed every `batchSize` rows, so nothing
 * but the current chunk is ever held in JS memory.
 */
export class DuckdbStagingTable {
  static readonly qualifiedName = 'temp.main.tide_staging';
  readonly #connection: DuckDBConnection;
  readonly #batchSize: number;
  readonly #columns: MappedColumn[] = [];
  #appender: DuckDBAppender | null = null;
  #unflushed = 0;
  #rows = 0;

  private constructor(connection: DuckDBConnection, batchSize: number) {
    this.#connection = connection;
    this.#batchSize = batchSize;
  }

  static async create(connection: DuckDBConnection, batchSize: number): Promise<DuckdbStagingTable> {
    const columns = STAGING_SYSTEM_COLUMNS.map((c) => `${c.name} ${duckdbDialect.type(c.type)}`).join(', ');
    await connection.run(`CREATE TEMP TABLE tide_staging (${columns})`);
    return new DuckdbStagingTable(connection, batchSize);
  }

  get rowCount(): number {
    return this.#rows;
  }

  /** The typed columns, in table order. */
  get columns(): readonly MappedColumn[] {
    return this.#columns;
  }

  async addColumns(columns: readonly MappedColumn[]): Promise<void> {
    if (columns.length === 0) return;
    this.flush();
    for (const column of columns) {
      await this.#connection.run(
        `ALTER TABLE ${DuckdbStagingTable.qualifiedName} ADD COLUMN ${duckdbDialect.quoteIdent(column.column)} ${duckdbDialect.type(column.type)}`,
      );
      this.#columns.push(column);
    }
  }

  /** Appends records whose fields all have a column already (the package adds missing ones first). */
  async append(records: readonly SourceRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += CHUNK_ROWS) {
      const chunk = this.#chunk(records.slice(start, start + CHUNK_ROWS));
      this.#appender ??= await this.#connection.createAppender('tide_staging', 'main', 'temp');
      this.#appender.appendDataChunk(chunk);
      this.#unflushed += chunk.rowCount;
      if (this.#unflushed >= this.#batchSize) this.flush();
    }
  }

  /** Writes what the appender holds into the table; required before the table is read or altered. */
  flush(): void {
    if (this.#appender === null) return;
    this.#appender.closeSync();
    this.#appender = null;
    this.#unflushed = 0;
  }

  #chunk(records: readonly SourceRecord[]): DuckDBDataChunk {
    const n = records.length;
    const seq: DuckDBValue[] = new Array(n);
    const ids: DuckDBValue[] = new Array(n);
    const updated: DuckDBValue[] = new Array(n);
    const deleted: DuckDBValue[] = new Array(n);
    const json: DuckDBValue[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const record = records[i]!;
      const ms = parseTimestampMs(record.updatedAt);
      if (ms === null) {
        throw new TideError(
          'warehouse_error',
          `record ${JSON.stringify(record.id)} has updatedAt ${JSON.stringify(record.updatedAt)}, which is not an ISO timestamp`,
          { hint: 'the source must emit updatedAt as ISO-8601 UTC; this is a connector bug' },
        );
      }
      const text = jsonText(record.fields);
      if (text === null) {
        throw new TideError(
          'warehouse_error',
          `record ${JSON.stringify(record.id)} cannot be serialized as JSON`,
        );
      }
      seq[i] = this.#rows + i;
      ids[i] = String(record.id);
      updated[i] = timestampTZ(ms);
      deleted[i] = record.deleted === true;
      json[i] = text;
    }
    const values: DuckDBValue[][] = [seq, ids, updated, deleted, json];
    const types: DuckDBType[] = STAGING_SYSTEM_COLUMNS.map((c) => c.vector);
    for (const column of this.#columns) {
      const coerce = coercerFor(column.type);
      const appended = duckdbType(column.type);
      const out: DuckDBValue[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const raw = records[i]!.fields[column.field];
        const value = raw === null || raw === undefined ? null : coerce(raw);
        out[i] = value === null ? null : appended.toDuckdb(value);
      }
      values.push(out);
      types.push(appended.vector);
    }
    const chunk = DuckDBDataChunk.create(types, n);
    chunk.setColumns(values);
    this.#rows += n;
    return chunk;
  }
}
