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
 * Every column of the tables and views in `schemas`, in table order (the dialect's catalog query:
 * DuckDB's information_schema, BigQuery's per-dataset INFORMATION_SCHEMA). A BigQuery dataset that
 * does not exist yet fails the whole query: nothing to describe then.
 */
export async function readWarehouseColumns(
  warehouse: Warehouse,
  schemas: readonly string[],
): Promise<WarehouseColumn[]> {
  const columns: WarehouseColumn[] = [];
  try {
    for await (const row of warehouse.query(warehouse.dialect.catalog(schemas))) {
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
    if (/not found/i.test(String(error))) return [];
    throw error;
  }
  return columns;
}
