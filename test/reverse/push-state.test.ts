import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { duckdbDialect } from '../../load/duckdb/duckdb-dialect.js';
import type { Warehouse } from '../../load/warehouse.js';
import { PushSql } from '../../reverse/push-sql.js';
import { PushState } from '../../reverse/push-state.js';
import { SyncSchema } from '../../reverse/sync-config.js';
import { memoryWarehouse, rowsOf } from './warehouse-fixture.js';

let warehouse: Warehouse;
const sql = new PushSql(duckdbDialect);

const rows = (query: string): Promise<Record<string, unknown>[]> => rowsOf(warehouse, query);

beforeEach(async () => {
  warehouse = await memoryWarehouse();
  await PushState.prepare(warehouse, sql);
  await PushState.prepare(warehouse, sql); // idempotent
});
afterEach(() => warehouse.close());

const state = (row: Partial<{ key: string; hash: string | null; failures: number }>) => ({
  recordKey: row.key ?? 'a',
  crmId: null,
  hash: row.hash ?? null,
  valuesJson: row.hash ? `{"v":"${row.hash}"}` : null,
  failures: row.failures ?? 0,
  lastReason: row.failures ? 'nope' : null,
});

describe('tide.pushed / tide.push_log on DuckDB', () => {
  it('reads the newest state row per record, compacts older ones at close, appends every log line', async () => {
    const s = new PushState({ warehouse, sql, sync: 'scores', runId: 'r1', flushEvery: 1 });
    await s.add(
      [state({ key: 'a', hash: 'h1' }), state({ key: 'b', failures: 1 })],
      [
        { recordKey: 'a', crmId: '1', status: 'written', reason: null, attempt: 1 },
        { recordKey: 'b', crmId: null, status: 'rejected', reason: "it's bad", attempt: 1 },
      ],
    );
    await s.add(
      [state({ key: 'a', hash: 'h2' })],
      [{ recordKey: 'a', crmId: '1', status: 'written', reason: null, attempt: 1 }],
    );
    await s.flush();
    const other = new PushState({ warehouse, sql, sync: 'other', runId: 'r1', flushEvery: 1 });
    await other.add([state({ key: 'a', hash: 'x' })], []);
    await other.add([state({ key: 'a', hash: 'y' })], []);
    // Before compaction the superseded row is still there; the newest-row read ignores it.
    expect(await rows("select count(*) as n from tide.pushed where sync = 'scores'")).toEqual([{ n: 3 }]);
    expect(await rows(sql.pushedState('scores'))).toHaveLength(2);
    await s.close();

    expect(
      await rows("select record_key, value_hash, failures from tide.pushed where sync = 'scores' order by 1"),
    ).toEqual([
      { record_key: 'a', value_hash: 'h2', failures: 0 },
      { record_key: 'b', value_hash: null, failures: 1 },
    ]);
    // Compaction is per sync: the other sync's superseded row waits for its own close.
    expect(await rows("select count(*) as n from tide.pushed where sync = 'other'")).toEqual([{ n: 2 }]);
    const log = await rows(
      'select record_key, status, reason, attempt from tide.push_log order by logged_at, status desc',
    );
    expect(log).toHaveLength(3);
    expect(log[1]).toEqual({ record_key: 'b', status: 'rejected', reason: "it's bad", attempt: 1 });
  });

  it('buffers until flushEvery rows, then writes in order', async () => {
    const s = new PushState({ warehouse, sql, sync: 'scores', runId: 'r1', flushEvery: 4 });
    await s.add(
      [state({ key: 'a', hash: 'h1' })],
      [{ recordKey: 'a', crmId: null, status: 'written', reason: null, attempt: 1 }],
    );
    expect(await rows('select * from tide.pushed')).toHaveLength(0);
    await s.add(
      [state({ key: 'a', hash: 'h2' })],
      [{ recordKey: 'a', crmId: null, status: 'written', reason: null, attempt: 1 }],
    );
    expect(await rows('select value_hash from tide.pushed')).toEqual([{ value_hash: 'h2' }]);
  });

  it('group-commits: rows added while a save runs share the next save, and all are saved in order', async () => {
    const statements: string[] = [];
    const counting: Warehouse = {
      ...warehouse,
      query: (sql, params) => {
        statements.push(sql);
        return warehouse.query(sql, params);
      },
    };
    const s = new PushState({ warehouse: counting, sql, sync: 'scores', runId: 'r1', flushEvery: 1 });
    const add = (i: number) =>
      s.add(
        [state({ key: `k${i % 4}`, hash: `h${i}` })],
        [{ recordKey: `k${i % 4}`, crmId: null, status: 'written', reason: null, attempt: 1 }],
      );
    const first = add(0);
    await new Promise((r) => setTimeout(r, 0)); // the first save is now waiting on DuckDB
    const rest = Array.from({ length: 11 }, (_, i) => add(i + 1));
    await Promise.all([first, ...rest]);
    // The eleven added during the first save share one more: 2 saves × 2 statements, not 12 × 2.
    expect(statements).toHaveLength(4);
    await s.close();
    expect(await rows('select record_key, value_hash from tide.pushed order by 1')).toEqual([
      { record_key: 'k0', value_hash: 'h8' },
      { record_key: 'k1', value_hash: 'h9' },
      { record_key: 'k2', value_hash: 'h10' },
      { record_key: 'k3', value_hash: 'h11' },
    ]);
    expect(await rows('select count(*) as n from tide.push_log')).toEqual([{ n: 12 }]);
  });

  it('the plan query joins each row with its newest state and counts rows per key', async () => {
    await warehouse.execute(`create schema if not exists analytics;
      create table analytics.scores as select * from (values ('1', 10, 'A@x.io'), ('2', 20, 'b@x.io'), ('2', 21, 'c@x.io'), (null, 5, null)) t(crm_id, score, email)`);
    const s = new PushState({ warehouse, sql, sync: 'scores', runId: 'r1', flushEvery: 1 });
    await s.add([state({ key: '1', hash: 'old' })], []);
    await s.add([state({ key: '1', hash: 'new', failures: 2 })], []);
    const sync = SyncSchema.parse({
      name: 'scores',
      from: 'analytics.scores',
      to: { crm: 'hubspot', object: 'contacts' },
      match: { by: 'id', column: 'crm_id' },
      fields: { score: 'tide_score' },
    });
    const planned = await rows(`${sql.planQuery(sync)} order by __tide_key nulls last, score`);
    expect(planned).toEqual([
      {
        crm_id: '1',
        score: 10,
        __tide_key: '1',
        __tide_rows: 1,
        __tide_hash: 'new',
        __tide_values: '{"v":"new"}',
        __tide_failures: 2,
        __tide_crm_id: null,
        __tide_pushed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      },
      {
        crm_id: '2',
        score: 20,
        __tide_key: '2',
        __tide_rows: 2,
        __tide_hash: null,
        __tide_values: null,
        __tide_failures: null,
        __tide_crm_id: null,
        __tide_pushed_at: null,
      },
      {
        crm_id: '2',
        score: 21,
        __tide_key: '2',
        __tide_rows: 2,
        __tide_hash: null,
        __tide_values: null,
        __tide_failures: null,
        __tide_crm_id: null,
        __tide_pushed_at: null,
      },
      {
        crm_id: null,
        score: 5,
        __tide_key: null,
        __tide_rows: 1,
        __tide_hash: null,
        __tide_values: null,
        __tide_failures: null,
        __tide_crm_id: null,
        __tide_pushed_at: null,
      },
    ]);
    const byEmail = { ...sync, match: { by: 'email' as const, column: 'email' } };
    const keys = await rows(`select __tide_key from (${sql.planQuery(byEmail)}) order by 1`);
    expect(keys.map((r) => r.__tide_key)).toEqual(['a@x.io', 'b@x.io', 'c@x.io', null]);
  });
});
