import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../load/warehouse.js';
import type { SyncReport } from '../../reverse/run-sync.js';
import type { SyncInput } from '../../reverse/sync-config.js';
import { MemoryCrm, terminal } from './memory-crm.js';
import { runTestSync } from './sync-harness.js';
import { memoryWarehouse, rowsOf } from './warehouse-fixture.js';

let warehouse: Warehouse;
let crm: MemoryCrm;

const rows = (query: string): Promise<Record<string, unknown>[]> => rowsOf(warehouse, query);

/** analytics.scores: one row per CRM record 1..n, score = i % 100. */
async function seedScores(n: number): Promise<void> {
  await warehouse.execute(`create schema if not exists analytics;
    create or replace table analytics.scores as
    select cast(i as varchar) as crm_id, 'p' || i || '@example.com' as email, cast(i % 100 as double) as score,
           case when i % 2 = 0 then 'Gold' else 'silver' end as tier, null::varchar as note
    from range(1, ${n + 1}) t(i)`);
}

const baseSync: SyncInput = {
  name: 'scores',
  from: 'analytics.scores',
  to: { crm: 'memcrm', object: 'contacts' },
  match: { by: 'id', column: 'crm_id' },
  fields: { score: 'score', tier: 'tier' },
};

function run(overrides: Partial<SyncInput> = {}, extra: { dryRun?: boolean; signal?: AbortSignal } = {}) {
  // The memory CRM declares what HubSpot can do (match by id or email, upsert by email).
  return runTestSync({
    warehouse,
    destination: crm,
    sync: { ...baseSync, ...overrides },
    ...extra,
  });
}

function expectOk(report: SyncReport): SyncReport {
  expect(report.error).toBeNull();
  expect(report.problems).toEqual([]);
  return report;
}

beforeEach(async () => {
  warehouse = await memoryWarehouse();
  crm = new MemoryCrm();
});
afterEach(() => warehouse.close());

