import { afterEach, describe, expect, it } from 'vitest';
import { createHubspotSource } from '../../../connectors/hubspot/hubspot-source.js';
import { latestById, readStream } from '../../conformance/read-stream.js';
import { type HubspotTestbed, hubspotTestbed } from './hubspot-harness.js';

let bed: HubspotTestbed | null = null;
afterEach(async () => {
  await bed?.sim.close();
  bed = null;
});

const stream = (b: HubspotTestbed, name: string) => {
  const s = b.source.streams().find((x) => x.name === name);
  if (!s) throw new Error(`no stream ${name}`);
  return s;
};

async function liveIds(b: HubspotTestbed, object: string): Promise<Map<string, boolean>> {
  const truth = (await b.sim.control.truth(object)) as { id: string; archived?: boolean }[];
  return new Map(truth.map((r) => [String(r.id), r.archived === true]));
}

describe('HubSpot source', () => {
  it('re-anchors before the 10,000-result search cap and walks one timestamp holding >10,000 records by id', async () => {
    bed = await hubspotTestbed({ scale: 13_000 });
    const contacts = stream(bed, 'contacts');
    const first = await readStream(contacts);
    await bed.sim.control.advanceClock(60_000);
    // 10,500 records share one millisecond (a bulk import), then 300 more at later times.
    await bed.sim.control.mutate({ object: 'contacts', update: 10_500, sameTimestamp: true });
    await bed.sim.control.advanceClock(1_000);
    const later = (await bed.sim.control.mutate({ object: 'contacts', update: 300 })) as { ids: string[] };
    await bed.sim.control.resetStats();
    const second = await readStream(contacts, { cursor: first.cursor });
    const stats = await bed.sim.control.stats();
    const ids = new Set(second.records.map((r) => r.id));
    expect(ids.size).toBeGreaterThanOrEqual(10_500);
    for (const id of later.ids) expect(ids.has(String(id))).toBe(true);
    expect(stats.byStatus['400'] ?? 0).toBe(0);
    // Every live record is still in the warehouse view exactly once.
    const all = latestById([...first.records, ...second.records]);
    const truth = await liveIds(bed, 'contacts');
    expect(all.size).toBe(truth.size);
  });

  it('keeps property lists of portals with hundreds of custom properties out of the request line (no 414)', async () => {
    bed = await hubspotTestbed({ scale: 300 });
    await bed.sim.control.configure({ addProperties: { object: 'contacts', count: 450, nameLength: 40 } });
    const contacts = stream(bed, 'contacts');
    const columns = await contacts.columns();
    expect(columns.length).toBeGreaterThan(450);
    const read = await readStream(contacts);
    const stats = await bed.sim.control.stats();
    expect(stats.byStatus['414'] ?? 0).toBe(0);
    expect(read.records.length).toBe((await liveIds(bed, 'contacts')).size);
    expect(Object.keys(read.records.find((r) => !r.deleted)?.fields ?? {}).length).toBeGreaterThan(450);
  });

  it('finishes correctly through a 429 storm and random 5xx answers', async () => {
    bed = await hubspotTestbed({ scale: 400 });
    // HubSpot's ten-secondly 429 carries no Retry-After: Tide waits out the window, so one is enough here.
    await bed.sim.control.faults({ rateLimit: 1, serverErrorRate: 0.15, seed: 9 });
    const read = await readStream(stream(bed, 'companies'));
    const stats = await bed.sim.control.stats();
    expect(stats.byStatus['429']).toBe(1);
    expect(Number(stats.byStatus['502'] ?? 0) + Number(stats.byStatus['500'] ?? 0)).toBeGreaterThan(0);
    const truth = await liveIds(bed, 'companies');
    expect(latestById(read.records).size).toBe(truth.size);
  }, 120_000);

  it('picks up a custom property created after the first run', async () => {
    bed = await hubspotTestbed({ scale: 300 });
    const first = await readStream(stream(bed, 'contacts'));
    await bed.sim.control.configure({
      addProperty: { object: 'contacts', name: 'nps_band', type: 'string' },
    });
    await bed.sim.control.advanceClock(1_000);
    const changed = (await bed.sim.control.mutate({
      object: 'contacts',
      update: 5,
      setProperties: { nps_band: 'promoter' },
    })) as { ids: string[] };
    // Each run builds its source afresh, so the next run discovers the property.
    const nextRun = createHubspotSource(bed.config, {
      env: { TEST_HUBSPOT_TOKEN: bed.sim.token },
      log: bed.log,
      baseUrl: bed.sim.baseUrl,
    });
    const contacts = nextRun.streams().find((s) => s.name === 'contacts')!;
    expect((await contacts.columns()).map((c) => c.name)).toContain('nps_band');
    const second = await readStream(contacts, { cursor: first.cursor });
    const byId = latestById(second.records);
    for (const id of changed.ids) expect(byId.get(String(id))?.fields.nps_band).toBe('promoter');
  });

  it('the overlap re-reads writes that HubSpot search had not indexed yet', async () => {
    bed = await hubspotTestbed({ scale: 300, searchLagMs: 5_000 }, { overlapMinutes: 1 });
    const first = await readStream(stream(bed, 'contacts'));
    await bed.sim.control.advanceClock(10_000);
    // Modified "just now": invisible to search during this run.
    const lagging = (await bed.sim.control.mutate({ object: 'contacts', update: 3 })) as { ids: string[] };
    const second = await readStream(stream(bed, 'contacts'), { cursor: first.cursor });
    expect(second.records.some((r) => lagging.ids.map(String).includes(r.id))).toBe(false);
    await bed.sim.control.advanceClock(10_000);
    const third = await readStream(stream(bed, 'contacts'), { cursor: second.cursor });
    for (const id of lagging.ids) expect(third.records.map((r) => r.id)).toContain(String(id));
  });
});
