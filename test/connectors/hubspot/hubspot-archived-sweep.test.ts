import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SourceRecord } from '../../../core/record.js';
import { readStream } from '../../conformance/read-stream.js';
import { type HubspotTestbed, hubspotTestbed } from './hubspot-harness.js';

const Mutation = z.object({ updated: z.array(z.string()), archived: z.array(z.string()) }).loose();
const DAY_MS = 86_400_000;

let bed: HubspotTestbed | null = null;
afterEach(async () => {
  await bed?.sim.close();
  bed = null;
});

const deletedIds = (records: readonly SourceRecord[]) =>
  [...new Set(records.filter((r) => r.deleted).map((r) => r.id))].sort();

describe('HubSpot archived sweep cadence (archivedSweepEveryHours)', () => {
  it('lists archived records on the first run of each UTC day only, and that sweep catches every delete since the last', async () => {
    bed = await hubspotTestbed({ scale: 300 }, { archivedSweepEveryHours: 24 });
    const sim = bed.sim.control;
    const source = bed.source;
    // A real CRM's clock does not jump; the client learns HubSpot's time from every answer, so after
    // each jump of the simulated clock it hears one before the next read.
    const advance = async (ms: number) => {
      await sim.advanceClock(ms);
      await source.check();
    };
    const contacts = bed.source.streams().find((s) => s.name === 'contacts')!;
    const first = await readStream(contacts);
    // HubSpot's clock moves to 01:00 UTC of the next day: the first run of that day sweeps.
    await advance(DAY_MS - (Date.now() % DAY_MS) + 3_600_000);
    const a = Mutation.parse(await sim.mutate({ object: 'contacts', update: 5, archive: 3 }));
    await advance(2_000);
    const second = await readStream(contacts, { cursor: first.cursor });
    expect(deletedIds(second.records)).toEqual([...a.archived].sort());
    expect(second.deletesCheckedAt, 'a sweep says it checked deletes').not.toBeNull();

    // Later the same day: changes are read, the archived list is not (deletes wait for tomorrow).
    // Archived first, updated later: the cursor passes the archive time, the next sweep must not.
    const b = Mutation.parse(await sim.mutate({ object: 'contacts', archive: 3 }));
    await advance(2_000);
    const c = Mutation.parse(await sim.mutate({ object: 'contacts', update: 4 }));
    await advance(2_000);
    const third = await readStream(contacts, { cursor: second.cursor });
    expect(deletedIds(third.records)).toEqual([]);
    expect(third.deletesCheckedAt, 'a run without a sweep does not say it checked deletes').toBeNull();
    expect(third.records.map((r) => r.id)).toEqual(expect.arrayContaining(c.updated));

    // Next day: the sweep reads from the start of the day the cursor is in, so nothing archived
    // since the last sweep is missed (today's earlier deletes come again: an idempotent upsert).
    await advance(DAY_MS);
    const fourth = await readStream(contacts, { cursor: third.cursor });
    expect(deletedIds(fourth.records)).toEqual([...a.archived, ...b.archived].sort());
    expect(Date.parse(fourth.deletesCheckedAt ?? '')).toBeGreaterThan(
      Date.parse(second.deletesCheckedAt ?? ''),
    );
  });

  it('sweeps on every run by default', async () => {
    bed = await hubspotTestbed({ scale: 300 });
    const contacts = bed.source.streams().find((s) => s.name === 'contacts')!;
    const first = await readStream(contacts);
    await bed.sim.control.advanceClock(2_000);
    const second = await readStream(contacts, { cursor: first.cursor });
    const a = Mutation.parse(await bed.sim.control.mutate({ object: 'contacts', archive: 2 }));
    await bed.sim.control.advanceClock(2_000);
    const third = await readStream(contacts, { cursor: second.cursor });
    expect(deletedIds(third.records)).toEqual([...a.archived].sort());
  });
});
