import { afterEach, describe, expect, it } from 'vitest';
import type { RecordBatch } from '../../../core/record.js';
import type { Warehouse } from '../../../load/warehouse.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import { readStream } from '../../conformance/read-stream.js';
import { memoryWarehouse } from '../../reverse/warehouse-fixture.js';
import { differences, extract, tableOf } from './dynamics-extract.js';
import {
  type DynamicsTestbed,
  dynamicsTestbed,
  mutate,
  readContext,
  simNow,
  truthOf,
  truthRows,
} from './dynamics-harness.js';

let testbed: DynamicsTestbed | null = null;
let warehouse: Warehouse | null = null;
afterEach(async () => {
  await testbed?.sim.close();
  await warehouse?.close();
  testbed = null;
  warehouse = null;
});

async function start(scale = 500): Promise<{ t: DynamicsTestbed; w: Warehouse }> {
  testbed = await dynamicsTestbed({ seed: 21, scale });
  warehouse = await memoryWarehouse();
  return { t: testbed, w: warehouse };
}

describe('Dynamics change tracking: the delta link is the cursor', () => {
  it('creates, updates and deletes arrive through the delta; nothing lost or doubled; the link moves with the data', async () => {
    const { t, w } = await start();
    const first = await extract(w, t.source, ['contacts'], { now: await simNow(t.sim) });
    expect(first.status).toBe('ok');
    const firstCursor = first.outcomes[0]!.cursor;
    expect(firstCursor?.token).toMatch(/^contacts\?\$deltatoken=\d+%21/);
    expect(differences(await tableOf(w, 'dynamics', 'contacts'), await truthOf(t.sim, 'contacts'))).toEqual(
      [],
    );

    const created = await mutate(t.sim, { object: 'contacts', create: 3 });
    const updated = await mutate(t.sim, { object: 'contacts', update: 5 });
    const deleted = await mutate(t.sim, { object: 'contacts', delete: 2 });
    await t.sim.control.resetStats();
    const second = await extract(w, t.source, ['contacts'], { now: await simNow(t.sim) });
    expect(second.outcomes[0]).toMatchObject({ status: 'ok', records: 10, deleted: 2 });
    expect(second.outcomes[0]!.cursor?.token).not.toBe(firstCursor?.token);
    // The delta itself is one request; the rest is the run's metadata (definition, columns, two casts).
    const stats = await t.sim.control.stats();
    expect(stats.byEndpoint['GET /api/data/v9.2/contacts']).toBe(1);
    const table = await tableOf(w, 'dynamics', 'contacts');
    expect(differences(table, await truthOf(t.sim, 'contacts'))).toEqual([]);
    for (const id of deleted.deleted) expect(table.get(id)).toBe(true);
    for (const id of [...created.created, ...updated.updated]) expect(table.get(id)).toBe(false);

    const third = await extract(w, t.source, ['contacts'], { now: await simNow(t.sim) });
    expect(third.outcomes[0]).toMatchObject({ status: 'ok', records: 0 });
  });

  it('an expired delta link: a full snapshot loaded as a full refresh, so deletes in the gap are not lost', async () => {
    const { t, w } = await start();
    await extract(w, t.source, ['accounts'], { now: await simNow(t.sim) });
    const gone = await mutate(t.sim, { object: 'accounts', delete: 4 });
    await mutate(t.sim, { object: 'accounts', update: 3 });
    await t.sim.control.configure({ expireChangeTrackingInDays: 2 });
    await t.sim.control.advanceClock(3 * 86_400_000);
    const log = new MemoryLogger();
    const second = await extract(w, t.source, ['accounts'], { now: await simNow(t.sim), log });
    expect(second.status).toBe('ok');
    expect(log.entries.some((e) => e.level === 'warn' && /delta link expired/.test(e.message))).toBe(true);
    expect(log.entries.some((e) => e.level === 'warn' && /full resync/.test(e.message))).toBe(true);
    const table = await tableOf(w, 'dynamics', 'accounts');
    expect(differences(table, await truthOf(t.sim, 'accounts'))).toEqual([]);
    for (const id of gone.deleted) expect(table.get(id)).toBe(true);
    // The snapshot handed out a new link: the next run is a delta again.
    await mutate(t.sim, { object: 'accounts', update: 1 });
    const third = await extract(w, t.source, ['accounts'], { now: await simNow(t.sim) });
    expect(third.outcomes[0]).toMatchObject({ status: 'ok', records: 1 });
  });

  it('rows changed while a multi-page snapshot is paged are read again, so the first delta misses nothing', async () => {
    const { t } = await start();
    const stream = t.stream('contacts');
    const [row0] = (await truthRows(t.sim, 'contacts')).filter((r) => !r.deleted);
    const batches: RecordBatch[] = [];
    for await (const batch of stream.read(await readContext(t, null))) {
      batches.push(batch);
      if (batches.length === 1) {
        // The first page has been served: this change lands behind the snapshot's read position.
        await mutate(t.sim, {
          object: 'contacts',
          ids: [row0!.id],
          set: { jobtitle: 'Changed while paging' },
        });
      }
    }
    const all = batches.flatMap((b) => b.records);
    const versions = all.filter((r) => r.id === row0!.id);
    expect(versions.at(-1)?.fields.jobtitle).toBe('Changed while paging');
    const cursor = batches.at(-1)?.checkpoint ?? null;
    expect(cursor?.token).toBeDefined();
    // The snapshot's delta link was taken after the change: the delta does not carry it again...
    const delta: RecordBatch[] = [];
    for await (const batch of stream.read(await readContext(t, cursor))) delta.push(batch);
    expect(delta.flatMap((b) => b.records)).toEqual([]);
  });

  it('a first snapshot keeps startDate (change tracking refuses $filter), and the deltas after it bring every change', async () => {
    const { t } = await start(200);
    const startDate = '2025-07-01T00:00:00.000Z';
    const rows = (await truthRows(t.sim, 'contacts')).filter((r) => !r.deleted);
    const recent = rows
      .filter((r) => String(r.values?.modifiedon) >= '2025-07-01T00:00:00Z')
      .map((r) => r.id);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(rows.length);
    const first = await readStream(t.stream('contacts'), await readContext(t, null, { startDate }));
    expect(first.records.map((r) => r.id).sort()).toEqual([...recent].sort());
    const old = rows.find((r) => !recent.includes(r.id))!;
    await mutate(t.sim, { object: 'contacts', ids: [old.id], set: { jobtitle: 'Promoted' } });
    const second = await readStream(t.stream('contacts'), await readContext(t, first.cursor, { startDate }));
    expect(second.records.map((r) => r.id)).toEqual([old.id]);
  });

  it('a column added in Dataverse is in the next run: in the columns, typed, and in the changed rows', async () => {
    const { t, w } = await start(200);
    await extract(w, t.source, ['contacts'], { now: await simNow(t.sim) });
    await t.sim.control.configure({
      addAttribute: { entity: 'contact', logicalName: 'tide_nps', type: 'Integer', min: 0, max: 10 },
    });
    const changed = await mutate(t.sim, { object: 'contacts', update: 4, set: { tide_nps: 9 } });
    expect((await t.stream('contacts').columns()).find((c) => c.name === 'tide_nps')).toMatchObject({
      type: 'integer',
      meta: { custom: 'true' },
    });
    const second = await extract(w, t.source, ['contacts'], { now: await simNow(t.sim) });
    expect(second.outcomes[0]).toMatchObject({ records: 4 });
    const rows = await w.query(
      `SELECT _tide_id, tide_nps FROM raw.dynamics__contacts WHERE tide_nps IS NOT NULL ORDER BY _tide_id`,
    );
    const loaded: unknown[] = [];
    for await (const r of rows) loaded.push(r._tide_id);
    expect(loaded).toEqual([...changed.updated].sort());
  });

  it('a run that dies mid-delta resumes after its last committed page: nothing lost or doubled', async () => {
    const { t, w } = await start();
    const first = await extract(w, t.source, ['contacts'], { now: await simNow(t.sim) });
    const changed = await mutate(t.sim, { object: 'contacts', update: 250 });
    const stream = t.stream('contacts');
    // The delta's first page commits with its next link, then the process is killed.
    let committed: RecordBatch | null = null;
    for await (const batch of stream.read(await readContext(t, first.outcomes[0]!.cursor))) {
      committed = batch;
      break;
    }
    expect(committed?.records).toHaveLength(100);
    expect(committed?.checkpoint?.token).toMatch(/^contacts\?.*\$skiptoken=/);
    const resumed = await readStream(stream, {
      cursor: committed!.checkpoint,
      runStartedAt: await simNow(t.sim),
    });
    const ids = [...committed!.records, ...resumed.records].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual([...changed.updated].sort());
    expect(resumed.cursor?.token).toMatch(/^contacts\?\$deltatoken=/);
  });

  it('a page link Dataverse refuses later: a full snapshot replaces the table, logged', async () => {
    const { t, w } = await start();
    const first = await extract(w, t.source, ['contacts'], { now: await simNow(t.sim) });
    const broken = {
      ...first.outcomes[0]!.cursor!,
      token: 'contacts?$skiptoken=%3Ccookie%20pagingcookie%3D%22x%22%20%2F%3E',
    };
    const log = new MemoryLogger();
    const read = await readStream(t.stream('contacts'), {
      cursor: broken,
      runStartedAt: await simNow(t.sim),
      log,
    });
    const live = [...(await truthOf(t.sim, 'contacts'))].filter(([, d]) => !d);
    expect(read.records).toHaveLength(live.length);
    expect(log.text()).toMatch(/saved page link was refused/);
  });
});
