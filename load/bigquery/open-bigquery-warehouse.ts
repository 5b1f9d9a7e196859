import { tmpdir } from 'node:os';
import type { Sleep } from './bigquery-backoff.js';
import type { BigqueryClientLike } from './bigquery-client-like.js';
import type { BigqueryWarehouseConfig } from './bigquery-config.js';
import { BigqueryDriver, type RetryPolicy } from './bigquery-driver.js';
import type { PollPolicy } from './bigquery-job-poller.js';
import { BigqueryNames } from './bigquery-names.js';
import { BigquerySql } from './bigquery-sql.js';
import { BigqueryWarehouse } from './bigquery-warehouse.js';
import { createBigqueryClient } from './create-bigquery-client.js';

export interface BigqueryWarehouseOverrides {
  /** Another client (tests: the real SDK pointed at a local double). */
  readonly client?: BigqueryClientLike;
  readonly env?: NodeJS.ProcessEnv;
  readonly poll?: PollPolicy;
  readonly retry?: RetryPolicy;
  readonly sleep?: Sleep;
  readonly pageSize?: number;
  readonly tmpDir?: string;
}

/** Builds the BigQuery warehouse from config. Nothing is sent until init(). */
export function openBigqueryWarehouse(
  config: BigqueryWarehouseConfig,
  overrides: BigqueryWarehouseOverrides = {},
): BigqueryWarehouse {
  const client = overrides.client ?? createBigqueryClient(config, overrides.env);
  const driver = new BigqueryDriver({
    client,
    location: config.location,
    ...(overrides.poll === undefined ? {} : { poll: overrides.poll }),
    ...(overrides.retry === undefined ? {} : { retry: overrides.retry }),
    ...(overrides.sleep === undefined ? {} : { sleep: overrides.sleep }),
    ...(overrides.pageSize === undefined ? {} : { pageSize: overrides.pageSize }),
  });
  return new BigqueryWarehouse({
    driver,
    sql: new BigquerySql(new BigqueryNames(config.projectId)),
    location: config.location,
    batchSize: config.batchSize,
    tmpDir: overrides.tmpDir ?? tmpdir(),
  });
}
