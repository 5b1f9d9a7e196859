import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { type CursorState, cursorState } from '../../core/cursor-state.js';
import type { MappedColumn } from '../column-mapping.js';
import type { StreamStatus } from '../warehouse.js';
import { duckdbDialect } from './duckdb-dialect.js';
import { readRows } from './duckdb-row-stream.js';

/**
 * Tide's own tables in schema `tide`. Rows are only ever appended (never updated), which keeps the
 * layout portable to BigQuery:
 * - loads:    one row per COMPLETED load package, written last in its commit transaction. A package
 *             without this row never happened as far as cursors and status are concerned.
 *             deletes_checked_at: the time the read checked the CRM's deletes up to, NULL when it
 *             did not (core/record.ts RecordBatch.deletesCheckedAt).
 * - cursors:  the cursor a load committed (none when it committed `null`: "do not move the cursor");
 *             cursor_token holds a CRM's opaque resume point (core/cursor-state.ts), NULL for most.
 * - requests: HTTP request counts per run/endpoint/status, for API error-rate metrics.
 * - columns:  which raw-table column holds which CRM field, so the assignment never changes between
 *             loads (see load/column-mapping.ts).
 * - runs:     one row per run / extract / models / reverse invocation (ops/runs/): written when it
 *             starts (status 'running'), replaced by its final row when it ends; counts_json holds
 *             the per-stage counts. A row still 'running' after the process is gone is a crash.
 * Every row that belongs to a run carries its run_id (loads, requests, runs; reverse ETL's pushed
 * and push_log; the models' model_state); cursors and columns belong to a load (load_id).
 */
export const SYSTEM_DDL: readonly string[] = [
  'CREATE SCHEMA IF NOT EXISTS raw',
  'CREATE SCHEMA IF NOT EXISTS tide',
  `CREATE TABLE IF NOT EXISTS tide.loads (
    load_id VARCHAR NOT NULL, run_id VARCHAR NOT NULL, source VARCHAR NOT NULL, stream VARCHAR NOT NULL,
    started_at TIMESTAMPTZ NOT NULL, completed_at TIMESTAMPTZ NOT NULL,
    rows_staged BIGINT NOT NULL, rows_written BIGINT NOT NULL, status VARCHAR NOT NULL,
    deletes_checked_at TIMESTAMPTZ)`,
  // Warehouses created before loads recorded delete checks gain the column (NULL: not recorded).
  'ALTER TABLE tide.loads ADD COLUMN IF NOT EXISTS deletes_checked_at TIMESTAMPTZ',
  `CREATE TABLE IF NOT EXISTS tide.cursors (
    load_id VARCHAR NOT NULL, source VARCHAR NOT NULL, stream VARCHAR NOT NULL,
    cursor_value TIMESTAMPTZ NOT NULL, cursor_ids JSON NOT NULL, cursor_token VARCHAR)`,
  // Warehouses created before cursors had tokens gain the column (NULL: a timestamp-only cursor).
  'ALTER TABLE tide.cursors ADD COLUMN IF NOT EXISTS cursor_token VARCHAR',
  `CREATE TABLE IF NOT EXISTS tide.requests (
    run_id VARCHAR NOT NULL, source VARCHAR NOT NULL, endpoint VARCHAR NOT NULL,
    status INTEGER NOT NULL, count BIGINT NOT NULL, recorded_at TIMESTAMPTZ NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS tide.columns (
    table_name VARCHAR NOT NULL, field_name VARCHAR NOT NULL, column_name VARCHAR NOT NULL,
    logical_type VARCHAR NOT NULL, load_id VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS tide.runs (
    run_id VARCHAR NOT NULL, command VARCHAR NOT NULL, status VARCHAR NOT NULL,
    started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ, exit_code INTEGER,
    records_loaded BIGINT, models_built BIGINT, records_written BIGINT, records_rejected BIGINT,
    api_calls BIGINT, api_errors BIGINT, counts_json VARCHAR, error_summary VARCHAR,
    recorded_at TIMESTAMPTZ NOT NULL)`,
];

/** Every column of tide.loads in order: inserts name them, so a column added later cannot shift them. */
export const LOADS_COLUMNS =
  'load_id, run_id, source, stream, started_at, completed_at, rows_staged, rows_written, status, deletes_checked_at';

const MappedColumnRow = z.object({
  field_name: z.string(),
  column_name: z.string(),
  logical_type: z.enum(['string', 'integer', 'number', 'boolean', 'timestamp', 'date', 'json']),
});

