import { SalesforceSourceSchema } from '../../../connectors/salesforce/salesforce-config.js';
import { salesforceConnectionFor } from '../../../connectors/salesforce/salesforce-connection.js';
import { SalesforceDestination } from '../../../connectors/salesforce/salesforce-destination.js';
import { createSalesforceSource } from '../../../connectors/salesforce/salesforce-source.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import { startSalesforceSimulator } from '../../../simulators/salesforce/start-salesforce-simulator.js';
import { describeConflictConformance } from '../../conformance/conflict-conformance.js';

interface Contact {
  readonly Id: string;
  readonly IsDeleted: boolean;
  readonly [field: string]: unknown;
}

// Field ownership through the Salesforce simulator: Contact.Tide_Score__c (a double), sObject Collections.
describeConflictConformance('salesforce', async () => {
  const sim = await startSalesforceSimulator({ seed: 13, scale: 200 });
  const config = SalesforceSourceSchema.parse({
    kind: 'salesforce',
    name: 'salesforce',
    clientIdEnv: 'SF_CLIENT_ID',
    clientSecretEnv: 'SF_CLIENT_SECRET',
    streams: ['Contact'],
    overlapMinutes: 0,
  });
  const deps = {
    env: { SF_CLIENT_ID: sim.clientId, SF_CLIENT_SECRET: sim.clientSecret },
    baseUrl: sim.baseUrl,
  };
  const connection = salesforceConnectionFor(config, deps);
  const contacts = async (): Promise<Contact[]> => (await sim.control.truth('Contact')) as Contact[];
  const handedOut = new Set<string>();
  return {
    kind: 'salesforce',
    destination: new SalesforceDestination('salesforce', connection),
    source: createSalesforceSource(config, { ...deps, log: new MemoryLogger() }),
    object: 'Contact',
    numberField: 'Tide_Score__c',
    batchWrites: true,
    async existingIds(n) {
      const fresh = (await contacts()).filter((c) => !c.IsDeleted && !handedOut.has(c.Id)).slice(0, n);
      for (const c of fresh) handedOut.add(c.Id);
      return fresh.map((c) => c.Id);
    },
    async valueOf(id, field) {
      return (await contacts()).find((c) => c.Id === id)?.[field];
    },
    async edit(id, field, value) {
      await sim.control.mutate({ object: 'Contact', updateIds: [id], fields: { [field]: value } });
    },
    writeCalls: async () => (await sim.control.stats()).writes,
    close: () => sim.close(),
  };
});
