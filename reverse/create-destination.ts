import type { SourceConfig } from '../config/schema.js';
import type { ConnectionDeps } from '../crm/crm-connections.js';
import { hubspotClientFor } from '../crm/hubspot/hubspot-connection.js';
import { TideError } from '../errors/tide-error.js';
import type { Destination } from './destination.js';
import { HubspotDestination } from './hubspot/hubspot-destination.js';

/**
 * The Destination of a configured CRM account. With the session's deps it shares the account's
 * connection (HTTP client, rate budgets) with the account's Source.
 */
export function createDestination(config: SourceConfig, deps: ConnectionDeps): Destination {
  switch (config.kind) {
    case 'hubspot':
      return new HubspotDestination(config.name, hubspotClientFor(config, deps));
    case 'salesforce':
      throw new TideError(
        'config_invalid',
        `${config.name}: reverse ETL into Salesforce is not available yet`,
        {
          hint: 'sync into a HubSpot source for now, or remove this sync',
        },
      );
  }
}