const CursorRow = z.object({
  cursor_value: z.string(),
  cursor_ids: z.array(z.string()),
  cursor_token: z.string().nullable(),
});

const StatusRow = z.object({
  source: z.string(),
  stream: z.string(),
  last_load_id: z.string(),
  last_completed_at: z.string(),
  cursor_value: z.string().nullable(),
  cursor_ids: z.array(z.string()).nullable(),
  cursor_token: z.string().nullable(),
  deletes_checked_at: z.string().nullable(),
});

const TableStatsRow = z.object({
  row_count: z.number(),
  deleted_count: z.number(),
  newest: z.string().nullable(),
});

export async function readMappedColumns(
  connection: DuckDBConnection,
  table: string,
): Promise<MappedColumn[]> {
  const rows = await readRows(
    connection,
    'SELECT field_name, column_name, logical_type FROM tide.columns WHERE table_name = ? ORDER BY rowid',
    [table],
  );
  return rows.map((row) => {
    const r = MappedColumnRow.parse(row);
    return { field: r.field_name, column: r.column_name, type: r.logical_type };
  });
}

/** Completed loads only: a cursor row whose load has no completion row is ignored. */
export async function readCommittedCursor(
  connection: DuckDBConnection,
  source: string,
  stream: string,
): Promise<CursorState | null> {
  const rows = await readRows(
    connection,
    `SELECT c.cursor_value, c.cursor_ids, c.cursor_token FROM tide.cursors c JOIN tide.loads l ON l.load_id = c.load_id
     WHERE l.status = 'completed' AND l.source = ? AND l.stream = ?
     ORDER BY l.completed_at DESC LIMIT 1`,
    [source, stream],
  );
  if (rows[0] === undefined) return null;
  const row = CursorRow.parse(rows[0]);
  return cursorState(row.cursor_value, row.cursor_ids, row.cursor_token);
}

export async function readStreamStatus(
  connection: DuckDBConnection,
  tableOf: (source: string, stream: string) => string,
): Promise<StreamStatus[]> {
  const rows = await readRows(
    connection,
    `WITH done AS (SELECT * FROM tide.loads WHERE status = 'completed'),
     last AS (
       SELECT source, stream, arg_max(load_id, completed_at) AS last_load_id,
              max(completed_at) AS last_completed_at, max(deletes_checked_at) AS deletes_checked_at
       FROM done GROUP BY source, stream),
     cur AS (
       SELECT l.source, l.stream, arg_max(c.cursor_value, l.completed_at) AS cursor_value,
              arg_max(c.cursor_ids, l.completed_at) AS cursor_ids,
              arg_max_null(c.cursor_token, l.completed_at) AS cursor_token
       FROM tide.cursors c JOIN done l ON l.load_id = c.load_id GROUP BY l.source, l.stream)
     SELECT last.*, cur.cursor_value, cur.cursor_ids, cur.cursor_token
     FROM last LEFT JOIN cur ON cur.source = last.source AND cur.stream = last.stream
     ORDER BY last.source, last.stream`,
  );
  const existing = new Set(
    (await readRows(connection, `SELECT table_name FROM duckdb_tables() WHERE schema_name = 'raw'`)).map(
      (r) => String(r.table_name),
    ),
  );
  const out: StreamStatus[] = [];
  for (const row of rows) {
    const r = StatusRow.parse(row);
    const table = tableOf(r.source, r.stream);
    const stats = existing.has(table)
      ? TableStatsRow.parse(
          (
            await readRows(
              connection,
              `SELECT count(*) AS row_count, count(*) FILTER (WHERE _tide_deleted) AS deleted_count,
                      max(_tide_updated_at) AS newest FROM raw.${duckdbDialect.quoteIdent(table)}`,
            )
          )[0],
        )
      : { row_count: 0, deleted_count: 0, newest: null };
    out.push({
      source: r.source,
      stream: r.stream,
      cursor:
        r.cursor_value === null ? null : cursorState(r.cursor_value, r.cursor_ids ?? [], r.cursor_token),
      lastLoadId: r.last_load_id,
      lastCompletedAt: r.last_completed_at,
      rowCount: stats.row_count,
      deletedCount: stats.deleted_count,
      newestRecordAt: stats.newest,
      deletesCheckedAt: r.deletes_checked_at,
    });
  }
  return out;
}
