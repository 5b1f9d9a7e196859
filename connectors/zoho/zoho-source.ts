import type { Source, Stream } from '../../core/source.js';
import type { SourceDeps } from '../connections.js';
import type { ZohoSourceConfig } from './zoho-config.js';
import { type ZohoTuning, zohoConnectionFor } from './zoho-connection.js';
import { ZohoModuleStream } from './zoho-module-stream.js';
import { ZohoUsersStream } from './zoho-users-stream.js';

/**
 * A Zoho CRM org. Its streams share the org's connection (zoho-connection.ts): one OAuth token, one
 * concurrency limit, one credits tracker, one field catalog.
 */
export function createZohoSource(
  config: ZohoSourceConfig,
  deps: SourceDeps & { readonly tuning?: ZohoTuning },
): Source {
  const connection = zohoConnectionFor(config, deps);
  const overlapMs = config.overlapMinutes * 60_000;
  const streams: Stream[] = config.streams.map((name) =>
    name === 'users'
      ? new ZohoUsersStream(connection.client, overlapMs)
      : new ZohoModuleStream({
          module: name,
          client: connection.client,
          catalog: connection.catalog,
          overlapMs,
          bulkThreshold: config.bulkRead ? config.bulkThreshold : Number.POSITIVE_INFINITY,
          bulkRead: config.bulkRead,
          bulkPollMs: config.bulkPollMs,
          bulkPollMaxMs: config.bulkPollMaxMs,
          bulkTimeoutMs: config.bulkTimeoutMinutes * 60_000,
        }),
  );
  return {
    name: config.name,
    kind: 'zoho',
    streams: () => streams,
    async check() {
      await connection.client.request({ path: '/crm/v8/settings/modules' });
    },
  };
}
