import type { Source, Stream } from '../../core/source.js';
import type { SourceDeps } from '../connections.js';
import type { SalesforceSourceConfig } from './salesforce-config.js';
import { type SalesforceTuning, salesforceConnectionFor } from './salesforce-connection.js';
import { SalesforceObjectStream } from './salesforce-object-stream.js';

/**
 * A Salesforce org. Its streams share the org's connection (salesforce-connection.ts):
 * one OAuth session, one daily-allowance tracker, one concurrency limit, one Bulk job allowance.
 */
export function createSalesforceSource(
  config: SalesforceSourceConfig,
  deps: SourceDeps & { readonly tuning?: SalesforceTuning },
): Source {
  const connection = salesforceConnectionFor(config, deps);
  const streams: Stream[] = config.streams.map(
    (object) =>
      new SalesforceObjectStream({
        object,
        client: connection.client,
        bulk: connection.bulk,
        bulkJobs: () => connection.bulkJobs(),
        overlapMs: config.overlapMinutes * 60_000,
        bulkThreshold: config.bulkThreshold,
        bulkPageRecords: config.bulkPageRecords,
        bulkPollMs: config.bulkPollIntervalMs,
        bulkTimeoutMs: config.bulkTimeoutMinutes * 60_000,
        refreshEveryDays: config.fullRefreshEveryDays[object],
      }),
  );

  return {
    name: config.name,
    kind: 'salesforce',
    streams: () => streams,
    async check() {
      await connection.client.limits();
    },
  };
}
