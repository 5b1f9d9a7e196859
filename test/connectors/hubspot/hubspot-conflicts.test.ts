import { HubspotSourceSchema } from '../../../connectors/hubspot/hubspot-config.js';
import { hubspotClientFor } from '../../../connectors/hubspot/hubspot-connection.js';
import { HubspotDestination } from '../../../connectors/hubspot/hubspot-destination.js';
import { createHubspotSource } from '../../../connectors/hubspot/hubspot-source.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import { startHubspotSimulator } from '../../../simulators/hubspot/start-hubspot-simulator.js';
import { describeConflictConformance } from '../../conformance/conflict-conformance.js';

interface Contact {
  readonly id: string;
  readonly archived?: boolean;
  readonly properties: Readonly<Record<string, string | null>>;
}

// Field ownership through the HubSpot simulator: `tide_score` (a number property HubSpot answers as text).
describeConflictConformance('hubspot', async () => {
  const sim = await startHubspotSimulator({ seed: 13, scale: 200, burstLimit: 0, searchPerSecond: 0 });
  const config = HubspotSourceSchema.parse({
    kind: 'hubspot',
    name: 'hubspot',
    tokenEnv: 'HS_TOKEN',
    streams: ['contacts'],
    overlapMinutes: 0,
  });
  const deps = { env: { HS_TOKEN: sim.token }, baseUrl: sim.baseUrl };
  const destination = new HubspotDestination('hubspot', hubspotClientFor(config, deps));
  const contacts = async (): Promise<Contact[]> => (await sim.control.truth('contacts')) as Contact[];
  const handedOut = new Set<string>();
  return {
    kind: 'hubspot',
    destination,
    source: createHubspotSource(config, { ...deps, log: new MemoryLogger() }),
    object: 'contacts',
    numberField: 'tide_score',
    batchWrites: true,
    async existingIds(n) {
      const fresh = (await contacts()).filter((c) => !c.archived && !handedOut.has(c.id)).slice(0, n);
      for (const c of fresh) handedOut.add(c.id);
      return fresh.map((c) => c.id);
    },
    async valueOf(id, field) {
      return (await contacts()).find((c) => c.id === id)?.properties[field];
    },
    async edit(id, field, value) {
      await sim.control.advanceClock(1_000);
      await sim.control.mutate({ object: 'contacts', ids: [id], setProperties: { [field]: String(value) } });
    },
    writeCalls: async () => (await sim.control.stats()).writes,
    close: () => sim.close(),
  };
});
