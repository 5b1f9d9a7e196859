import type { DuckDBConnection } from '@duckdb/node-api';
import { toDuckdbParams } from './duckdb-params.js';
import { toPlainValue } from './duckdb-plain-value.js';

/**
 * Runs a query as a DuckDB streaming result and yields its rows as plain objects, one data chunk
 * (≤ 2048 rows) at a time, so no result is ever materialized whole. Column types come from the
 * result, not the chunks: only the result's types carry the JSON alias that tells JSON from VARCHAR.
 * Duplicate column names are suffixed (`id`, `id_1`) rather than silently overwritten.
 */
export async function* streamRows(
  connection: DuckDBConnection,
  sql: string,
  params: readonly unknown[] = [],
): AsyncGenerator<Record<string, unknown>> {
  const result = await connection.stream(sql, toDuckdbParams(params));
  const names = result.deduplicatedColumnNames();
  const types = result.columnTypes();
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) return;
    const columns = chunk.getColumns();
    for (let row = 0; row < chunk.rowCount; row++) {
      const out: Record<string, unknown> = {};
      for (let col = 0; col < names.length; col++) {
        out[names[col]!] = toPlainValue(columns[col]![row]!, types[col]!, toPlainValue);
      }
      yield out;
    }
  }
}

/** All rows of a small query (system tables): never use it for data of unbounded size. */
export async function readRows(
  connection: DuckDBConnection,
  sql: string,
  params: readonly unknown[] = [],
): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const row of streamRows(connection, sql, params)) rows.push(row);
  return rows;
}
