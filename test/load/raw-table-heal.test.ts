import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runExtract } from '../../extract/run-extract.js';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../load/warehouse.js';
import { MemoryLogger } from '../../log/console-logger.js';
import { FakeStream, fakeSource } from '../extract/fake-source.js';

let warehouse: Warehouse;
beforeEach(async () => {
  warehouse = await openDuckdbWarehouse({ path: ':memory:' });
  await warehouse.init();
});
afterEach(async () => {
  await warehouse.close();
});

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const row of warehouse.query(sql)) out.push({ ...row });
  return out;
}

async function extract(stream: FakeStream, log = new MemoryLogger()) {
  const summary = await runExtract({
    runId: `run-${Math.random()}`,
    warehouse,
    plan: [{ source: fakeSource('fake', [stream]), stream, startDate: null, fullRefresh: false }],
    concurrency: 1,
    checkpointEvery: 1_000,
    log,
    progress: { page: () => {} },
    now: () => new Date('2026-06-01T00:00:00Z'),
  });
  return { summary, log };
}

function people(n: number): FakeStream {
  const stream = new FakeStream('people');
  for (let i = 0; i < n; i++) stream.put(String(i).padStart(3, '0'), i, { amount: i });
  return stream;
}

describe('raw tables heal at the start of a stream (issue 16, third reproduction)', () => {
  it('a dropped raw table is recreated by the next extract, which reads everything again and says so', async () => {
    const stream = people(30);
    await extract(stream);
    await warehouse.execute('DROP TABLE raw.fake__people');
    // Before: "Binder Error: Referenced update column … not found", on every later run.
    const { summary, log } = await extract(stream);
    expect(summary.status).toBe('ok');
    expect(summary.outcomes[0]?.records).toBe(30);
    const warnings = log.entries
      .filter((e) => e.level === 'warn')
      .map((e) => `${String(e.fields.source)}.${String(e.fields.stream)}: ${e.message}`);
    expect(warnings).toEqual([
      'fake.people: raw.fake__people is missing (dropped outside Tide?): recreated with its 8 recorded columns; reading the stream again in full',
    ]);
    expect(await rows('select count(*)::int as n, sum(amount)::int as s from raw.fake__people')).toEqual([
      { n: 30, s: 435 },
    ]);
    // Healed: the next run is incremental again.
    const again = await extract(stream);
    expect(again.summary.outcomes[0]?.records).toBe(0);
    expect(again.log.entries.filter((e) => e.level === 'warn')).toEqual([]);
  });

  it('a column whose type was changed is put back with its recorded type and refilled', async () => {
    const stream = people(10);
    await extract(stream);
    await warehouse.execute('ALTER TABLE raw.fake__people ALTER COLUMN amount TYPE VARCHAR');
    const { log } = await extract(stream);
    expect(log.text()).toContain('column amount is VARCHAR, recorded as DOUBLE');
    expect(
      await rows(`select typeof(amount) as t, sum(amount)::int as s from raw.fake__people group by 1`),
    ).toEqual([{ t: 'DOUBLE', s: 45 }]);
  });

  it('a table recreated without its primary key is rebuilt (upserts need it)', async () => {
    const stream = people(10);
    await extract(stream);
    await warehouse.execute(
      "CREATE OR REPLACE TABLE raw.fake__people AS SELECT * FROM raw.fake__people WHERE _tide_id < '005'",
    );
    const { summary, log } = await extract(stream);
    expect(summary.status).toBe('ok');
    expect(log.text()).toContain('its primary key is gone');
    expect(await rows('select count(*)::int as n from raw.fake__people')).toEqual([{ n: 10 }]);
  });
});
