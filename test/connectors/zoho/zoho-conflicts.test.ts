import { describeConflictConformance } from '../../conformance/conflict-conformance.js';
import { zohoHarness, zohoTestbed } from './zoho-harness.js';

// Field ownership through the Zoho simulator, over the destination side of its ConnectorHarness.
describeConflictConformance('zoho', async () => {
  const harness = zohoHarness(await zohoTestbed({ seed: 13, scale: 200 }), ['Contacts']);
  const d = harness.destination!;
  return { kind: harness.kind, ...d, source: harness.source.source, close: () => harness.close() };
});
