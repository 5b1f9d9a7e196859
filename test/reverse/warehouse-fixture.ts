import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../load/warehouse.js';

/** A fresh in-memory DuckDB warehouse (real DuckDB: reverse ETL's SQL runs for real). */
export async function memoryWarehouse(): Promise<Warehouse> {
  const warehouse = await openDuckdbWarehouse({ path: ':memory:' });
  await warehouse.init();
  return warehouse;
}

/** Every row of a (small) query, as plain objects. */
export async function rowsOf(warehouse: Warehouse, sql: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const row of warehouse.query(sql)) out.push({ ...row });
  return out;
}

/** Creates `schema.table` from plain rows (all VARCHAR / DOUBLE columns, from the first row's shape). */
export async function createTable(
  warehouse: Warehouse,
  name: string,
  rows: readonly Readonly<Record<string, string | number | null>>[],
  columns: Readonly<Record<string, 'VARCHAR' | 'DOUBLE'>>,
): Promise<void> {
  const [schema] = name.split('.');
  const defs = Object.entries(columns)
    .map(([c, t]) => `${c} ${t}`)
    .join(', ');
  await warehouse.execute(`CREATE SCHEMA IF NOT EXISTS ${schema}; CREATE OR REPLACE TABLE ${name} (${defs})`);
  const names = Object.keys(columns);
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const params: unknown[] = [];
    const values = chunk.map((row) => {
      for (const c of names) params.push(row[c] ?? null);
      return `(${names.map(() => '?').join(', ')})`;
    });
    for await (const _ of warehouse.query(`INSERT INTO ${name} VALUES ${values.join(', ')}`, params)) {
      // drain
    }
  }
}