describe('runSync (reverse core against an in-memory CRM and real DuckDB)', () => {
  it('writes changed records in ⌈changed/100⌉ calls, then costs zero calls when nothing changed', async () => {
    crm.seed(250);
    await seedScores(250);
    const first = expectOk(await run());
    expect(first.counts).toMatchObject({ written: 250, rejected: 0, invalid: 0, writeCalls: 3 });
    expect(crm.batchSizes).toEqual([100, 100, 50]);
    expect(crm.records.get('2')).toMatchObject({ score: 2, tier: 'gold' });

    const second = expectOk(await run());
    expect(second.plan).toMatchObject({ rows: 250, unchanged: 250, changedNew: 0, changedUpdated: 0 });
    expect(second.counts?.writeCalls).toBe(0);
    expect(crm.writeCalls).toBe(3);

    await warehouse.execute(`update analytics.scores set score = 99 where crm_id in ('5', '6', '7')`);
    const third = expectOk(await run());
    expect(third.plan).toMatchObject({ unchanged: 247, changedUpdated: 3 });
    expect(crm.batchSizes.slice(3)).toEqual([3]);
    expect(crm.records.get('6')).toMatchObject({ score: 99 });
  });

  it('a dry run prints field-level diffs and writes nothing anywhere', async () => {
    crm.seed(10);
    await seedScores(10);
    expectOk(await run());
    await warehouse.execute(`update analytics.scores set score = 42 where crm_id = '3'`);
    const before = await rows('select count(*) as n from tide.push_log');
    const dry = expectOk(await run({}, { dryRun: true }));
    expect(dry.status).toBe('dry-run');
    expect(dry.plan).toMatchObject({ unchanged: 9, changedUpdated: 1 });
    expect(dry.estimatedCalls).toBe(1);
    expect(dry.samples).toEqual([{ key: '3', diffs: [{ field: 'score', before: 3, after: 42 }] }]);
    expect(crm.writeCalls).toBe(1);
    expect(await rows('select count(*) as n from tide.push_log')).toEqual(before);
    expect(crm.records.get('3')).toMatchObject({ score: 3 });
  });

  it('a dry run before any push writes no system table at all', async () => {
    crm.seed(3);
    await seedScores(3);
    const dry = expectOk(await run({}, { dryRun: true }));
    expect(dry.plan).toMatchObject({ changedNew: 3 });
    expect(crm.writeCalls).toBe(0);
    expect(
      await rows(
        `select count(*) as n from information_schema.tables where table_schema = 'tide' and table_name like 'push%'`,
      ),
    ).toEqual([{ n: 0 }]);
  });

  it('rejects invalid values before any call, with the reason, and counts them as repeatedly failing', async () => {
    crm.seed(5);
    await seedScores(5);
    await warehouse.execute(`update analytics.scores set score = 250 where crm_id = '1';
      update analytics.scores set tier = 'bronze' where crm_id = '2'`);
    const first = expectOk(await run());
    expect(first.counts).toMatchObject({ written: 3, invalid: 2, writeCalls: 1 });
    expect(crm.batchSizes).toEqual([3]);
    expect(crm.records.get('1')).not.toHaveProperty('score');
    const log = await rows(
      `select record_key, status, reason, attempt from tide.push_log where status = 'rejected' order by 1`,
    );
    expect(log).toEqual([
      { record_key: '1', status: 'rejected', reason: 'score: 250 is above the maximum 100', attempt: 1 },
      {
        record_key: '2',
        status: 'rejected',
        reason: 'tier: "bronze" is not an option (allowed: gold, silver)',
        attempt: 1,
      },
    ]);
    const second = expectOk(await run());
    expect(second.plan).toMatchObject({ invalid: 2, repeatedlyFailing: 2, unchanged: 3 });
    expect(second.counts?.writeCalls).toBe(0);
    expect(await rows(`select max(attempt) as a from tide.push_log where record_key = '1'`)).toEqual([
      { a: 2 },
    ]);
    expect(second.rejectRateExceeded).toBe(true);
  });

  it('a record the CRM rejects is not marked pushed and is sent again next run', async () => {
    crm.seed(150);
    await seedScores(150);
    crm.rejectRecord = (id) => (id === '120' ? 'INVALID_OWNER: owner is inactive' : null);
    const first = expectOk(await run());
    expect(first.counts).toMatchObject({ written: 149, rejected: 1, writeCalls: 2 });
    expect(first.rejections).toEqual([{ key: '120', reason: 'INVALID_OWNER: owner is inactive' }]);
    expect(
      await rows(`select value_hash, failures, last_reason from tide.pushed where record_key = '120'`),
    ).toEqual([{ value_hash: null, failures: 1, last_reason: 'INVALID_OWNER: owner is inactive' }]);

    crm.rejectRecord = () => null;
    const second = expectOk(await run());
    expect(second.plan).toMatchObject({ changedNew: 1, unchanged: 149, repeatedlyFailing: 1 });
    expect(second.counts).toMatchObject({ written: 1, writeCalls: 1 });
    expect(crm.batchSizes.slice(2)).toEqual([1]);
    // Each call's intent first, then the CRM's answer.
    expect(
      await rows(
        `select status, attempt from tide.push_log where record_key = '120' order by attempt, status <> 'sending'`,
      ),
    ).toEqual([
      { status: 'sending', attempt: 1 },
      { status: 'rejected', attempt: 1 },
      { status: 'sending', attempt: 2 },
      { status: 'written', attempt: 2 },
    ]);
  });

  it('a batch refused for one bad record is split until that record is alone', async () => {
    crm.seed(100);
    await seedScores(100);
    crm.poisons = (r) => r.key === '64';
    const report = expectOk(await run());
    expect(report.counts).toMatchObject({ written: 99, rejected: 1 });
    expect(report.rejections).toEqual([{ key: '64', reason: 'INVALID_INPUT in 64' }]);
    expect(crm.writesPerRecord.get('64')).toBeUndefined();
    expect(crm.writesPerRecord.get('63')).toBe(1);
  });

  it('fill-empty writes only fields that are empty in the CRM and never overwrites', async () => {
    crm.seed(4, (i) => (i === 1 ? { score: 7, tier: 'silver' } : i === 2 ? { score: 8 } : {}));
    await seedScores(4);
    const report = expectOk(await run({ mode: 'fill-empty' }));
    expect(crm.records.get('1')).toMatchObject({ score: 7, tier: 'silver' });
    expect(crm.records.get('2')).toMatchObject({ score: 8, tier: 'gold' });
    expect(crm.records.get('3')).toMatchObject({ score: 3, tier: 'silver' });
    expect(report.counts).toMatchObject({ written: 3, skipped: 1, readCalls: 1, writeCalls: 1 });
    expect(crm.writesPerRecord.get('1')).toBeUndefined();
  });

  it('upsert by email creates the records the CRM does not have', async () => {
    crm.seed(2);
    await seedScores(3);
    const report = expectOk(await run({ mode: 'upsert', match: { by: 'email', column: 'email' } }));
    expect(report.counts).toMatchObject({ written: 3, created: 1 });
    expect(crm.records.size).toBe(3);
    const update = expectOk(await run({ name: 'by_email', match: { by: 'email', column: 'email' } }));
    expect(update.counts).toMatchObject({ written: 3, created: 0 });
  });

  it('killed mid-push and run again: confirmed records are not resent and none is lost', async () => {
    crm.seed(1000);
    await seedScores(1000);
    const controller = new AbortController();
    crm.beforeWrite = (call) => {
      if (call === 4) controller.abort(new Error('killed'));
    };
    const first = await run({ concurrency: 1 }, { signal: controller.signal });
    expect(first.status).toBe('failed');
    const confirmed = await rows(`select count(*) as n from tide.pushed where value_hash is not null`);
    const n = Number(confirmed[0]?.n);
    expect(n).toBeGreaterThanOrEqual(300);
    expect(n).toBeLessThan(1000);

    crm.beforeWrite = () => undefined;
    const callsBefore = crm.writeCalls;
    const second = expectOk(await run());
    expect(second.plan?.unchanged).toBe(n);
    expect(second.counts?.written).toBe(1000 - n);
    expect(crm.writeCalls - callsBefore).toBe(Math.ceil((1000 - n) / 100));
    for (let i = 1; i <= 1000; i++) expect(crm.records.get(String(i))?.score).toBe(i % 100);
    // Only the batch in flight at the kill can have been written twice.
    const twice = [...crm.writesPerRecord.values()].filter((w) => w > 1).length;
    expect(twice).toBeLessThanOrEqual(100);
  });

  it('a quota stop ends the sync as partial, keeping what was confirmed', async () => {
    crm.seed(300);
    await seedScores(300);
    crm.beforeWrite = (call) => {
      if (call === 2) throw terminal('daily limit reached');
    };
    const report = await run({ concurrency: 1 });
    expect(report.status).toBe('partial');
    expect(report.error).toEqual({ code: 'quota_exhausted', message: 'daily limit reached' });
    expect(await rows(`select count(*) as n from tide.pushed where value_hash is not null`)).toEqual([
      { n: 100 },
    ]);
  });

  it('rows sharing a match key are rejected with the reason; rows without one are only counted', async () => {
    crm.seed(3);
    await seedScores(3);
    await warehouse.execute(
      `insert into analytics.scores values ('2', 'x@example.com', 1, 'Gold', null), (null, 'y@example.com', 1, 'Gold', null)`,
    );
    const report = expectOk(await run());
    expect(report.plan).toMatchObject({ rows: 5, noKey: 1, invalid: 2 });
    expect(report.counts).toMatchObject({ written: 2, invalid: 2 });
    const reasons = await rows(`select record_key, reason from tide.push_log where status = 'rejected'`);
    expect(reasons).toEqual([
      {
        record_key: '2',
        reason: '2 rows share crm_id = "2": the sync\'s source must return one row per record',
      },
      {
        record_key: '2',
        reason: '2 rows share crm_id = "2": the sync\'s source must return one row per record',
      },
    ]);
  });

  it('checks fields and columns before planning: missing, read-only, missing column', async () => {
    crm.seed(3);
    await seedScores(3);
    const report = await run({ fields: { score: 'scor', tier: 'created', nope: 'note' } });
    expect(report.status).toBe('check-failed');
    expect(report.problems).toEqual([
      'sync "scores" (MemCRM contacts): field "scor" (from column score) does not exist (did you mean score?)',
      'sync "scores" (MemCRM contacts): field "created" is not writable (read-only)',
      'sync "scores": model analytics.scores has no column (mapped to note) "nope"',
    ]);
    expect(crm.writeCalls).toBe(0);
  });

  it('NULLs are skipped by default and cleared with nulls: clear', async () => {
    crm.seed(2, () => ({ note: 'keep me' }));
    await seedScores(2);
    const skip = expectOk(await run({ fields: { note: 'note' } }));
    expect(skip.counts).toMatchObject({ written: 0, skipped: 2, writeCalls: 0 });
    expect(crm.records.get('1')?.note).toBe('keep me');
    const clear = expectOk(await run({ name: 'clearing', fields: { note: 'note' }, nulls: 'clear' }));
    expect(clear.counts).toMatchObject({ written: 2 });
    expect(crm.records.get('1')?.note).toBeNull();
  });
});
