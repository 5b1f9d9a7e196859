import type { SourceConfig } from '../config/schema.js';
import type { ConnectionDeps } from '../crm/crm-connections.js';
import { createHubspotSource } from './hubspot/hubspot-source.js';
import { createPipedriveSource } from './pipedrive/pipedrive-source.js';
import { createSalesforceSource } from './salesforce/salesforce-source.js';
import type { Logger, Source } from './source.js';

/** env, requestLog, baseUrl and the session's shared connections (crm/crm-connections.ts), plus a logger. */
export interface SourceDeps extends ConnectionDeps {
  readonly log: Logger;
}

/** Builds the Source for one configured CRM account. */
export function createSource(config: SourceConfig, deps: SourceDeps): Source {
  switch (config.kind) {
    case 'hubspot':
      return createHubspotSource(config, deps);
    case 'salesforce':
      return createSalesforceSource(config, deps);
    case 'pipedrive':
      return createPipedriveSource(config, deps);
  }
}
