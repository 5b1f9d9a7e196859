import type { Source, Stream } from '../../core/source.js';
import type { SourceDeps } from '../connections.js';
import { DYNAMICS_TABLES, type DynamicsSourceConfig } from './dynamics-config.js';
import { type DynamicsTuning, dynamicsConnectionFor } from './dynamics-connection.js';
import { WhoAmISchema } from './dynamics-schemas.js';
import { DynamicsStream } from './dynamics-stream.js';

/**
 * A Dataverse environment (Dynamics 365 Sales). Its streams share the environment's connection
 * (dynamics-connection.ts): one Entra token, one request window, one concurrency limit.
 */
export function createDynamicsSource(
  config: DynamicsSourceConfig,
  deps: SourceDeps & { readonly tuning?: DynamicsTuning },
): Source {
  const connection = dynamicsConnectionFor(config, deps);
  const streams: Stream[] = config.streams.map(
    (name) =>
      new DynamicsStream({
        name,
        logicalName: DYNAMICS_TABLES[name],
        client: connection.client,
        changeTracking: config.changeTracking,
        pageSize: config.pageSize,
        overlapMs: config.overlapMinutes * 60_000,
        reconcileEveryDays: config.reconcileEveryDays,
      }),
  );
  return {
    name: config.name,
    kind: 'dynamics',
    streams: () => streams,
    async check() {
      const client = connection.client;
      await client.json(
        { path: `${client.apiPath}/WhoAmI`, endpoint: `GET ${client.apiPath}/WhoAmI` },
        WhoAmISchema,
      );
    },
  };
}
