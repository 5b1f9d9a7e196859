import { openDuckdbWarehouse } from './duckdb/duckdb-warehouse.js';
import type { Warehouse } from './warehouse.js';
import type { WarehouseConfig } from './warehouse-config.js';

/** Opens the configured warehouse and makes sure Tide's system tables exist. */
export async function openWarehouse(config: WarehouseConfig): Promise<Warehouse> {
  let warehouse: Warehouse;
  switch (config.kind) {
    case 'duckdb':
      warehouse = await openDuckdbWarehouse({ path: config.path, batchSize: config.batchSize });
      break;
    case 'bigquery': {
      // Loaded only when configured: the BigQuery client and Google auth take most of a second to
      // import, which every DuckDB command would otherwise pay.
      const { openBigqueryWarehouse } = await import('./bigquery/open-bigquery-warehouse.js');
      warehouse = openBigqueryWarehouse(config);
      break;
    }
  }
  await warehouse.init();
  return warehouse;
}
