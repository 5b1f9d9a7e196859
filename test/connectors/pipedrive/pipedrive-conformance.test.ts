import { describeSourceConformance } from '../../conformance/source-conformance.js';
import { pipedriveHarness, pipedriveTestbed } from './pipedrive-harness.js';

describeSourceConformance('pipedrive', async () =>
  pipedriveHarness(await pipedriveTestbed(), ['persons', 'organizations', 'deals', 'activities']),
);
