import { BigQuery } from '@google-cloud/bigquery';
import { OAuth2Client } from 'google-auth-library';
import type { BigqueryWarehouseConfig } from '../../load/bigquery/bigquery-config.js';
import type { BigqueryWarehouse } from '../../load/bigquery/bigquery-warehouse.js';
import {
  type BigqueryWarehouseOverrides,
  openBigqueryWarehouse,
} from '../../load/bigquery/open-bigquery-warehouse.js';
import { BigqueryDouble, type BigqueryDoubleOptions } from './bigquery-double.js';

// No metadata server exists here: google-auth-library must not go looking for one.
process.env.METADATA_SERVER_DETECTION = 'none';

export const PROJECT = 'tide-test-project';
export const TOKEN = 'double-token';

/** The real SDK, pointed at the double, with a static OAuth2 token (as SDK-CONTRACTS.md describes). */
export function sdkClient(double: Pick<BigqueryDouble, 'baseUrl'>, token = TOKEN): BigQuery {
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return new BigQuery({
    projectId: PROJECT,
    apiEndpoint: double.baseUrl,
    authClient,
    retryOptions: { autoRetry: false, maxRetries: 0 },
  });
}

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
