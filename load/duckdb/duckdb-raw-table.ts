import { randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { LogicalType } from '../../core/column-spec.js';
import type { MappedColumn } from '../column-mapping.js';
import {
  HEALED_STATUS,
  healingOutcome,
  type LoadHistory,
  planRawTableRepair,
  type RawTableHealing,
} from '../raw-table-drift.js';
import { duckdbDialect } from './duckdb-dialect.js';
import { toDuckdbParams } from './duckdb-params.js';
import { readRows } from './duckdb-row-stream.js';
import { LOADS_COLUMNS, readMappedColumns } from './duckdb-system-tables.js';

const q = (name: string): string => duckdbDialect.quoteIdent(name);
const sqlType = (type: LogicalType): string => duckdbDialect.type(type);

/** Tide's own columns of a raw table on DuckDB, with the types DuckDB's catalog reports for them. */
const SYSTEM = [
  { column: '_tide_id', ddl: '_tide_id VARCHAR PRIMARY KEY', type: 'VARCHAR' },
  {
    column: '_tide_updated_at',
    ddl: '_tide_updated_at TIMESTAMPTZ NOT NULL',
    type: 'TIMESTAMP WITH TIME ZONE',
  },
  { column: '_tide_deleted', ddl: '_tide_deleted BOOLEAN NOT NULL', type: 'BOOLEAN' },
  { column: '_tide_record', ddl: '_tide_record JSON', type: 'JSON' },
  {
    column: '_tide_loaded_at',
    ddl: '_tide_loaded_at TIMESTAMPTZ NOT NULL',
    type: 'TIMESTAMP WITH TIME ZONE',
  },
  { column: '_tide_load_id', ddl: '_tide_load_id VARCHAR NOT NULL', type: 'VARCHAR' },
] as const;

/** The raw table's system columns as DDL (the commit creates tables with it too). */
export const RAW_SYSTEM_COLUMNS_DDL = SYSTEM.map((c) => c.ddl).join(', ');

/** DuckDB's catalog spells TIMESTAMPTZ out; every other type as Tide writes it. */
function catalogType(type: LogicalType): string {
  const sql = sqlType(type);
  return sql === 'TIMESTAMPTZ' ? 'TIMESTAMP WITH TIME ZONE' : sql;
}

/**
 * Compares `raw.<table>` with what Tide recorded and repairs it in one transaction (see
 * load/raw-table-drift.ts). The caller runs it alone among commits: it may drop and create tables.
 */
export async function healDuckdbRawTable(
  connection: DuckDBConnection,
  target: { readonly source: string; readonly stream: string; readonly table: string },
): Promise<RawTableHealing> {
  const mapped = await readMappedColumns(connection, target.table);
  const history = await loadHistory(connection, target.source, target.stream);
  const plan = planRawTableRepair({
    table: `raw.${target.table}`,
    system: SYSTEM,
    mapped,
    actual: await readActual(connection, target.table),
    loaded: history.loaded,
    typeName: catalogType,
  });
  if (plan === null) return healingOutcome(`raw.${target.table}`, plan, history);
  const name = `raw.${q(target.table)}`;
  await connection.run('BEGIN TRANSACTION');
  try {
    if (plan.recreate) {
      await connection.run(`DROP TABLE IF EXISTS ${name}`);
      await connection.run(`CREATE TABLE ${name} (${RAW_SYSTEM_COLUMNS_DDL}${columnsDdl(mapped)})`);
    }
    for (const column of plan.retype)
      await connection.run(`ALTER TABLE ${name} DROP COLUMN ${q(column.column)}`);
    for (const column of [...plan.add, ...plan.retype]) {
      await connection.run(`ALTER TABLE ${name} ADD COLUMN ${q(column.column)} ${sqlType(column.type)}`);
    }
    await recordRepair(connection, target.source, target.stream);
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return healingOutcome(`raw.${target.table}`, plan, history);
}

/** The repair's entry in tide.loads: newest of the stream until its full reload completes. */
async function recordRepair(connection: DuckDBConnection, source: string, stream: string): Promise<void> {
  const now = new Date();
  await connection.run(
    `INSERT INTO tide.loads (${LOADS_COLUMNS})
     SELECT ?, 'heal', ?, ?, ?::TIMESTAMPTZ,
            greatest(?::TIMESTAMPTZ, coalesce(max(completed_at) + INTERVAL 1 MICROSECOND, ?::TIMESTAMPTZ)),
            0, 0, ?, NULL
     FROM tide.loads WHERE source = ? AND stream = ?`,
    toDuckdbParams([`heal-${randomUUID()}`, source, stream, now, now, now, HEALED_STATUS, source, stream]),
  );
}

function columnsDdl(mapped: readonly MappedColumn[]): string {
  return mapped.map((c) => `, ${q(c.column)} ${sqlType(c.type)}`).join('');
}

async function readActual(
  connection: DuckDBConnection,
  table: string,
): Promise<{ columns: Map<string, string>; intact: boolean } | null> {
  const rows = await readRows(
    connection,
    `SELECT column_name, data_type FROM duckdb_columns()
     WHERE database_name = current_database() AND schema_name = 'raw' AND table_name = ?`,
    [table],
  );
  if (rows.length === 0) return null;
  const keys = await readRows(
    connection,
    `SELECT count(*)::INTEGER AS n FROM duckdb_constraints()
     WHERE database_name = current_database() AND schema_name = 'raw' AND table_name = ?
       AND constraint_type = 'PRIMARY KEY'`,
    [table],
  );
  return {
    columns: new Map(rows.map((r) => [String(r.column_name), String(r.data_type)])),
    intact: Number(keys[0]?.n ?? 0) > 0,
  };
}

async function loadHistory(
  connection: DuckDBConnection,
  source: string,
  stream: string,
): Promise<LoadHistory> {
  const rows = await readRows(
    connection,
    `SELECT count(*) FILTER (WHERE status = 'completed')::INTEGER AS completed,
            arg_max(status, completed_at) AS latest
     FROM tide.loads WHERE source = ? AND stream = ?`,
    [source, stream],
  );
  return {
    loaded: Number(rows[0]?.completed ?? 0) > 0,
    reloadPending: rows[0]?.latest === HEALED_STATUS,
  };
}
