import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runExtract } from '../../../extract/run-extract.js';
import { openDuckdbWarehouse } from '../../../load/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../../load/warehouse.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import { type HubspotTestbed, hubspotTestbed } from './hubspot-harness.js';

const Mutation = z.object({ archived: z.array(z.string()) }).loose();
const DAY_MS = 86_400_000;

let bed: HubspotTestbed | null = null;
let warehouse: Warehouse | null = null;
afterEach(async () => {
  await warehouse?.close();
  await bed?.sim.close();
  warehouse = null;
  bed = null;
});

/**
 * `tide status`'s "deletes checked" for HubSpot, end to end: extract runs against the simulator into
 * DuckDB, and the time comes back from streamStatus. With `archivedSweepEveryHours: 24` only the
 * first run of a UTC day lists archived records, so only that run may move the time.
 */
describe('HubSpot: when deletes were last checked (archivedSweepEveryHours: 24)', () => {
  it('advances on the first load and on the first run of each day, not on a second run the same day', async () => {
    bed = await hubspotTestbed({ scale: 200 }, { archivedSweepEveryHours: 24, streams: ['contacts'] });
    const sim = bed.sim.control;
    const source = bed.source;
    const w = await openDuckdbWarehouse({ path: ':memory:' });
    warehouse = w;
    await w.init();
    const extract = async () => {
      const summary = await runExtract({
        runId: `run-${Math.random()}`,
        warehouse: w,
        plan: source.streams().map((stream) => ({ source, stream, startDate: null, fullRefresh: false })),
        concurrency: 1,
        checkpointEvery: 500,
        log: new MemoryLogger(),
        progress: { page: () => {} },
      });
      expect(summary.status).toBe('ok');
      const status = (await w.streamStatus()).find((s) => s.stream === 'contacts');
      return { checked: status?.deletesCheckedAt ?? null, deleted: status?.deletedCount ?? 0 };
    };
    // A real CRM's clock does not jump: after each jump the client hears HubSpot's time once.
    const advance = async (ms: number) => {
      await sim.advanceClock(ms);
      await source.check();
    };

    // The first load lists every archived record: checked.
    const first = await extract();
    expect(first.checked).not.toBeNull();

    // 01:00 UTC the next day on HubSpot's clock: the day's first run sweeps, the time moves to it.
    await advance(DAY_MS - (Date.now() % DAY_MS) + 3_600_000);
    const a = Mutation.parse(await sim.mutate({ object: 'contacts', archive: 3 }));
    await advance(2_000);
    const second = await extract();
    expect(second.deleted).toBe(first.deleted + a.archived.length);
    // On HubSpot's clock, which jumped by at least an hour.
    expect(Date.parse(second.checked ?? '')).toBeGreaterThan(Date.parse(first.checked ?? '') + 3_600_000);

    // Later the same day: no sweep, so neither the deletes nor the time move.
    await sim.mutate({ object: 'contacts', archive: 2 });
    await advance(2_000);
    const third = await extract();
    expect(third).toEqual(second);

    // The next day's first run sweeps again: the deletes land and the time moves.
    await advance(DAY_MS);
    const fourth = await extract();
    expect(fourth.deleted).toBe(second.deleted + 2);
    expect(Date.parse(fourth.checked ?? '')).toBeGreaterThan(Date.parse(second.checked ?? '') + DAY_MS / 2);
  });
});
