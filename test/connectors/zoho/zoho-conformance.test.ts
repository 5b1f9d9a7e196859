import { describeSourceConformance } from '../../conformance/source-conformance.js';
import { zohoHarness, zohoTestbed } from './zoho-harness.js';

// The shared source suite, over Zoho's side of the ConnectorHarness contract (zoho-harness.ts).
describeSourceConformance('zoho', async () => {
  const harness = zohoHarness(await zohoTestbed(), ['Contacts', 'Leads', 'Accounts', 'Deals']);
  return { ...harness.source, close: () => harness.close() };
});
