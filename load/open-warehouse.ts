import type { WarehouseConfig } from '../config/schema.js';
import { openBigqueryWarehouse } from './bigquery/open-bigquery-warehouse.js';
import { openDuckdbWarehouse } from './duckdb/duckdb-warehouse.js';
import type { Warehouse } from './warehouse.js';

/** Opens the configured warehouse and makes sure Tide's system tables exist. */
export async function openWarehouse(config: WarehouseConfig): Promise<Warehouse> {
  let warehouse: Warehouse;
  switch (config.kind) {
    case 'duckdb':
      warehouse = await openDuckdbWarehouse({ path: config.path, batchSize: config.batchSize });
      break;
    case 'bigquery':
      warehouse = openBigqueryWarehouse(config);
      break;
  }
  await warehouse.init();
  return warehouse;
}
