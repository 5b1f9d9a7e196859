import { describeSourceConformance } from '../../conformance/source-conformance.js';
import { dynamicsSourceHarness, dynamicsTestbed } from './dynamics-harness.js';

// Tables with change tracking: deletes arrive with the increments. Tables read by modifiedon
// windows learn of deletes only at the periodic reconcile (dynamics-source.test.ts proves that).
describeSourceConformance('dynamics', async () =>
  dynamicsSourceHarness(await dynamicsTestbed({ seed: 61, scale: 900 }), [
    'contacts',
    'accounts',
    'opportunities',
  ]),
);
