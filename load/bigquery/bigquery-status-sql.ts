import type { BigqueryNames } from './bigquery-names.js';

/** The queries behind Warehouse.status: where each stream stands and what the raw tables hold. */

/**
 * Per stream: the newest completed load, the newest cursor among completed loads and the newest
 * time a completed load checked deletes up to.
 */
export function latestLoadsSql(names: BigqueryNames): string {
  const loads = names.table('tide', 'loads');
  const cursors = names.table('tide', 'cursors');
  return `WITH done AS (
  SELECT source, stream, load_id, completed_at, deletes_checked_at FROM ${loads} WHERE status = 'completed'
),
last_load AS (
  SELECT source, stream, load_id AS last_load_id, completed_at AS last_completed_at,
    MAX(deletes_checked_at) OVER (PARTITION BY source, stream) AS deletes_checked_at
  FROM done
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (PARTITION BY source, stream ORDER BY completed_at DESC) = 1
),
last_cursor AS (
  SELECT d.source, d.stream, c.cursor_value, c.cursor_ids, c.cursor_token
  FROM ${cursors} AS c
  JOIN done AS d ON d.load_id = c.load_id
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (PARTITION BY d.source, d.stream ORDER BY d.completed_at DESC) = 1
)
SELECT l.source, l.stream, l.last_load_id, l.last_completed_at, c.cursor_value, c.cursor_ids, c.cursor_token,
  l.deletes_checked_at
FROM last_load AS l
LEFT JOIN last_cursor AS c ON c.source = l.source AND c.stream = l.stream
ORDER BY l.source, l.stream`;
}

/** The raw tables that exist. */
export function rawTablesSql(names: BigqueryNames): string {
  return `SELECT table_name FROM ${names.datasetPath('raw')}.INFORMATION_SCHEMA.TABLES`;
}

/** Row counts and freshness of several raw tables in one query. */
export function tableStatsSql(names: BigqueryNames, tables: readonly string[]): string {
  return tables
    .map(
      (
        table,
      ) => `SELECT ${names.dialect.string(table)} AS table_name, COUNT(*) AS row_count, COUNTIF(_tide_deleted) AS deleted_count, MAX(_tide_updated_at) AS newest
FROM ${names.table('raw', table)}`,
    )
    .join('\nUNION ALL\n');
}
