import type { SourceConfig } from '../config/schema.js';
import type { ConnectionDeps } from '../crm/crm-connections.js';
import { hubspotClientFor } from '../crm/hubspot/hubspot-connection.js';
import { pipedriveClientFor } from '../crm/pipedrive/pipedrive-connection.js';
import { salesforceConnectionFor } from '../crm/salesforce/salesforce-connection.js';
import type { Destination } from './destination.js';
import { HubspotDestination } from './hubspot/hubspot-destination.js';
import { PipedriveDestination } from './pipedrive/pipedrive-destination.js';
import { SalesforceDestination } from './salesforce/salesforce-destination.js';

/**
 * The Destination of a configured CRM account. With the session's deps it shares the account's
 * connection (HTTP client, rate budgets) with the account's Source.
 */
export function createDestination(config: SourceConfig, deps: ConnectionDeps): Destination {
  switch (config.kind) {
    case 'hubspot':
      return new HubspotDestination(config.name, hubspotClientFor(config, deps));
    case 'salesforce':
      return new SalesforceDestination(config.name, salesforceConnectionFor(config, deps));
    case 'pipedrive':
      return new PipedriveDestination(config.name, pipedriveClientFor(config, deps));
  }
}
