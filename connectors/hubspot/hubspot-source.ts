import type { Source, Stream } from '../../core/source.js';
import type { SourceDeps } from '../connections.js';
import type { HubspotSourceConfig, HubspotStreamName } from './hubspot-config.js';
import { type HubspotTuning, hubspotClientFor } from './hubspot-connection.js';
import { DEFAULT_POLLING } from './hubspot-export-read.js';
import { HubspotObjectStream } from './hubspot-object-stream.js';
import { HubspotOwnersStream } from './hubspot-owners-stream.js';

const ENGAGEMENTS = new Set<HubspotStreamName>(['calls', 'emails', 'meetings', 'notes', 'tasks']);

/**
 * A HubSpot account. All its streams share one HTTP client, so they share one burst budget (read
 * from HubSpot's rate headers) and one search budget: running streams concurrently approaches the
 * account's limit instead of exceeding it.
 */
export function createHubspotSource(
  config: HubspotSourceConfig,
  deps: SourceDeps & { readonly tuning?: HubspotTuning },
): Source {
  const client = hubspotClientFor(config, deps);
  const shared = {
    overlapMs: config.overlapMinutes * 60_000,
    // Parallel list chains keep this rate in flight; the shared budget still enforces it.
    requestsPerSecond: config.burstLimit / 10,
    archivedSweepEveryHours: config.archivedSweepEveryHours,
    exportAbove: config.exportAbove,
    exportPolling: {
      ...DEFAULT_POLLING,
      ...(deps.tuning?.exportPollMs === undefined
        ? {}
        : { pollMs: deps.tuning.exportPollMs, maxPollMs: deps.tuning.exportPollMs * 4 }),
      timeoutMs: config.exportTimeoutMinutes * 60_000,
    },
  };

  const streams: Stream[] = config.streams.map((name): Stream => {
    if (name === 'owners') return new HubspotOwnersStream(client);
    if (name === 'contact_companies') {
      return new HubspotObjectStream(client, {
        ...shared,
        name,
        objectType: 'contacts',
        cursorOnly: true,
        associations: [{ toType: 'companies', field: 'company_ids' }],
      });
    }
    if (name === 'deals') {
      return new HubspotObjectStream(client, {
        ...shared,
        name,
        objectType: 'deals',
        associations: [
          { toType: 'contacts', field: 'associated_contact_ids' },
          { toType: 'companies', field: 'associated_company_ids' },
        ],
      });
    }
    if (ENGAGEMENTS.has(name)) {
      return new HubspotObjectStream(client, {
        ...shared,
        name,
        objectType: name,
        associations: [{ toType: 'contacts', field: 'associated_contact_ids' }],
      });
    }
    return new HubspotObjectStream(client, { ...shared, name, objectType: name });
  });

  return {
    name: config.name,
    kind: 'hubspot',
    streams: () => streams,
    async check() {
      await client.properties('contacts');
    },
  };
}
