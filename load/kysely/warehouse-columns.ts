import type { Warehouse } from '../warehouse.js';

/** One column of a table or view, as the warehouse's information schema describes it. */
export interface WarehouseColumn {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  /** The warehouse's type name: VARCHAR, BIGINT, TIMESTAMP WITH TIME ZONE (DuckDB); STRING, INT64 (BigQuery). */
  readonly dataType: string;
  readonly nullable: boolean;
  readonly isView: boolean;
}

/**
 * Every column of the tables and views in `schemas`, in table order: DuckDB's information_schema, or
 * BigQuery's per-dataset INFORMATION_SCHEMA. A schema that does not exist yet has no columns.
 */
export async function readWarehouseColumns(
  warehouse: Warehouse,
  schemas: readonly string[],
  qualify: (schema: string) => string,
): Promise<WarehouseColumn[]> {
  const sql =
    warehouse.dialect === 'duckdb'
      ? 'SELECT c.table_schema, c.table_name, c.column_name, c.data_type, c.is_nullable, t.table_type\n' +
        'FROM information_schema.columns AS c JOIN information_schema.tables AS t\n' +
        '  ON t.table_catalog = c.table_catalog AND t.table_schema = c.table_schema AND t.table_name = c.table_name\n' +
        `WHERE c.table_catalog = current_database() AND c.table_schema IN (${schemas.map((s) => `'${s.replaceAll("'", "''")}'`).join(', ')})\n` +
        'ORDER BY c.table_schema, c.table_name, c.ordinal_position'
      : schemas
          .map(
            (s) =>
              'SELECT c.table_schema, c.table_name, c.column_name, c.data_type, c.is_nullable, t.table_type, c.ordinal_position\n' +
              `FROM ${qualify(s)}.INFORMATION_SCHEMA.COLUMNS AS c JOIN ${qualify(s)}.INFORMATION_SCHEMA.TABLES AS t USING (table_schema, table_name)`,
          )
          .join('\nUNION ALL\n') + '\nORDER BY table_schema, table_name, ordinal_position';
  const columns: WarehouseColumn[] = [];
  try {
    for await (const row of warehouse.query(sql)) {
      columns.push({
        schema: String(row['table_schema']),
        table: String(row['table_name']),
        column: String(row['column_name']),
        dataType: String(row['data_type']),
        nullable: String(row['is_nullable']).toUpperCase() !== 'NO',
        isView: String(row['table_type']).toUpperCase() === 'VIEW',
      });
    }
  } catch (error) {
    // BigQuery: a dataset that does not exist yet fails the whole query; nothing to describe then.
    if (warehouse.dialect === 'bigquery' && /not found/i.test(String(error))) return [];
    throw error;
  }
  return columns;
}
