import { openDuckdbWarehouse } from './duckdb/duckdb-warehouse.js';
import type { Warehouse } from './warehouse.js';
import type { WarehouseConfig } from './warehouse-config.js';

export interface OpenWarehouseOptions {
  /**
   * For commands that only read (status, sql, docs, report): DuckDB attaches the file READ_ONLY
   * (a missing file is an error, not a new database) and nothing is created on either warehouse.
   */
  readonly readOnly?: boolean;
}

/** Opens the configured warehouse and makes sure Tide's system tables exist (unless read-only). */
export async function openWarehouse(
  config: WarehouseConfig,
  options: OpenWarehouseOptions = {},
): Promise<Warehouse> {
  const readOnly = options.readOnly === true;
  let warehouse: Warehouse;
  switch (config.kind) {
    case 'duckdb':
      warehouse = await openDuckdbWarehouse({
        path: config.path,
        batchSize: config.batchSize,
        readOnly,
        ...(config.memoryLimit !== undefined ? { memoryLimit: config.memoryLimit } : {}),
        ...(config.loadMemoryLimit !== undefined ? { loadMemoryLimit: config.loadMemoryLimit } : {}),
      });
      break;
    case 'bigquery': {
      // Loaded only when configured: the BigQuery client and Google auth take most of a second to
      // import, which every DuckDB command would otherwise pay.
      const { openBigqueryWarehouse } = await import('./bigquery/open-bigquery-warehouse.js');
      warehouse = openBigqueryWarehouse(config);
      break;
    }
  }
  if (!readOnly) await warehouse.init();
  return warehouse;
}
