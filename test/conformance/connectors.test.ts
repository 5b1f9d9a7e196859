import { describe, expect, it } from 'vitest';
import { CONNECTORS, connectorFor } from '../../connectors/registry.js';
import { activecampaignHarness } from '../connectors/activecampaign/activecampaign-harness.js';
import { dynamicsConnectorHarness } from '../connectors/dynamics/dynamics-harness.js';
import { hubspotConnectorHarness } from '../connectors/hubspot/hubspot-harness.js';
import { pipedriveConnectorHarness } from '../connectors/pipedrive/pipedrive-harness.js';
import { salesforceConnectorHarness } from '../connectors/salesforce/salesforce-harness.js';
import { zohoConnectorHarness } from '../connectors/zoho/zoho-harness.js';
import { describeConflictConformance } from './conflict-conformance.js';
import type { ConnectorHarness } from './connector-harness.js';
import { describeDestinationConformance } from './destination-conformance.js';
import { describeSourceConformance } from './source-conformance.js';

/**
 * Every connector's harness, one line each: the source and destination suites run over all of them.
 * A new CRM is proven by adding its harness here (connectors/README.md, "Prove it").
 */
const HARNESSES: readonly { readonly kind: string; start(): Promise<ConnectorHarness> }[] = [
  { kind: 'hubspot', start: hubspotConnectorHarness },
  { kind: 'salesforce', start: salesforceConnectorHarness },
  { kind: 'pipedrive', start: pipedriveConnectorHarness },
  { kind: 'zoho', start: zohoConnectorHarness },
  { kind: 'activecampaign', start: activecampaignHarness },
  { kind: 'dynamics', start: dynamicsConnectorHarness },
];

describe('the conformance list', () => {
  it('has a harness for every connector in the registry', () => {
    expect(HARNESSES.map((h) => h.kind).sort()).toEqual(CONNECTORS.map((c) => c.kind).sort());
  });
});

for (const { kind, start } of HARNESSES) {
  describeSourceConformance(kind, start);
  describeDestinationConformance(kind, start);
  // Field ownership (issue 20) wherever Tide can push.
  if (connectorFor(kind).capabilities !== null) describeConflictConformance(kind, start);
}
