import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runExtract } from '../../extract/run-extract.js';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import type { LoadPackage, Warehouse } from '../../load/warehouse.js';
import { MemoryLogger } from '../../log/console-logger.js';
import { FakeStream, fakeSource } from './fake-source.js';

/**
 * A checkpoint commit runs beside the next package's appends (extract/run-extract.ts): reading and
 * staging do not wait for the warehouse, yet nothing later commits before it, and its failure stops
 * the stream before anything read after it reaches a cursor.
 */
let inner: Warehouse;
beforeEach(async () => {
  inner = await openDuckdbWarehouse({ path: ':memory:' });
  await inner.init();
});
afterEach(async () => {
  await inner.close();
});

interface Gate {
  readonly opened: Promise<void>;
  open(): void;
}
function gate(): Gate {
  let open = (): void => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/**
 * The DuckDB warehouse with its packages watched: every append and commit is written to `events`
 * (package number, what), and the first package's commit is held at `hold` and then does `first`.
 */
function watched(
  events: string[],
  hold: Gate,
  first: 'commit' | 'fail',
): { warehouse: Warehouse; packages: number } {
  const state = { warehouse: inner, packages: 0 };
  const wrap = (pkg: LoadPackage, n: number): LoadPackage => ({
    loadId: pkg.loadId,
    ensureColumns: (columns) => pkg.ensureColumns(columns),
    appendLiveIds: (ids) => pkg.appendLiveIds(ids),
    append: async (records) => {
      events.push(`${n} append`);
      await pkg.append(records);
    },
    commit: async (cursor, marks) => {
      events.push(`${n} commit starts`);
      if (n === 1) {
        await hold.opened;
        if (first === 'fail') {
          events.push(`${n} commit fails`);
          throw new Error('the warehouse went away');
        }
      }
      const result = await pkg.commit(cursor, marks);
      events.push(`${n} committed`);
      return result;
    },
    abort: async () => {
      events.push(`${n} aborted`);
      await pkg.abort();
    },
  });
  state.warehouse = new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'beginLoad') {
        return async (...args: Parameters<Warehouse['beginLoad']>) => {
          state.packages++;
          return wrap(await target.beginLoad(...args), state.packages);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return state;
}

function extract(warehouse: Warehouse, stream: FakeStream) {
  return runExtract({
    runId: `run-${Math.random()}`,
    warehouse,
    plan: [{ source: fakeSource('fake', [stream]), stream, startDate: null, fullRefresh: false }],
    concurrency: 1,
    checkpointEvery: 20,
    log: new MemoryLogger(),
    progress: { page: () => {} },
    now: () => new Date('2026-06-01T00:00:00Z'),
  });
}

async function count(sql: string): Promise<number> {
  for await (const row of inner.query(sql)) return Number(row.n);
  return -1;
}

describe('runExtract commits a checkpoint beside the next package', () => {
  it('keeps appending while the commit runs, commits in order, and loads everything', async () => {
    const stream = new FakeStream('people');
    for (let i = 0; i < 60; i++) stream.put(String(i).padStart(3, '0'), i);
    const events: string[] = [];
    const hold = gate();
    const { warehouse } = watched(events, hold, 'commit');
    const running = extract(warehouse, stream);
    // The second package receives records while the first commit is still held.
    await expect.poll(() => events.includes('2 append'), { timeout: 5_000 }).toBe(true);
    expect(events).not.toContain('1 committed');
    hold.open();
    const summary = await running;

    expect(summary.status).toBe('ok');
    // Three checkpoints of 20, then the end of the read commits its (empty) package with the cursor.
    expect(summary.outcomes[0]?.loads).toBe(4);
    const order = events.filter((e) => e.includes('commit'));
    expect(order).toEqual([1, 2, 3, 4].flatMap((n) => [`${n} commit starts`, `${n} committed`]));
    expect(await count('select count(*)::int as n from raw.fake__people')).toBe(60);
    expect((await inner.readCursor('fake', 'people'))?.value).toBe('2026-01-01T00:00:59.000Z');
  });

  it('fails the stream when that commit fails, and nothing read after it commits', async () => {
    const stream = new FakeStream('people');
    for (let i = 0; i < 60; i++) stream.put(String(i).padStart(3, '0'), i);
    const events: string[] = [];
    const hold = gate();
    const { warehouse } = watched(events, hold, 'fail');
    const running = extract(warehouse, stream);
    await expect.poll(() => events.includes('2 append'), { timeout: 5_000 }).toBe(true);
    hold.open();
    const summary = await running;

    expect(summary.status).toBe('failed');
    expect(summary.outcomes[0]?.error?.message).toContain('the warehouse went away');
    expect(summary.outcomes[0]?.loads).toBe(0);
    expect(events).not.toContain('2 commit starts');
    expect(events).toContain('1 aborted');
    expect(events).toContain('2 aborted');
    expect(await inner.readCursor('fake', 'people')).toBeNull();
    expect(await count(`select count(*)::int as n from duckdb_tables() where schema_name = 'raw'`)).toBe(0);

    // The next run reads everything again and loads it whole.
    const rerun = await extract(inner, stream);
    expect(rerun.status).toBe('ok');
    expect(await count('select count(*)::int as n from raw.fake__people')).toBe(60);
  });
});
