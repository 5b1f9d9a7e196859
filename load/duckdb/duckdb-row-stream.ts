import type { DuckDBConnection, DuckDBResult } from '@duckdb/node-api';
import { toDuckdbParams } from './duckdb-params.js';
import { plainConverterFor } from './duckdb-plain-value.js';

/**
 * Runs a query as a DuckDB streaming result and yields its rows as plain objects, one data chunk
 * (≤ 2048 rows) at a time, so no result is ever materialized whole. Column types come from the
 * result, not the chunks: only the result's types carry the JSON alias that tells JSON from VARCHAR.
 * Duplicate column names get DuckDB's suffix (`id`, `id:1`) rather than silently overwriting each other.
 */
export async function* streamRows(
  connection: DuckDBConnection,
  sql: string,
  params: readonly unknown[] = [],
): AsyncGenerator<Record<string, unknown>> {
  const result = await connection.stream(sql, toDuckdbParams(params));
  const names = result.deduplicatedColumnNames();
  const converters = result.columnTypes().map(plainConverterFor);
  let finished = false;
  try {
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) {
        finished = true;
        return;
      }
      const columns = chunk.getColumns();
      const rows = chunk.rowCount;
      for (let row = 0; row < rows; row++) {
        const out: Record<string, unknown> = {};
        for (let col = 0; col < names.length; col++) {
          const value = columns[col]![row]!;
          out[names[col]!] = value === null ? null : converters[col]!(value);
        }
        yield out;
      }
    }
  } finally {
    if (!finished) await abandon(connection, result);
  }
}

/**
 * A caller that stops reading early (break, return, a throw) leaves the streaming result pending, and
 * a pending result keeps its transaction open even after the connection is closed, until garbage
 * collection: DuckDB then refuses CHECKPOINT ("other write transactions active"). Interrupting and
 * reading the result to its (now immediate) end releases it without computing the rest.
 */
async function abandon(connection: DuckDBConnection, result: DuckDBResult): Promise<void> {
  connection.interrupt();
  try {
    while (((await result.fetchChunk())?.rowCount ?? 0) > 0) {
      // discard: only reaching the end matters
    }
  } catch {
    // An interrupted result may end in an "Interrupted" error: that is the end we wanted.
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
