import { defineConnector } from '../connector.js';
import { PIPEDRIVE_CAPABILITIES } from './pipedrive-capabilities.js';
import { PipedriveSourceSchema } from './pipedrive-config.js';
import { pipedriveClientFor } from './pipedrive-connection.js';
import { PipedriveDestination } from './pipedrive-destination.js';
import { createPipedriveSource } from './pipedrive-source.js';

/** Pipedrive: everything Tide knows about it is in this folder; this is its one registry entry. */
export const pipedriveConnector = defineConnector(PipedriveSourceSchema, {
  kind: 'pipedrive',
  vendor: 'Pipedrive',
  createSource: createPipedriveSource,
  destination: {
    capabilities: PIPEDRIVE_CAPABILITIES,
    create: (config, deps) => new PipedriveDestination(config.name, pipedriveClientFor(config, deps)),
  },
  async startSimulator(config, options) {
    const { startPipedriveSimulator } = await import(
      '../../simulators/pipedrive/start-pipedrive-simulator.js'
    );
    const running = await startPipedriveSimulator(options);
    const tokenEnv = config.apiTokenEnv ?? config.oauthTokenEnv;
    return {
      baseUrl: running.baseUrl,
      env: tokenEnv === undefined ? {} : { [tokenEnv]: running.apiToken },
      close: () => running.close(),
    };
  },
  models: {
    priority: 3,
    requiredFields: {
      persons: ['email', 'first_name', 'last_name', 'phone', 'company_record_id'],
      organizations: ['name', 'domain'],
      deals: ['name', 'amount', 'stage'],
    },
  },
});
