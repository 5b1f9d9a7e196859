import { defineConnector } from '../connector.js';
import { DYNAMICS_CAPABILITIES } from './dynamics-capabilities.js';
import { DynamicsSourceSchema } from './dynamics-config.js';
import { dynamicsConnectionFor } from './dynamics-connection.js';
import { DynamicsDestination } from './dynamics-destination.js';
import { createDynamicsSource } from './dynamics-source.js';

/** Dynamics 365 (Dataverse): everything Tide knows about it is in this folder; this is its registry entry. */
export const dynamicsConnector = defineConnector(DynamicsSourceSchema, {
  kind: 'dynamics',
  vendor: 'Dynamics 365',
  createSource: createDynamicsSource,
  destination: {
    capabilities: DYNAMICS_CAPABILITIES,
    create: (config, deps) =>
      new DynamicsDestination(config.name, dynamicsConnectionFor(config, deps), {
        mode: config.writeMode,
        concurrency: config.writeConcurrency,
      }),
  },
  async startSimulator(config, options) {
    const { startDynamicsSimulator } = await import('../../simulators/dynamics/start-dynamics-simulator.js');
    // The simulator plays the configured tenant, so the config works against it unchanged.
    const running = await startDynamicsSimulator({ ...options, tenantId: config.tenantId });
    return {
      baseUrl: running.baseUrl,
      env: { [config.clientIdEnv]: running.clientId, [config.clientSecretEnv]: running.clientSecret },
      close: () => running.close(),
    };
  },
  models: {
    // After the CRMs already configured everywhere: adding Dynamics changes no existing survivor.
    priority: 5,
    requiredFields: {
      contacts: ['email', 'first_name', 'last_name', 'phone', 'company_record_id'],
      leads: ['email', 'first_name', 'last_name', 'company_name'],
      accounts: ['name', 'domain', 'industry'],
      opportunities: ['name', 'amount', 'stage', 'close_date'],
    },
  },
});
