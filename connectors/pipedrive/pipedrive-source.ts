import type { Source, Stream } from '../../core/source.js';
import type { SourceDeps } from '../connections.js';
import type { V2Entity } from './pipedrive-client.js';
import type { PipedriveSourceConfig } from './pipedrive-config.js';
import { type PipedriveTuning, pipedriveClientFor } from './pipedrive-connection.js';
import { PipedriveEntityStream } from './pipedrive-entity-stream.js';
import { FIELDS_ENDPOINT } from './pipedrive-field-catalog.js';
import { PipedriveLeadsStream } from './pipedrive-leads-stream.js';
import { PipedriveFields } from './pipedrive-stream-fields.js';
import { PipedriveUsersStream } from './pipedrive-users-stream.js';

/**
 * A Pipedrive company. All streams share one HTTP client and one burst budget, sized and paused by
 * Pipedrive's x-ratelimit-* headers, so parallel streams stay within the account's 2-second window.
 */
export function createPipedriveSource(
  config: PipedriveSourceConfig,
  deps: SourceDeps & { readonly tuning?: PipedriveTuning },
): Source {
  const client = pipedriveClientFor(config, deps);
  const overlapMs = config.overlapMinutes * 60_000;
  const fields = new Map<V2Entity, PipedriveFields>();
  const fieldsOf = (entity: V2Entity): PipedriveFields => {
    let f = fields.get(entity);
    if (f === undefined) {
      f = new PipedriveFields(client, entity, FIELDS_ENDPOINT[entity]);
      fields.set(entity, f);
    }
    return f;
  };
  const streams: Stream[] = config.streams.map((name): Stream => {
    if (name === 'leads') return new PipedriveLeadsStream(client, fieldsOf('deals'), overlapMs);
    if (name === 'users') return new PipedriveUsersStream(client, overlapMs);
    return new PipedriveEntityStream(client, name, fieldsOf(name), overlapMs);
  });
  return {
    name: config.name,
    kind: 'pipedrive',
    streams: () => streams,
    async check() {
      await client.users();
    },
  };
}
