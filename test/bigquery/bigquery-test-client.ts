import type { BigqueryWarehouseConfig } from '../../load/bigquery/bigquery-config.js';
import type { BigqueryWarehouse } from '../../load/bigquery/bigquery-warehouse.js';
import {
  type BigqueryWarehouseOverrides,
  openBigqueryWarehouse,
} from '../../load/bigquery/open-bigquery-warehouse.js';
import { BigqueryDouble } from './bigquery-double.js';
import { PROJECT, sdkClient, TOKEN } from './bigquery-sdk-client.js';
import type { BigqueryDoubleOptions } from './double-options.js';

export { PROJECT, sdkClient, TOKEN };

export function testConfig(overrides: Partial<BigqueryWarehouseConfig> = {}): BigqueryWarehouseConfig {
  return {
    kind: 'bigquery',
    projectId: PROJECT,
    location: 'EU',
    batchSize: 250_000,
    ...overrides,
  };
}

/** Fast polling and retrying, so fault tests take milliseconds. */
export const FAST: BigqueryWarehouseOverrides = {
  poll: { initialMs: 1, maxMs: 5, factor: 2, timeoutMs: 30_000, maxStatusErrors: 3 },
  retry: { initialMs: 1, maxMs: 5, factor: 2, attempts: 4 },
};

export async function startDouble(options: Partial<BigqueryDoubleOptions> = {}): Promise<BigqueryDouble> {
  return BigqueryDouble.start({ projectId: PROJECT, location: 'EU', token: TOKEN, ...options });
}

export function warehouseOn(
  double: BigqueryDouble,
  config: Partial<BigqueryWarehouseConfig> = {},
  overrides: BigqueryWarehouseOverrides = {},
): BigqueryWarehouse {
  return openBigqueryWarehouse(testConfig(config), { client: sdkClient(double), ...FAST, ...overrides });
}
