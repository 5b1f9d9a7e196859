import { describeSourceConformance } from '../../conformance/source-conformance.js';
import { activecampaignHarness } from './activecampaign-harness.js';

describeSourceConformance('activecampaign', async () => {
  const harness = await activecampaignHarness();
  return { ...harness.source, close: () => harness.close() };
});
