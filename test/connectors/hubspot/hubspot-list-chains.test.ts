import { afterEach, describe, expect, it, vi } from 'vitest';
import { chainCount, cut } from '../../../connectors/hubspot/hubspot-list-chains.js';
import { readStream } from '../../conformance/read-stream.js';
import { type HubspotTestbed, hubspotTestbed } from './hubspot-harness.js';

let bed: HubspotTestbed | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  await bed?.sim.close();
  bed = null;
});

describe('HubSpot list chains', () => {
  it('cuts the id space into ranges that cover it once, the last one open-ended', () => {
    const ranges = cut(151, 10_001, 8);
    expect(ranges[0]!.from).toBe(151);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.from).toBe(ranges[i - 1]!.to);
    expect(ranges[ranges.length - 1]!.to).toBe(Number.POSITIVE_INFINITY);
    expect(cut(5, 5, 4)).toEqual([{ from: 5, to: Number.POSITIVE_INFINITY }]);
  });

  it('sizes the chains from the rate the budget allows and the latency it sees', () => {
    // HubSpot Pro (190 per 10 s) at 150 ms: ~3 requests in flight keep the rate, doubled for processing.
    expect(chainCount({ requestsPerSecond: 19 }, 150)).toBe(7);
    expect(chainCount({ requestsPerSecond: 19 }, 10)).toBe(2);
    expect(chainCount({ requestsPerSecond: 1_000_000 }, 5)).toBe(8);
    expect(chainCount({ requestsPerSecond: 19, maxChains: 1 }, 150)).toBe(1);
  });

  it('a first load read by parallel chains holds every record exactly once, live and archived', async () => {
    bed = await hubspotTestbed({ scale: 3_000 });
    await bed.sim.control.mutate({ object: 'contacts', archive: 40 });
    await bed.sim.control.faults({ latencyMs: 20 });
    let inFlight = 0;
    let most = 0;
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (...args: Parameters<typeof fetch>) => {
      most = Math.max(most, ++inFlight);
      try {
        return await realFetch(...args);
      } finally {
        inFlight--;
      }
    });
    const contacts = bed.source.streams().find((s) => s.name === 'contacts')!;
    const read = await readStream(contacts);
    const truth = (await bed.sim.control.truth('contacts')) as { id: string; archived?: boolean }[];
    const ids = read.records.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(truth.map((r) => String(r.id)).sort());
    const archived = new Set(truth.filter((r) => r.archived).map((r) => String(r.id)));
    expect(
      read.records
        .filter((r) => r.deleted)
        .map((r) => r.id)
        .sort(),
    ).toEqual([...archived].sort());
    // Several pages were in flight at once (one chain would never exceed one plus its prefetch).
    expect(most).toBeGreaterThan(2);
  });
});
