import { defineConnector } from '../connector.js';
import { ACTIVECAMPAIGN_CAPABILITIES } from './activecampaign-capabilities.js';
import { ActiveCampaignSourceSchema } from './activecampaign-config.js';
import { activeCampaignClientFor } from './activecampaign-connection.js';
import { ActiveCampaignDestination } from './activecampaign-destination.js';
import { createActiveCampaignSource } from './activecampaign-source.js';

/** ActiveCampaign: everything Tide knows about it is in this folder; this is its one registry entry. */
export const activecampaignConnector = defineConnector(ActiveCampaignSourceSchema, {
  kind: 'activecampaign',
  vendor: 'ActiveCampaign',
  createSource: createActiveCampaignSource,
  destination: {
    capabilities: ACTIVECAMPAIGN_CAPABILITIES,
    create: (config, deps) =>
      new ActiveCampaignDestination(config.name, activeCampaignClientFor(config, deps)),
  },
  async startSimulator(config, options) {
    const { startActiveCampaignSimulator } = await import(
      '../../simulators/activecampaign/start-activecampaign-simulator.js'
    );
    const running = await startActiveCampaignSimulator({
      ...options,
      ...(config.simulator === undefined ? {} : { share: config.simulator.share }),
    });
    return {
      baseUrl: running.baseUrl,
      env: { [config.apiTokenEnv]: running.apiToken },
      close: () => running.close(),
    };
  },
  models: {
    priority: 4,
    requiredFields: {
      contacts: ['email', 'first_name', 'last_name', 'phone', 'company_record_id'],
      accounts: ['name', 'domain'],
      deals: ['name', 'amount', 'stage'],
    },
  },
});
