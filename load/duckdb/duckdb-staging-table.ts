import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { SourceRecord } from '../../core/record.js';
import { TideError } from '../../core/tide-error.js';
import { coercerFor, jsonText } from '../coerce-value.js';
import type { MappedColumn } from '../column-mapping.js';
import type { SqlType } from '../dialect/dialect.js';
import { parseTimestampMs } from '../parse-timestamp.js';
import { duckdbDialect } from './duckdb-dialect.js';
import { duckdbType, timestampTZ } from './duckdb-types.js';

/** Staging columns before the typed ones. `_tide_seq` is the arrival order (later wins a tie). */
const STAGING_SYSTEM_COLUMNS: readonly { name: string; type: SqlType }[] = [
  { name: '_tide_seq', type: 'int32' },
  { name: '_tide_id', type: 'string' },
  { name: '_tide_updated_at', type: 'timestamp' },
  { name: '_tide_deleted', type: 'boolean' },
  { name: '_tide_record', type: 'json' },
];

/**
 * One load package's staging table: a TEMP table on the package's own connection, so a process that
 * dies before commit leaves nothing behind. Records are coerced and written value by value with the
 * Appender, flushed every `batchSize` rows. Not through data chunks: each chunk's native vectors live
 * until V8 collects the chunk object, which it does not count as memory, so a load held hundreds of
 * MiB of them (staging 100,000 records of 45 string properties peaked at 1,390–1,417 against
 * 788–824 MiB), and filling them cost 17–22 % more CPU than appending the values (BENCHMARKS.md).
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
    const columns = this.#columns.map((c) => ({
      field: c.field,
      coerce: coercerFor(c.type),
      writer: duckdbType(c.type),
    }));
    for (const record of records) {
      // Everything that can refuse a record is checked before its first value goes in: a row left
      // half-appended would shift every later value by a column.
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
      this.#appender ??= await this.#connection.createAppender('tide_staging', 'main', 'temp');
      const appender = this.#appender;
      appender.appendInteger(this.#rows);
      appender.appendVarchar(String(record.id));
      appender.appendTimestampTZ(timestampTZ(ms));
      appender.appendBoolean(record.deleted === true);
      appender.appendVarchar(text);
      for (const column of columns) {
        const raw = record.fields[column.field];
        const value = raw === null || raw === undefined ? null : column.coerce(raw);
        if (value === null) appender.appendNull();
        else column.writer.append(appender, value);
      }
      appender.endRow();
      this.#rows++;
      if (++this.#unflushed >= this.#batchSize) this.flush();
    }
  }

  /** Writes what the appender holds into the table; required before the table is read or altered. */
  flush(): void {
    if (this.#appender === null) return;
    this.#appender.closeSync();
    this.#appender = null;
    this.#unflushed = 0;
  }
}
