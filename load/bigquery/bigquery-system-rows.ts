import { z } from 'zod';
import { type CursorState, cursorState } from '../../core/cursor-state.js';
import { TideError } from '../../core/tide-error.js';
import type { MappedColumn } from '../column-mapping.js';
import type { BigqueryDriver } from './bigquery-driver.js';
import type { BigquerySql } from './bigquery-sql.js';
import type { BigqueryStatement } from './bigquery-statement.js';

/** Rows of Tide's system tables, parsed at the boundary: a malformed answer is an error, not a guess. */
const MappedColumnRow = z.object({
  field_name: z.string(),
  column_name: z.string(),
  logical_type: z.enum(['string', 'integer', 'number', 'boolean', 'timestamp', 'date', 'json']),
});
const CursorRow = z.object({
  cursor_value: z.string(),
  cursor_ids: z.array(z.string()),
  cursor_token: z.string().nullish(),
});
const RowsWrittenRow = z.object({ rows_written: z.number().int().nonnegative() });

export async function readAll(
  driver: BigqueryDriver,
  statement: BigqueryStatement | string,
  purpose: string,
) {
  const rows: Record<string, unknown>[] = [];
  for await (const row of driver.rows(statement, purpose)) rows.push(row);
  return rows;
}

export function parseRow<T>(schema: z.ZodType<T>, row: unknown, what: string): T {
  const parsed = schema.safeParse(row);
  if (!parsed.success) {
    throw new TideError(
      'malformed_response',
      `BigQuery answered ${what} with an unexpected row: ${parsed.error.message}`,
      {
        hint: "Tide's system tables in the `tide` dataset may have been changed by hand",
      },
    );
  }
  return parsed.data;
}

export async function readMappedColumns(
  driver: BigqueryDriver,
  sql: BigquerySql,
  table: string,
): Promise<MappedColumn[]> {
  const rows = await readAll(driver, sql.readMappedColumns(table), 'columns');
  return rows.map((row) => {
    const r = parseRow(MappedColumnRow, row, 'the column map');
    return { field: r.field_name, column: r.column_name, type: r.logical_type };
  });
}

export async function readCommittedCursor(
  driver: BigqueryDriver,
  sql: BigquerySql,
  source: string,
  stream: string,
): Promise<CursorState | null> {
  const [row] = await readAll(driver, sql.readCursor(source, stream), 'cursor');
  if (row === undefined) return null;
  const r = parseRow(CursorRow, row, 'the cursor read');
  return cursorState(r.cursor_value, r.cursor_ids, r.cursor_token);
}

/** The commit script's last statement selects what its MERGE wrote. */
export async function readRowsWritten(driver: BigqueryDriver, statement: BigqueryStatement): Promise<number> {
  const [row] = await readAll(driver, statement, 'commit');
  return parseRow(RowsWrittenRow, row, 'the commit').rows_written;
}
