import { afterEach, describe, expect, it } from 'vitest';
import { readStream } from '../../conformance/read-stream.js';
import { type HubspotTestbed, hubspotTestbed } from './hubspot-harness.js';

let bed: HubspotTestbed | null = null;
afterEach(async () => {
  await bed?.sim.close();
  bed = null;
});

describe('HubSpot cursors and the CRM clock', () => {
  it('clamps the cursor to HubSpot’s clock (Date header): an hour ahead of ours, nothing is read twice', async () => {
    bed = await hubspotTestbed({ scale: 300 });
    // HubSpot's clock runs an hour ahead of this machine's; changes are stamped with HubSpot's time.
    await bed.sim.control.advanceClock(3_600_000);
    const changed = (await bed.sim.control.mutate({ object: 'contacts', update: 25 })) as { ids: string[] };
    // The Date header has whole seconds, so the clamp errs up to a second early (a change in that second
    // is read again next time, never skipped); the read starts two seconds after the changes.
    await bed.sim.control.advanceClock(2_000);
    const contacts = bed.source.streams().find((s) => s.name === 'contacts')!;
    const first = await readStream(contacts, { runStartedAt: new Date() });
    const newest = Math.max(...first.records.map((r) => Date.parse(r.updatedAt)));
    expect(first.cursor).not.toBeNull();
    // The cursor covers the changes stamped an hour "in the future" of the local clock.
    expect(Date.parse(first.cursor!.value)).toBe(newest);
    expect(changed.ids.length).toBe(25);
    const second = await readStream(contacts, { cursor: first.cursor, runStartedAt: new Date() });
    expect(second.records.filter((r) => !r.deleted)).toEqual([]);
  });
});
