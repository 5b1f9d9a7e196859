import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { LogicalType } from '../../core/column-spec.js';
import type { MappedColumn } from '../column-mapping.js';
import {
  HEALED_STATUS,
  healingOutcome,
  type LoadHistory,
  planRawTableRepair,
  type RawTableHealing,
  type RawTableRepair,
} from '../raw-table-drift.js';
import type { BigqueryDriver } from './bigquery-driver.js';
import type { BigqueryNames } from './bigquery-names.js';
import type { BigquerySql } from './bigquery-sql.js';
import type { BigqueryStatement } from './bigquery-statement.js';
import { parseRow, readAll, readMappedColumns } from './bigquery-system-rows.js';
import { BIGQUERY_API_TYPES } from './bigquery-types.js';

/** Tide's own columns of a raw table: GoogleSQL type for DDL, the type tables.get reports. */
const SYSTEM = [
  { column: '_tide_id', sql: 'STRING NOT NULL', type: 'STRING' },
  { column: '_tide_updated_at', sql: 'TIMESTAMP NOT NULL', type: 'TIMESTAMP' },
  { column: '_tide_deleted', sql: 'BOOL NOT NULL', type: 'BOOLEAN' },
  { column: '_tide_record', sql: 'JSON', type: 'JSON' },
  { column: '_tide_loaded_at', sql: 'TIMESTAMP NOT NULL', type: 'TIMESTAMP' },
  { column: '_tide_load_id', sql: 'STRING NOT NULL', type: 'STRING' },
] as const;

/** tables.get speaks the legacy names; a table created by someone's DDL may report either. */
const LEGACY: Readonly<Record<string, string>> = { INT64: 'INTEGER', FLOAT64: 'FLOAT', BOOL: 'BOOLEAN' };
const reported = (type: string): string => LEGACY[type.toUpperCase()] ?? type.toUpperCase();
const apiType = (type: LogicalType): string => BIGQUERY_API_TYPES[type];

/**
 * The BigQuery side of raw tables that heal (load/raw-table-drift.ts): the table's schema from
 * tables.get, the recorded columns from `tide.columns`, and the repair as one script. BigQuery cannot
 * change a column's type in place (beyond widening) or drop and re-add it in one step reliably, so a
 * retyped column recreates the table like a missing one; a missing column is added back.
 */
export async function healBigqueryRawTable(
  driver: BigqueryDriver,
  sql: BigquerySql,
  target: { readonly source: string; readonly stream: string; readonly table: string },
): Promise<RawTableHealing> {
  const mapped = await readMappedColumns(driver, sql, target.table);
  const fields = await driver.tableFields(sql.names.dataset('raw'), target.table);
  const history = await loadHistory(driver, sql.names, target.source, target.stream);
  const table = `raw.${target.table}`;
  const plan = planRawTableRepair({
    table,
    system: SYSTEM,
    mapped,
    actual:
      fields === null
        ? null
        : { columns: new Map(fields.map((f) => [f.name, reported(f.type)])), intact: true },
    loaded: history.loaded,
    typeName: apiType,
  });
  if (plan !== null) await driver.run(repairSql(sql.names, target, mapped, plan), 'heal');
  return healingOutcome(table, plan, history);
}

const HistoryRow = z.object({ completed: z.number(), latest: z.string().nullable() });

async function loadHistory(
  driver: BigqueryDriver,
  names: BigqueryNames,
  source: string,
  stream: string,
): Promise<LoadHistory> {
  const rows = await readAll(
    driver,
    {
      sql: `SELECT COUNTIF(status = 'completed') AS completed,
  ARRAY_AGG(status ORDER BY completed_at DESC LIMIT 1)[SAFE_OFFSET(0)] AS latest
FROM ${names.table('tide', 'loads')}
WHERE source = @source AND stream = @stream`,
      params: { source, stream },
      types: { source: 'STRING', stream: 'STRING' },
    },
    'heal_loads',
  );
  const row =
    rows[0] === undefined
      ? { completed: 0, latest: null }
      : parseRow(HistoryRow, rows[0], 'the load history');
  return { loaded: row.completed > 0, reloadPending: row.latest === HEALED_STATUS };
}

/**
 * The repair, one script: recreate the table with every recorded column (or add the missing ones),
 * then record the repair in tide.loads so the full reload it needs is not forgotten if this run stops.
 */
export function repairSql(
  names: BigqueryNames,
  target: { readonly source: string; readonly stream: string; readonly table: string },
  mapped: readonly MappedColumn[],
  plan: RawTableRepair,
): BigqueryStatement {
  const d = names.dialect;
  const table = names.table('raw', target.table);
  const loads = names.table('tide', 'loads');
  const repair =
    plan.recreate || plan.retype.length > 0
      ? `CREATE OR REPLACE TABLE ${table} (\n${[
          ...SYSTEM.map((c) => `  ${c.column} ${c.sql}`),
          ...mapped.map((c) => `  ${d.quoteIdent(c.column)} ${d.type(c.type)}`),
        ].join(',\n')}\n)\nCLUSTER BY _tide_id`
      : `ALTER TABLE ${table}\n${plan.add
          .map((c) => `  ADD COLUMN IF NOT EXISTS ${d.quoteIdent(c.column)} ${d.type(c.type)}`)
          .join(',\n')}`;
  return {
    sql: `${repair};
INSERT INTO ${loads} (load_id, run_id, source, stream, started_at, completed_at, rows_staged, rows_written, status)
SELECT @load_id, 'heal', @source, @stream, CURRENT_TIMESTAMP(),
  GREATEST(CURRENT_TIMESTAMP(), COALESCE(TIMESTAMP_ADD(MAX(completed_at), INTERVAL 1 MICROSECOND), CURRENT_TIMESTAMP())),
  0, 0, @status
FROM ${loads} WHERE source = @source AND stream = @stream`,
    params: {
      load_id: `heal-${randomUUID()}`,
      source: target.source,
      stream: target.stream,
      status: HEALED_STATUS,
    },
    types: { load_id: 'STRING', source: 'STRING', stream: 'STRING', status: 'STRING' },
  };
}
