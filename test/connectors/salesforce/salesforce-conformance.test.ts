import { describeSourceConformance, type SourceHarness } from '../../conformance/source-conformance.js';
import { salesforceSource, startSim, truthOf } from './salesforce-harness.js';

async function salesforceHarness(): Promise<SourceHarness> {
  const sim = await startSim({ seed: 61, scale: 1200 });
  const { source } = salesforceSource(sim);
  const change = async (stream: string, body: Record<string, unknown>, key: 'updated' | 'deleted') => {
    await sim.control.advanceClock(1_000);
    return ((await sim.control.mutate({ object: stream, ...body })) as Record<typeof key, string[]>)[key];
  };
  return {
    source,
    streams: ['Contact', 'Account', 'Opportunity', 'Task'],
    truth: (stream) => truthOf(sim, stream),
    mutate: (stream, n) => change(stream, { update: n }, 'updated'),
    remove: (stream, n) => change(stream, { delete: n }, 'deleted'),
    calls: async () => (await sim.control.stats()).total,
    close: () => sim.close(),
  };
}

describeSourceConformance('salesforce', salesforceHarness);
