import { z } from 'zod';
import type { DestinationCapabilities } from '../core/destination.js';
import { TideError } from '../core/tide-error.js';
import { activecampaignConnector } from './activecampaign/activecampaign-connector.js';
import type { Connector } from './connector.js';
import { dynamicsConnector } from './dynamics/dynamics-connector.js';
import { hubspotConnector } from './hubspot/hubspot-connector.js';
import { pipedriveConnector } from './pipedrive/pipedrive-connector.js';
import { salesforceConnector } from './salesforce/salesforce-connector.js';
import { zohoConnector } from './zoho/zoho-connector.js';

/**
 * Every CRM Tide connects to, one line each. Nothing else in Tide switches over CRM kinds: config
 * validation, sources, destinations, capability checks, the demo's simulators and the models'
 * per-CRM defaults all look the connector up here (connectors/README.md: adding a CRM).
 */
export const CONNECTORS: readonly Connector[] = [
  hubspotConnector,
  salesforceConnector,
  pipedriveConnector,
  zohoConnector,
  activecampaignConnector,
  dynamicsConnector,
];

/**
 * `sources[]` in pipeline.config.ts, typed for the user's editor: one entry per connector above, told
 * apart by `kind` (test/conformance checks the two lists name the same connectors).
 */
export const SourceSchema = z.discriminatedUnion('kind', [
  hubspotConnector.configSchema,
  salesforceConnector.configSchema,
  pipedriveConnector.configSchema,
  zohoConnector.configSchema,
  activecampaignConnector.configSchema,
  dynamicsConnector.configSchema,
]);
export type SourceConfig = z.output<typeof SourceSchema>;

const BY_KIND: ReadonlyMap<string, Connector> = new Map(CONNECTORS.map((c) => [c.kind, c]));

/** The connector of a CRM kind; a kind the registry does not know is a config error. */
export function connectorFor(kind: string): Connector {
  const connector = BY_KIND.get(kind);
  if (connector === undefined) {
    throw new TideError('config_invalid', `unknown CRM kind "${kind}"`, {
      hint: `one of: ${CONNECTORS.map((c) => c.kind).join(', ')}`,
    });
  }
  return connector;
}

/** Vendor name and write capabilities of a kind, for config validation (undefined: unknown kind). */
export function capabilitiesOf(
  kind: string,
): { readonly vendor: string; readonly capabilities: DestinationCapabilities | null } | undefined {
  return BY_KIND.get(kind);
}
