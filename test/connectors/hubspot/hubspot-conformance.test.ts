import { describeSourceConformance } from '../../conformance/source-conformance.js';
import { hubspotHarness, hubspotTestbed } from './hubspot-harness.js';

describeSourceConformance('hubspot', async () =>
  hubspotHarness(await hubspotTestbed(), ['contacts', 'companies', 'deals']),
);
