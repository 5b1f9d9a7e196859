import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Destination } from '../../core/destination.js';
import type { Warehouse } from '../../load/warehouse.js';
import type { SyncInput } from '../../reverse/sync-config.js';
import { MemoryCrm } from './memory-crm.js';
import { runTestSync } from './sync-harness.js';
import { memoryWarehouse, rowsOf } from './warehouse-fixture.js';

let warehouse: Warehouse;
let crm: MemoryCrm;
const rows = (query: string): Promise<Record<string, unknown>[]> => rowsOf(warehouse, query);

const sync: SyncInput = {
  name: 'scores',
  from: 'analytics.scores',
  to: { crm: 'memcrm', object: 'contacts' },
  match: { by: 'id', column: 'crm_id' },
  fields: { score: 'score' },
  concurrency: 1,
};

beforeEach(async () => {
  warehouse = await memoryWarehouse();
  crm = new MemoryCrm();
  crm.seed(250);
  await warehouse.execute(`create schema if not exists analytics;
    create or replace table analytics.scores as
    select cast(i as varchar) as crm_id, cast(i % 100 as double) as score from range(1, 251) t(i)`);
});
afterEach(() => warehouse.close());

/**
 * The CRM applies the `n`-th write call and the process "dies" before Tide sees the answer: the
 * call's promise never settles (no answer line, no state row), as with kill -9 mid-call.
 */
function diesAfterWrite(real: MemoryCrm, n: number, applied: Set<string>): Destination {
  let calls = 0;
  return Object.assign(Object.create(real) as MemoryCrm, {
    write: async (...args: Parameters<MemoryCrm['write']>) => {
      const out = await real.write(...args);
      if (++calls !== n) return out;
      // Which records the lost call held: the warehouse hands rows over in no set order.
      for (const r of args[1]) applied.add(r.matchValue);
      return new Promise<never>(() => undefined);
    },
  });
}

/** Polls `check` (a loaded machine may take a while to get there or to commit a save). */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the run never got there');
}

describe('write intents: no CRM write without a push_log line (issue 16, fourth reproduction)', () => {
  it('a run killed after the CRM applied a call: the rerun resends only that call, marked as a resend', async () => {
    const lost = new Set<string>();
    void runTestSync({ warehouse, destination: diesAfterWrite(crm, 2, lost), sync });
    await until(() => crm.writeCalls === 2);
    // Call 1 answered and saved; call 2 applied by the CRM, its answer never seen; call 3 never sent.
    // Call 1's answers are saved while call 2 is out: wait for them, not for a fixed time.
    const written = `select count(*)::int as n from tide.push_log where status = 'written'`;
    await until(async () => (await rows(written))[0]?.['n'] === 100);
    const intents = await rows(`select count(*)::int as n from tide.push_log where status = 'sending'`);
    expect(intents).toEqual([{ n: 200 }]);

    const rerun = await runTestSync({ warehouse, destination: crm, sync });
    expect(rerun.error).toBeNull();
    expect(crm.batchSizes).toEqual([100, 100, 100, 50]);
    expect(rerun.counts).toMatchObject({ written: 150 });
    // Call 2's 100 records were written twice (unconfirmed, resent); every other record once.
    expect(lost.size).toBe(100);
    const twice = [...crm.writesPerRecord].filter(([, n]) => n === 2).map(([id]) => id);
    expect(new Set(twice)).toEqual(lost);
    expect([...crm.writesPerRecord.values()].filter((n) => n === 1)).toHaveLength(150);
    const closures = await rows(
      `select status, count(*)::int as n from tide.push_log where status in ('unconfirmed', 'sending') and (status = 'unconfirmed' or reason like 'resend:%') group by 1 order by 1`,
    );
    expect(closures).toEqual([
      { status: 'sending', n: 100 },
      { status: 'unconfirmed', n: 100 },
    ]);
    // Every CRM write has its intent line: 350 writes, 350 intents.
    const sent = [...crm.writesPerRecord.values()].reduce((a, b) => a + b, 0);
    expect(await rows(`select count(*)::int as n from tide.push_log where status = 'sending'`)).toEqual([
      { n: sent },
    ]);
  });

  it('a run killed between saving tide.pushed and the answer line: the rerun confirms it and sends nothing', async () => {
    const first = await runTestSync({ warehouse, destination: crm, sync });
    expect(first.counts).toMatchObject({ written: 250 });
    // As if the process died between the two inserts of the last save: state saved, answers not.
    await warehouse.execute(
      `delete from tide.push_log where status = 'written' and cast(record_key as int) > 200`,
    );
    const rerun = await runTestSync({ warehouse, destination: crm, sync });
    expect(rerun.counts).toMatchObject({ written: 0, writeCalls: 0 });
    expect(crm.writeCalls).toBe(3);
    expect(
      await rows(`select count(*)::int as n from tide.push_log where reason like 'confirmed after run%'`),
    ).toEqual([{ n: 50 }]);
  });
});
