import type { Warehouse } from '../load/warehouse.js';
import type { PushSql } from './push-sql.js';
import type { SyncConfig } from './sync-config.js';

/**
 * Checks that the sync's source (model or SQL) runs and has the match column and every mapped
 * column, with `LIMIT 0` queries (no data is read). Returns one message per problem, naming the
 * sync and the column.
 */
export async function checkColumns(warehouse: Warehouse, sql: PushSql, sync: SyncConfig): Promise<string[]> {
  const columns = [...new Set([sync.match.column, ...Object.keys(sync.fields)])];
  const source = sync.from.kind === 'model' ? `model ${sync.from.model}` : 'its SQL query';
  if ((await probe(warehouse, sql.probeColumns(sync, columns))) === null) return [];
  const sourceError = await probe(warehouse, sql.probeColumns(sync, []));
  if (sourceError !== null) {
    return [`sync "${sync.name}": ${source} cannot be read: ${sourceError}`];
  }
  const problems: string[] = [];
  for (const column of columns) {
    if ((await probe(warehouse, sql.probeColumns(sync, [column]))) !== null) {
      const role =
        column === sync.match.column ? 'match column' : `column (mapped to ${sync.fields[column]})`;
      problems.push(`sync "${sync.name}": ${source} has no ${role} "${column}"`);
    }
  }
  return problems;
}

async function probe(warehouse: Warehouse, statement: string): Promise<string | null> {
  try {
    for await (const _ of warehouse.query(statement)) {
      // LIMIT 0: nothing to read; iterating runs the query.
    }
    return null;
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'error';
  }
}
