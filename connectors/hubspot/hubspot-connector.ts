import { defineConnector } from '../connector.js';
import { HUBSPOT_CAPABILITIES } from './hubspot-capabilities.js';
import { HubspotSourceSchema } from './hubspot-config.js';
import { hubspotClientFor } from './hubspot-connection.js';
import { HubspotDestination } from './hubspot-destination.js';
import { createHubspotSource } from './hubspot-source.js';

/** HubSpot: everything Tide knows about it is in this folder; this is its one registry entry. */
export const hubspotConnector = defineConnector(HubspotSourceSchema, {
  kind: 'hubspot',
  vendor: 'HubSpot',
  createSource: createHubspotSource,
  destination: {
    capabilities: HUBSPOT_CAPABILITIES,
    create: (config, deps) => new HubspotDestination(config.name, hubspotClientFor(config, deps)),
  },
  async startSimulator(config, options) {
    const { startHubspotSimulator } = await import('../../simulators/hubspot/start-hubspot-simulator.js');
    const running = await startHubspotSimulator(options);
    return {
      baseUrl: running.baseUrl,
      env: { [config.tokenEnv]: running.token },
      close: () => running.close(),
    };
  },
  models: {
    priority: 2,
    requiredFields: {
      contacts: ['email', 'first_name', 'last_name', 'phone', 'company_name'],
      companies: ['name', 'domain', 'industry'],
      deals: ['name', 'amount', 'stage', 'close_date'],
    },
  },
});
