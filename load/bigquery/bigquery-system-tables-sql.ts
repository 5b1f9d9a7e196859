import type { RequestCount } from '../warehouse.js';
import { type BigqueryNames, TIDE_SCHEMAS } from './bigquery-names.js';
import type { BigqueryStatement } from './bigquery-statement.js';

/**
 * Tide's system tables in `tide`, with DuckDB's layout (load/duckdb/duckdb-system-tables.ts) so SQL
 * over `tide.*` reads the same on both warehouses.
 */

/** One script: every dataset, then Tide's system tables. Idempotent. */
export function initSql(names: BigqueryNames, location: string): string {
  const d = names.dialect;
  return [
    ...TIDE_SCHEMAS.map(
      (schema) =>
        `CREATE SCHEMA IF NOT EXISTS ${names.datasetPath(schema)} OPTIONS (location = ${d.string(location)})`,
    ),
    `CREATE TABLE IF NOT EXISTS ${names.table('tide', 'loads')} (
  load_id STRING NOT NULL, run_id STRING NOT NULL, source STRING NOT NULL, stream STRING NOT NULL,
  started_at TIMESTAMP NOT NULL, completed_at TIMESTAMP NOT NULL,
  rows_staged INT64 NOT NULL, rows_written INT64 NOT NULL, status STRING NOT NULL,
  deletes_checked_at TIMESTAMP
)`,
    // Datasets created before loads recorded delete checks gain the column (NULL: not recorded).
    `ALTER TABLE ${names.table('tide', 'loads')} ADD COLUMN IF NOT EXISTS deletes_checked_at TIMESTAMP`,
    `CREATE TABLE IF NOT EXISTS ${names.table('tide', 'cursors')} (
  load_id STRING NOT NULL, source STRING NOT NULL, stream STRING NOT NULL,
  cursor_value TIMESTAMP NOT NULL, cursor_ids JSON NOT NULL, cursor_token STRING
)`,
    // Datasets created before cursors had tokens gain the column (NULL: a timestamp-only cursor).
    `ALTER TABLE ${names.table('tide', 'cursors')} ADD COLUMN IF NOT EXISTS cursor_token STRING`,
    `CREATE TABLE IF NOT EXISTS ${names.table('tide', 'requests')} (
  run_id STRING NOT NULL, source STRING NOT NULL, endpoint STRING NOT NULL,
  status INT64 NOT NULL, count INT64 NOT NULL, recorded_at TIMESTAMP NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS ${names.table('tide', 'columns')} (
  table_name STRING NOT NULL, field_name STRING NOT NULL, column_name STRING NOT NULL,
  logical_type STRING NOT NULL, load_id STRING NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS ${names.table('tide', 'runs')} (
  run_id STRING NOT NULL, command STRING NOT NULL, status STRING NOT NULL,
  started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP, exit_code INT64,
  records_loaded INT64, models_built INT64, records_written INT64, records_rejected INT64,
  api_calls INT64, api_errors INT64, counts_json STRING, error_summary STRING,
  recorded_at TIMESTAMP NOT NULL
)`,
  ].join(';\n');
}

/** The committed field → column map of one raw table. */
export function readMappedColumnsSql(names: BigqueryNames, table: string): BigqueryStatement {
  return {
    sql: `SELECT field_name, column_name, logical_type
FROM ${names.table('tide', 'columns')}
WHERE table_name = @table_name
ORDER BY load_id, column_name`,
    params: { table_name: table },
    types: { table_name: 'STRING' },
  };
}

/** The cursor of the newest completed load of a stream that moved it. */
export function readCursorSql(names: BigqueryNames, source: string, stream: string): BigqueryStatement {
  return {
    sql: `SELECT c.cursor_value, c.cursor_ids, c.cursor_token
FROM ${names.table('tide', 'cursors')} AS c
JOIN ${names.table('tide', 'loads')} AS l ON l.load_id = c.load_id
WHERE l.status = 'completed' AND l.source = @source AND l.stream = @stream
ORDER BY l.completed_at DESC
LIMIT 1`,
    params: { source, stream },
    types: { source: 'STRING', stream: 'STRING' },
  };
}

export function insertRequestsSql(
  names: BigqueryNames,
  runId: string,
  rows: readonly RequestCount[],
): BigqueryStatement {
  return {
    sql: `INSERT INTO ${names.table('tide', 'requests')} (run_id, source, endpoint, status, count, recorded_at)
SELECT @run_id, r.source, r.endpoint, r.status, r.count, CURRENT_TIMESTAMP()
FROM UNNEST(@rows) AS r`,
    params: {
      run_id: runId,
      rows: rows.map((r) => ({ source: r.source, endpoint: r.endpoint, status: r.status, count: r.count })),
    },
    types: {
      run_id: 'STRING',
      rows: [{ source: 'STRING', endpoint: 'STRING', status: 'INT64', count: 'INT64' }],
    },
  };
}
