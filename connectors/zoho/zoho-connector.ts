import { defineConnector } from '../connector.js';
import { ZOHO_CAPABILITIES } from './zoho-capabilities.js';
import { ZohoSourceSchema } from './zoho-config.js';
import { zohoConnectionFor } from './zoho-connection.js';
import { ZohoDestination } from './zoho-destination.js';
import { createZohoSource } from './zoho-source.js';

/** Zoho CRM: everything Tide knows about it is in this folder; this is its one registry entry. */
export const zohoConnector = defineConnector(ZohoSourceSchema, {
  kind: 'zoho',
  vendor: 'Zoho CRM',
  createSource: createZohoSource,
  destination: {
    capabilities: ZOHO_CAPABILITIES,
    create: (config, deps) => new ZohoDestination(config.name, zohoConnectionFor(config, deps)),
  },
  async startSimulator(config, options) {
    const { startZohoSimulator } = await import('../../simulators/zoho/start-zoho-simulator.js');
    const running = await startZohoSimulator(options);
    return {
      baseUrl: running.baseUrl,
      env: {
        [config.clientIdEnv]: running.clientId,
        [config.clientSecretEnv]: running.clientSecret,
        [config.refreshTokenEnv]: running.refreshToken,
      },
      close: () => running.close(),
    };
  },
  models: {
    priority: 4,
    requiredFields: {
      Contacts: ['email', 'first_name', 'last_name', 'phone', 'company_record_id'],
      Leads: ['email', 'first_name', 'last_name', 'company_name'],
      Accounts: ['name', 'domain', 'industry'],
      Deals: ['name', 'amount', 'stage', 'close_date'],
    },
  },
});
