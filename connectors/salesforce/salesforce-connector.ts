import { defineConnector } from '../connector.js';
import { SALESFORCE_CAPABILITIES } from './salesforce-capabilities.js';
import { SalesforceSourceSchema } from './salesforce-config.js';
import { salesforceConnectionFor } from './salesforce-connection.js';
import { SalesforceDestination } from './salesforce-destination.js';
import { createSalesforceSource } from './salesforce-source.js';

/** Salesforce: everything Tide knows about it is in this folder; this is its one registry entry. */
export const salesforceConnector = defineConnector(SalesforceSourceSchema, {
  kind: 'salesforce',
  vendor: 'Salesforce',
  createSource: createSalesforceSource,
  destination: {
    capabilities: SALESFORCE_CAPABILITIES,
    create: (config, deps) => new SalesforceDestination(config.name, salesforceConnectionFor(config, deps)),
  },
  async startSimulator(config, options) {
    const { startSalesforceSimulator } = await import(
      '../../simulators/salesforce/start-salesforce-simulator.js'
    );
    const running = await startSalesforceSimulator(options);
    const env: Record<string, string> = {
      [config.clientIdEnv]: running.clientId,
      [config.clientSecretEnv]: running.clientSecret,
    };
    if (config.refreshTokenEnv !== undefined) env[config.refreshTokenEnv] = running.refreshToken;
    return { baseUrl: running.baseUrl, env, close: () => running.close() };
  },
  models: {
    priority: 1,
    requiredFields: {
      Contact: ['email', 'first_name', 'last_name', 'phone', 'company_record_id'],
      Lead: ['email', 'first_name', 'last_name', 'company_name'],
      Account: ['name', 'domain', 'industry'],
      Opportunity: ['name', 'amount', 'stage', 'close_date'],
    },
  },
});
