import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load-config.js';
import { duckdbDialect } from '../../load/duckdb/duckdb-dialect.js';
import type { Warehouse } from '../../load/warehouse.js';
import { MemoryLogger } from '../../log/console-logger.js';
import { prunePushLog } from '../../reverse/push-log-retention.js';
import { type PushLogRow, PushSql } from '../../reverse/push-sql.js';
import { PushState } from '../../reverse/push-state.js';
import { runReverse } from '../../reverse/run-reverse.js';
import { SyncSchema } from '../../reverse/sync-config.js';
import { MemoryCrm } from './memory-crm.js';
import { memoryWarehouse, rowsOf } from './warehouse-fixture.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-06-30T12:00:00.000Z');
const sql = new PushSql(duckdbDialect);
let warehouse: Warehouse;

beforeEach(async () => {
  warehouse = await memoryWarehouse();
  await PushState.prepare(warehouse, sql);
});
afterEach(() => warehouse.close());

const line = (recordKey: string): PushLogRow => ({
  recordKey,
  crmId: null,
  status: 'written',
  reason: null,
  attempt: 1,
});

/** One push-log line per entry, logged `daysAgo` days before NOW, under sync `sync`. */
async function logLines(entries: readonly { key: string; daysAgo: number; sync?: string }[]): Promise<void> {
  for (const { key, daysAgo, sync } of entries) {
    const at = new Date(NOW.getTime() - daysAgo * DAY_MS);
    const state = new PushState({
      warehouse,
      sql,
      sync: sync ?? 'scores',
      runId: 'old',
      flushEvery: 1,
      now: () => at,
    });
    await state.add([], [line(key)]);
  }
}

const keptKeys = async (): Promise<unknown[]> =>
  (await rowsOf(warehouse, 'select record_key from tide.push_log order by record_key')).map(
    (r) => r.record_key,
  );

describe('tide.push_log retention on DuckDB', () => {
  it('deletes the lines older than the retention, of every sync, and keeps the recent ones', async () => {
    await logLines([
      { key: 'a-400-days', daysAgo: 400 },
      { key: 'b-91-days', daysAgo: 91, sync: 'removed_sync' },
      { key: 'c-89-days', daysAgo: 89 },
      { key: 'd-today', daysAgo: 0, sync: 'removed_sync' },
    ]);
    await prunePushLog({ warehouse, sql, days: 90, log: new MemoryLogger(), now: () => NOW });
    expect(await keptKeys()).toEqual(['c-89-days', 'd-today']);
    // Idempotent: a second pass finds nothing more to delete.
    await prunePushLog({ warehouse, sql, days: 90, log: new MemoryLogger(), now: () => NOW });
    expect(await keptKeys()).toEqual(['c-89-days', 'd-today']);
    await prunePushLog({ warehouse, sql, days: 1, log: new MemoryLogger(), now: () => NOW });
    expect(await keptKeys()).toEqual(['d-today']);
  });

  it('keeps every line when the retention is null', async () => {
    await logLines([
      { key: 'a-5000-days', daysAgo: 5000 },
      { key: 'b-today', daysAgo: 0 },
    ]);
    await prunePushLog({ warehouse, sql, days: null, log: new MemoryLogger(), now: () => NOW });
    expect(await keptKeys()).toEqual(['a-5000-days', 'b-today']);
  });

  it('warns instead of failing the run when the delete fails', async () => {
    await warehouse.execute('drop table tide.push_log');
    const log = new MemoryLogger();
    await prunePushLog({ warehouse, sql, days: 90, log, now: () => NOW });
    expect(log.entries.map((e) => `${e.level} ${e.message}`)).toContain(
      'warn could not delete old tide.push_log lines; the next run tries again',
    );
  });

  it('is applied by `tide reverse` after the syncs ran, and not by a dry run', async () => {
    await warehouse.execute(`create schema if not exists analytics;
      create or replace table analytics.scores as
      select cast(i as varchar) as crm_id, cast(i as double) as score from range(1, 4) t(i)`);
    const crm = new MemoryCrm();
    crm.seed(3);
    const old = new Date(Date.now() - 120 * DAY_MS);
    const state = new PushState({
      warehouse,
      sql,
      sync: 'scores',
      runId: 'old',
      flushEvery: 1,
      now: () => old,
    });
    await state.add([], [line('from-an-old-run')]);
    const reverse = (dryRun: boolean) =>
      runReverse({
        syncs: [
          SyncSchema.parse({
            name: 'scores',
            from: 'analytics.scores',
            to: { crm: 'memcrm', object: 'contacts' },
            match: { by: 'id', column: 'crm_id' },
            fields: { score: 'score' },
          }),
        ],
        destination: () => crm,
        warehouse,
        runId: `run-${dryRun}`,
        log: new MemoryLogger(),
        dryRun,
        pushLogRetentionDays: 90,
      });

    await reverse(true);
    expect(await keptKeys()).toContain('from-an-old-run');
    const [report] = await reverse(false);
    expect(report?.status).toBe('ok');
    // Each record's intent (`sending`) and answer (`written`), nothing older.
    expect(await keptKeys()).toEqual(['1', '1', '2', '2', '3', '3']);
  });
});

describe('reverse.pushLogRetentionDays in the config', () => {
  const sources = [{ kind: 'hubspot', tokenEnv: 'HS_TOKEN' }];

  it('defaults to 90 days and accepts null (keep forever)', () => {
    expect(parseConfig({ sources }).reverse.pushLogRetentionDays).toBe(90);
    expect(
      parseConfig({ sources, reverse: { pushLogRetentionDays: null } }).reverse.pushLogRetentionDays,
    ).toBe(null);
  });

  it('rejects zero, fractions and unknown keys with their path', () => {
    expect(() => parseConfig({ sources, reverse: { pushLogRetentionDays: 0 } })).toThrow(
      /reverse\.pushLogRetentionDays: at least 1 day/,
    );
    expect(() => parseConfig({ sources, reverse: { pushLogRetentionDays: 1.5 } })).toThrow(
      /reverse\.pushLogRetentionDays/,
    );
    expect(() => parseConfig({ sources, reverse: { retention: 3 } })).toThrow(/reverse: unknown key/);
  });
});
