import type { MappedColumn } from '../column-mapping.js';
import type { BigqueryNames } from './bigquery-names.js';
import type { BigqueryStatement } from './bigquery-statement.js';

/**
 * Schema evolution, before the commit (BigQuery allows no DDL on permanent tables inside a
 * transaction): the raw table if missing, the new columns, then their entries in `tide.columns`.
 * Repeating it is harmless, so a crash after it only leaves empty columns behind.
 */
export function evolveTableSql(
  names: BigqueryNames,
  table: string,
  mapping: readonly MappedColumn[],
  added: readonly MappedColumn[],
  loadId: string,
): BigqueryStatement {
  const d = names.dialect;
  const target = names.table('raw', table);
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${target} (
  _tide_id STRING NOT NULL,
  _tide_updated_at TIMESTAMP NOT NULL,
  _tide_deleted BOOL NOT NULL,
  _tide_record JSON,
  _tide_loaded_at TIMESTAMP NOT NULL,
  _tide_load_id STRING NOT NULL${mapping.map((c) => `,\n  ${d.quoteIdent(c.column)} ${d.type(c.type)}`).join('')}
)
CLUSTER BY _tide_id`,
  ];
  if (added.length > 0) {
    statements.push(
      `ALTER TABLE ${target}\n${added.map((c) => `  ADD COLUMN IF NOT EXISTS ${d.quoteIdent(c.column)} ${d.type(c.type)}`).join(',\n')}`,
      `INSERT INTO ${names.table('tide', 'columns')} (table_name, field_name, column_name, logical_type, load_id)
SELECT @table_name, c.field_name, c.column_name, c.logical_type, @load_id
FROM UNNEST(@columns) AS c`,
    );
  }
  return {
    sql: statements.join(';\n'),
    params: {
      table_name: table,
      load_id: loadId,
      columns: added.map((c) => ({ field_name: c.field, column_name: c.column, logical_type: c.type })),
    },
    types: {
      table_name: 'STRING',
      load_id: 'STRING',
      columns: [{ field_name: 'STRING', column_name: 'STRING', logical_type: 'STRING' }],
    },
  };
}
