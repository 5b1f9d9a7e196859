import type { ColumnSpec } from '../core/column-spec.js';
import type { CursorState } from '../core/cursor-state.js';
import type { SourceRecord } from '../core/record.js';
import type { Dialect } from './dialect/dialect.js';
import { normalizeName } from './normalize-name.js';
import type { RawTableHealing } from './raw-table-drift.js';

export type { RawTableHealing } from './raw-table-drift.js';

/**
 * Where records land. DuckDB (embedded default) and BigQuery implement this; the conformance suite in
 * test/conformance/ runs against both. Raw tables live in schema/dataset `raw`, named
 * `<source>__<stream>`; Tide's own tables live in `tide`; models write to `analytics` and `staging`.
 *
 * Raw table layout (column names after load/normalize-name.ts):
 *   _tide_id          string   primary key (the CRM id)
 *   _tide_updated_at  timestamp  the replication key value
 *   _tide_deleted     boolean  archived / soft-deleted in the CRM
 *   _tide_record      json     the full record as the source emitted it
 *   _tide_loaded_at   timestamp
 *   _tide_load_id     string
 *   <property>        typed    one column per CRM property (normalized name)
 */
export interface Warehouse {
  /** The warehouse's SQL: quoting, literals, types, capabilities (load/dialect/dialect.ts). */
  readonly dialect: Dialect;
  /** Creates Tide's system tables when missing. Idempotent. */
  init(): Promise<void>;
  /**
   * Puts a stream's raw table back the way Tide recorded it when something outside Tide changed it
   * (dropped the table, dropped a column, altered a column's type); says what it did and whether the
   * stream must be read again in full (load/raw-table-drift.ts). Called at the start of each stream.
   */
  healRawTable(source: string, stream: string): Promise<RawTableHealing>;
  /** Starts one load package for one stream. */
  beginLoad(target: LoadTarget): Promise<LoadPackage>;
  /** The cursor of the newest *completed* load of a stream (null when none). */
  readCursor(source: string, stream: string): Promise<CursorState | null>;
  /** Per stream: cursor, last completed load, row count. */
  streamStatus(): Promise<readonly StreamStatus[]>;
  /** Appends HTTP request counts of a run (for API error-rate metrics). */
  recordRequests(runId: string, rows: readonly RequestCount[]): Promise<void>;
  /** Runs SQL and streams rows as plain objects (models, `tide sql`, reverse ETL). */
  query(sql: string, params?: readonly unknown[]): AsyncIterable<Readonly<Record<string, unknown>>>;
  /** Runs statements with no result (DDL, model materializations). */
  execute(sql: string): Promise<void>;
  close(): Promise<void>;
}

export interface LoadTarget {
  readonly source: string;
  readonly stream: string;
  readonly runId: string;
  /** Full refresh: rows not seen in this load are marked deleted when it commits. */
  readonly replace: boolean;
}

/**
 * One load package: batches go to a staging area; `commit` moves them into the raw table (newest
 * version of each record wins), writes the cursor and then the completion row, atomically where the
 * warehouse can (DuckDB: one transaction) and idempotently where it cannot (BigQuery: completion row
 * last, cursors count only when it exists).
 */
export interface LoadPackage {
  readonly loadId: string;
  /** Adds columns the table does not have yet (new custom properties). */
  ensureColumns(columns: readonly ColumnSpec[]): Promise<void>;
  append(records: readonly SourceRecord[]): Promise<void>;
  /**
   * Ids of records that exist in the source now, without their data (an ids-only listing, in as many
   * calls as needed). A package that was given any, even an empty list, treats them as seen: at
   * commit it marks deleted every row of the table neither listed nor appended, as a `replace` load
   * does, without the records being sent again. Rows already deleted are left as they are.
   */
  appendLiveIds(ids: readonly string[]): Promise<void>;
  /**
   * `marks` are facts about the read that hold only together with this package's data, recorded in
   * the same completion row (so a package that never commits records none of them).
   */
  commit(cursor: CursorState | null, marks?: CommitMarks): Promise<LoadResult>;
  /** Discards the staging data; the target and cursors are untouched. */
  abort(): Promise<void>;
}

export interface CommitMarks {
  /**
   * The read checked the CRM's deletes up to this instant (ISO; RecordBatch.deletesCheckedAt), and
   * what it found is in this package or committed before it. NULL in `tide.loads` when absent.
   */
  readonly deletesCheckedAt?: string | null;
}

export interface LoadResult {
  readonly loadId: string;
  readonly rowsStaged: number;
  /** Rows in the raw table that were inserted or replaced by a newer version. */
  readonly rowsWritten: number;
}

export interface StreamStatus {
  readonly source: string;
  readonly stream: string;
  readonly cursor: CursorState | null;
  readonly lastLoadId: string | null;
  readonly lastCompletedAt: string | null;
  readonly rowCount: number;
  readonly deletedCount: number;
  /** Newest _tide_updated_at in the table. */
  readonly newestRecordAt: string | null;
  /** Newest time up to which a completed load checked the CRM's deletes; null: never recorded. */
  readonly deletesCheckedAt: string | null;
}

export interface RequestCount {
  readonly source: string;
  readonly endpoint: string;
  readonly status: number;
  readonly count: number;
}

/** `raw.<source>__<stream>`, both parts normalized. */
export function rawTableName(source: string, stream: string): string {
  return `${normalizeName(source)}__${normalizeName(stream)}`;
}
