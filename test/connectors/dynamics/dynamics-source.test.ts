import { afterEach, describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../../core/record.js';
import type { Warehouse } from '../../../load/warehouse.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import type { DynamicsSimulatorOptions } from '../../../simulators/dynamics/start-dynamics-simulator.js';
import { readStream } from '../../conformance/read-stream.js';
import { memoryWarehouse } from '../../reverse/warehouse-fixture.js';
import { differences, extract, tableOf } from './dynamics-extract.js';
import {
  type DynamicsTestbed,
  dynamicsSourceFor,
  dynamicsTestbed,
  ENV,
  mutate,
  readContext,
  simNow,
  truthOf,
} from './dynamics-harness.js';

let testbed: DynamicsTestbed | null = null;
let warehouse: Warehouse | null = null;
afterEach(async () => {
  await testbed?.sim.close();
  await warehouse?.close();
  testbed = null;
  warehouse = null;
});

async function start(
  sim: DynamicsSimulatorOptions = {},
  config: Record<string, unknown> = {},
): Promise<DynamicsTestbed> {
  testbed = await dynamicsTestbed({ seed: 31, scale: 400, ...sim }, config);
  return testbed;
}

async function drain(
  t: DynamicsTestbed,
  stream: string,
  cursor: Parameters<typeof readContext>[1],
  runStartedAt?: Date,
): Promise<{ records: SourceRecord[]; cursor: typeof cursor }> {
  const ctx = await readContext(t, cursor, runStartedAt ? { runStartedAt } : {});
  const read = await readStream(t.stream(stream), ctx);
  return { records: read.records, cursor: read.cursor };
}

describe('Dynamics source: tables without change tracking (modifiedon windows)', () => {
  it('ties at one modifiedon across pages are read once, and the next run skips them by id', async () => {
    const t = await start({}, { changeTracking: 'off', pageSize: 40 });
    const first = await drain(t, 'contacts', null);
    const ties = await mutate(t.sim, { object: 'contacts', update: 95, sameInstant: true });
    const second = await drain(t, 'contacts', first.cursor);
    expect(second.records.map((r) => r.id).sort()).toEqual([...ties.updated].sort());
    expect(second.cursor?.token).toBeUndefined();
    const third = await drain(t, 'contacts', second.cursor);
    expect(third.records).toEqual([]);
  });

  it('every page of a window is a checkpoint, and a column with several targets carries the target table', async () => {
    const t = await start();
    const ctx = await readContext(t, null);
    const read = await readStream(t.stream('phonecalls'), ctx);
    expect(read.checkpoints.filter((c) => c !== null).length).toBeGreaterThan(1);
    const regarding = read.records.map((r) => r.fields.regardingobjectid_type);
    expect(new Set(regarding)).toEqual(new Set(['contact', 'account']));
    expect(read.records[0]?.fields).toMatchObject({
      statecode_label: expect.stringMatching(/^(Open|Completed|Canceled)$/),
    });
  });

  it('deletes in a windowed table are found at the periodic reconcile, which replaces the table', async () => {
    const t = await start({}, { reconcileEveryDays: 1 });
    warehouse = await memoryWarehouse();
    const now = await simNow(t.sim);
    await extract(warehouse, t.source, ['tasks'], { now });
    const gone = await mutate(t.sim, { object: 'tasks', delete: 3 });
    const sameDay = await extract(warehouse, t.source, ['tasks'], { now: new Date(now.getTime() + 60_000) });
    expect(sameDay.outcomes[0]?.deleted).toBe(0);
    // modifiedon windows see no deletes: neither the first load nor this run checked them.
    const checked = async () => (await warehouse!.streamStatus())[0]?.deletesCheckedAt;
    expect(await checked()).toBeNull();
    const log = new MemoryLogger();
    const nextDay = await extract(warehouse, t.source, ['tasks'], {
      now: new Date(now.getTime() + 86_400_000),
      log,
    });
    expect(nextDay.outcomes[0]?.deleted).toBeGreaterThanOrEqual(0);
    expect(log.text()).toMatch(/periodic full read/);
    expect(await checked()).not.toBeNull();
    const table = await tableOf(warehouse, 'dynamics', 'tasks');
    for (const id of gone.deleted) expect(table.get(id)).toBe(true);
    expect(differences(table, await truthOf(t.sim, 'tasks'))).toEqual([]);
  });
});

describe('Dynamics source: limits and errors', () => {
  it('an empty page that still links on is followed: nothing is lost, in a snapshot, a delta or a window', async () => {
    const t = await start({}, { pageSize: 50 });
    await t.sim.control.faults({ emptyPages: 2, pathContains: '/api/data/' });
    const snapshot = await drain(t, 'contacts', null);
    expect(await t.sim.control.pendingFaults()).toBe(0);
    const live = [...(await truthOf(t.sim, 'contacts'))].filter(([, d]) => !d).map(([id]) => id);
    expect(new Set(snapshot.records.map((r) => r.id))).toEqual(new Set(live));
    const changed = await mutate(t.sim, { object: 'contacts', update: 3 });
    await t.sim.control.faults({ emptyPages: 1, pathContains: '/api/data/' });
    const delta = await drain(t, 'contacts', snapshot.cursor);
    expect(await t.sim.control.pendingFaults()).toBe(0);
    expect(delta.records.map((r) => r.id).sort()).toEqual([...changed.updated].sort());
    await t.sim.control.faults({ emptyPages: 1, pathContains: '/api/data/' });
    const calls = await drain(t, 'phonecalls', null);
    expect(calls.records).toHaveLength(
      [...(await truthOf(t.sim, 'phonecalls'))].filter(([, d]) => !d).length,
    );
    expect(await t.sim.control.pendingFaults()).toBe(0);
  });

  it('waits out a 429 by its Retry-After and finishes the read', async () => {
    const t = await start();
    await t.sim.control.faults({ rateLimit: 1, pathContains: '/api/data/v9.2/systemusers' });
    const read = await drain(t, 'systemusers', null);
    expect(read.records).toHaveLength(12);
    expect((await t.sim.control.stats()).byStatus['429']).toBe(1);
  });

  it('a spent daily entitlement stops the run as partial, keeping what each stream committed', async () => {
    const t = await start({ dailyEntitlement: 20 }, { pageSize: 50 });
    warehouse = await memoryWarehouse();
    const summary = await extract(warehouse, t.source, ['contacts', 'accounts', 'phonecalls', 'emails'], {
      now: await simNow(t.sim),
      checkpointEvery: 50,
    });
    expect(summary.status).toBe('partial');
    const stopped = summary.outcomes.filter((o) => o.status === 'partial');
    expect(stopped.length).toBeGreaterThan(0);
    for (const o of stopped)
      expect(o.error).toMatchObject({
        code: 'quota_exhausted',
        message: expect.stringMatching(/asks Tide to wait \d+ s/),
      });
  });

  it('a table the security role cannot read fails alone, with a hint about the application user', async () => {
    const t = await start();
    await t.sim.control.configure({ deniedEntities: ['email'] });
    warehouse = await memoryWarehouse();
    const summary = await extract(warehouse, t.source, ['emails', 'systemusers'], {
      now: await simNow(t.sim),
    });
    const denied = summary.outcomes.find((o) => o.stream === 'emails');
    expect(denied).toMatchObject({ status: 'failed', error: { code: 'permission_denied' } });
    expect(summary.outcomes.find((o) => o.stream === 'systemusers')?.status).toBe('ok');
  });

  it('wrong or missing credentials: a clear error naming the variables, never the secret', async () => {
    const t = await start();
    const wrong = dynamicsSourceFor(
      t.sim,
      {},
      { [ENV.clientIdEnv]: t.sim.clientId, [ENV.clientSecretEnv]: 'not-the-secret' },
    );
    const error = await wrong.source.check().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'credentials_rejected',
      message: expect.stringContaining('AADSTS7000215'),
    });
    expect(String((error as { hint: string }).hint)).toContain(ENV.clientSecretEnv);
    expect(JSON.stringify(error) + String(error)).not.toContain('not-the-secret');
    expect(() => dynamicsSourceFor(t.sim, {}, { [ENV.clientIdEnv]: t.sim.clientId })).toThrow(
      /TEST_DYNAMICS_CLIENT_SECRET is not set/,
    );
  });

  it('an expired access token is renewed once and the read goes on', async () => {
    const t = await start();
    await drain(t, 'systemusers', null);
    await t.sim.control.configure({ expireTokens: true });
    const again = await drain(t, 'systemusers', null);
    expect(again.records).toHaveLength(12);
    // One token, then renewals: at most one per request that was in flight when it was revoked.
    const tokens =
      (await t.sim.control.stats()).byEndpointStatus['POST /{tenant}/oauth2/v2.0/token 200'] ?? 0;
    expect(tokens).toBeGreaterThanOrEqual(2);
    expect(tokens).toBeLessThanOrEqual(1 + 4);
  });
});
