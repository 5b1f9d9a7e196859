import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordBatch } from '../../core/record.js';
import type { ReadContext } from '../../core/source.js';
import { runExtract } from '../../extract/run-extract.js';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../load/warehouse.js';
import { MemoryLogger } from '../../log/console-logger.js';
import { FakeStream, fakeSource, quotaError, rateLimitedError } from './fake-source.js';

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

function run(stream: FakeStream, options: { checkpointEvery?: number; fullRefresh?: boolean } = {}) {
  return runExtract({
    runId: `run-${Math.random()}`,
    warehouse,
    plan: [
      {
        source: fakeSource('fake', [stream]),
        stream,
        startDate: null,
        fullRefresh: options.fullRefresh ?? false,
      },
    ],
    concurrency: 2,
    checkpointEvery: options.checkpointEvery ?? 1_000,
    log: new MemoryLogger(),
    progress: { page: () => {} },
    now: () => new Date('2026-06-01T00:00:00Z'),
  });
}

describe('runExtract', () => {
  it('loads a stream, commits its cursor, and a second run loads only the changes', async () => {
    const stream = new FakeStream('people');
    for (let i = 0; i < 95; i++) stream.put(String(i), i % 7);
    const first = await run(stream);
    expect(first.status).toBe('ok');
    expect(first.outcomes[0]?.records).toBe(95);
    expect(await rows('select count(*)::int as n from raw.fake__people')).toEqual([{ n: 95 }]);

    stream.put('3', 100, { name: 'changed' });
    stream.put('500', 100);
    const second = await run(stream);
    expect(second.outcomes[0]?.records).toBe(2);
    expect(await rows(`select name from raw.fake__people where _tide_id = '3'`)).toEqual([
      { name: 'changed' },
    ]);
    expect(await rows('select count(*)::int as n from raw.fake__people')).toEqual([{ n: 96 }]);
    expect((await warehouse.readCursor('fake', 'people'))?.value).toBe('2026-01-01T00:01:40.000Z');
  });

  it('commits at checkpoints so a crash mid-stream keeps what was committed and the rerun finishes the rest', async () => {
    const stream = new FakeStream('people');
    for (let i = 0; i < 100; i++) stream.put(String(i).padStart(3, '0'), i);
    stream.failAfterPages = { pages: 5, error: new Error('connection reset') };
    const crashed = await run(stream, { checkpointEvery: 20 });
    expect(crashed.status).toBe('failed');
    expect(crashed.outcomes[0]?.loads).toBe(2);
    const cursor = await warehouse.readCursor('fake', 'people');
    expect(cursor?.value).toBe('2026-01-01T00:00:39.000Z');
    expect(await rows('select count(*)::int as n from raw.fake__people')).toEqual([{ n: 40 }]);

    stream.failAfterPages = null;
    const rerun = await run(stream, { checkpointEvery: 20 });
    expect(rerun.status).toBe('ok');
    expect(rerun.outcomes[0]?.records).toBe(60);
    expect(
      await rows('select count(*)::int as n, count(distinct _tide_id)::int as d from raw.fake__people'),
    ).toEqual([{ n: 100, d: 100 }]);
  });

  it('ends a quota stop as partial with the last checkpoint committed', async () => {
    const stream = new FakeStream('people');
    for (let i = 0; i < 50; i++) stream.put(String(i).padStart(3, '0'), i);
    stream.failAfterPages = { pages: 3, error: quotaError() };
    const summary = await run(stream);
    expect(summary.status).toBe('partial');
    expect(summary.outcomes[0]?.error?.code).toBe('quota_exhausted');
    expect((await warehouse.readCursor('fake', 'people'))?.value).toBe('2026-01-01T00:00:29.000Z');
    expect(await rows('select count(*)::int as n from raw.fake__people')).toEqual([{ n: 30 }]);
  });

  it('ends as partial when the run’s rate-limit wait budget is spent, keeping what it read', async () => {
    const stream = new FakeStream('people');
    for (let i = 0; i < 50; i++) stream.put(String(i).padStart(3, '0'), i);
    stream.failAfterPages = { pages: 3, error: rateLimitedError() };
    const summary = await run(stream);
    expect(summary.status).toBe('partial');
    expect(summary.outcomes[0]?.error?.code).toBe('rate_limited');
    expect((await warehouse.readCursor('fake', 'people'))?.value).toBe('2026-01-01T00:00:29.000Z');
    expect(await rows('select count(*)::int as n from raw.fake__people')).toEqual([{ n: 30 }]);
    stream.failAfterPages = null;
    const rerun = await run(stream);
    expect(rerun.status).toBe('ok');
    expect(rerun.outcomes[0]?.records).toBe(20);
  });

  it('a full refresh stopped for now marks nothing deleted: it did not see every record', async () => {
    const stream = new FakeStream('people');
    for (let i = 0; i < 50; i++) stream.put(String(i).padStart(3, '0'), i);
    await run(stream);
    const before = await warehouse.readCursor('fake', 'people');
    stream.failAfterPages = { pages: 2, error: rateLimitedError() };
    const summary = await run(stream, { fullRefresh: true });
    expect(summary.status).toBe('partial');
    expect(await rows('select count(*)::int as n from raw.fake__people where _tide_deleted')).toEqual([
      { n: 0 },
    ]);
    expect(await warehouse.readCursor('fake', 'people')).toEqual(before);
  });

  it('a failing stream does not stop or corrupt the others', async () => {
    const good = new FakeStream('good');
    const bad = new FakeStream('bad');
    for (let i = 0; i < 30; i++) {
      good.put(String(i), i);
      bad.put(String(i), i);
    }
    bad.failAfterPages = { pages: 1, error: new Error('boom') };
    const summary = await runExtract({
      runId: 'r1',
      warehouse,
      plan: [good, bad].map((stream) => ({
        source: fakeSource('fake', [good, bad]),
        stream,
        startDate: null,
        fullRefresh: false,
      })),
      concurrency: 2,
      checkpointEvery: 1_000,
      log: new MemoryLogger(),
      progress: { page: () => {} },
    });
    expect(summary.status).toBe('failed');
    expect(summary.outcomes.map((o) => o.status).sort()).toEqual(['failed', 'ok']);
    expect(await rows('select count(*)::int as n from raw.fake__good')).toEqual([{ n: 30 }]);
    expect(await warehouse.readCursor('fake', 'bad')).toBeNull();
  });

  it('a full refresh marks records that vanished from the CRM as deleted', async () => {
    const stream = new FakeStream('people');
    for (let i = 0; i < 20; i++) stream.put(String(i), i);
    await run(stream);
    stream.records.delete('5');
    await run(stream, { fullRefresh: true });
    expect(await rows(`select _tide_deleted as d from raw.fake__people where _tide_id = '5'`)).toEqual([
      { d: true },
    ]);
    expect(await rows('select count(*)::int as n from raw.fake__people where not _tide_deleted')).toEqual([
      { n: 19 },
    ]);
  });
});

describe('runExtract with a source that asks for a resync', () => {
  it('loads the resync as a full refresh: records purged in the gap are marked deleted', async () => {
    const stream = new FakeStream('people');
    for (let i = 0; i < 20; i++) stream.put(String(i), i);
    await run(stream);
    stream.records.delete('7');
    const resyncing = Object.assign(Object.create(stream) as FakeStream, {
      async *read(ctx: Parameters<FakeStream['read']>[0]) {
        yield { records: [], checkpoint: null, resync: true };
        yield* stream.read({ ...ctx, cursor: null });
      },
    });
    const summary = await run(resyncing);
    expect(summary.status).toBe('ok');
    expect(await rows(`select _tide_deleted as d from raw.fake__people where _tide_id = '7'`)).toEqual([
      { d: true },
    ]);
    expect(await rows('select count(*)::int as n from raw.fake__people where not _tide_deleted')).toEqual([
      { n: 19 },
    ]);
  });
});

describe('runExtract with an unsorted first read', () => {
  it('commits bounded packages without advancing the cursor until the source vouches for one', async () => {
    const stream = new FakeStream('people');
    for (let i = 0; i < 60; i++) stream.put(String(i).padStart(3, '0'), i);
    const unsorted = Object.assign(Object.create(stream) as FakeStream, {
      async *read(ctx: Parameters<FakeStream['read']>[0]) {
        for await (const batch of stream.read(ctx)) yield { ...batch, checkpoint: null };
        throw new Error('connection reset before the end of the list');
      },
    });
    const crashed = await run(unsorted, { checkpointEvery: 20 });
    expect(crashed.status).toBe('failed');
    expect(crashed.outcomes[0]?.loads).toBe(3);
    // The data is kept, but nothing vouches for a cursor: the next run reads everything again.
    expect(await rows('select count(*)::int as n from raw.fake__people')).toEqual([{ n: 60 }]);
    expect(await warehouse.readCursor('fake', 'people')).toBeNull();
  });
});

describe('runExtract with a source that lists live ids', () => {
  /** An incremental read that also lists every id the CRM still has (no deletions feed). */
  function listing(stream: FakeStream, options: { failAtEnd?: Error } = {}): FakeStream {
    return Object.assign(Object.create(stream) as FakeStream, {
      async *read(ctx: Parameters<FakeStream['read']>[0]) {
        yield* stream.read(ctx);
        const ids = [...stream.records.keys()];
        yield { records: [], checkpoint: null, liveIds: ids.slice(0, 10) };
        if (options.failAtEnd) throw options.failAtEnd;
        yield { records: [], checkpoint: null, liveIds: ids.slice(10) };
      },
    });
  }

  it('marks rows the CRM no longer lists deleted, in one package after the listing starts', async () => {
    const stream = new FakeStream('people');
    for (let i = 0; i < 30; i++) stream.put(String(i), i);
    await run(stream);
    stream.records.delete('4');
    stream.records.delete('25');
    stream.put('7', 200, { name: 'changed' });
    const summary = await run(listing(stream), { checkpointEvery: 1 });
    expect(summary.status).toBe('ok');
    // One change, loaded in the package whose commit applies the listing.
    expect(summary.outcomes[0]).toMatchObject({ records: 1, loads: 2 });
    expect(await rows('select _tide_id as id from raw.fake__people where _tide_deleted order by 1')).toEqual([
      { id: '25' },
      { id: '4' },
    ]);
    expect(await rows(`select name from raw.fake__people where _tide_id = '7'`)).toEqual([
      { name: 'changed' },
    ]);
  });

  it('a listing cut short by a quota stop deletes nothing', async () => {
    const stream = new FakeStream('people');
    for (let i = 0; i < 30; i++) stream.put(String(i), i);
    await run(stream);
    stream.put('7', 200, { name: 'changed' });
    const summary = await run(listing(stream, { failAtEnd: quotaError() }));
    expect(summary.status).toBe('partial');
    expect(await rows('select count(*)::int as n from raw.fake__people where _tide_deleted')).toEqual([
      { n: 0 },
    ]);
  });
});

describe('runExtract stopped by a signal (SIGTERM / SIGINT)', () => {
  it('commits up to the last checkpoint, rolls back the rest, and does not start the streams still waiting', async () => {
    const first = new FakeStream('first');
    const waiting = new FakeStream('waiting');
    for (let i = 0; i < 100; i++) {
      first.put(String(i).padStart(3, '0'), i);
      waiting.put(String(i), i);
    }
    const stop = new AbortController();
    // The source ignores the signal: the runner stops it at its next page (after page 5).
    const stopping = Object.assign(Object.create(first) as FakeStream, {
      async *read(ctx: Parameters<FakeStream['read']>[0]) {
        let pages = 0;
        for await (const batch of first.read(ctx)) {
          if (++pages === 5) stop.abort(new Error('stopped by SIGTERM'));
          // Connectors report pages under their own stream name.
          ctx.progress.page('first', batch.records.length);
          yield batch;
        }
      },
    });
    const progress: string[] = [];
    const summary = await runExtract({
      runId: 'r-stop',
      warehouse,
      plan: [stopping, waiting].map((stream) => ({
        source: fakeSource('fake', [first, waiting]),
        stream,
        startDate: null,
        fullRefresh: false,
      })),
      concurrency: 1,
      checkpointEvery: 20,
      log: new MemoryLogger(),
      progress: { page: (name) => progress.push(name), done: (name) => progress.push(`done ${name}`) },
      signal: stop.signal,
    });
    expect(summary.status).toBe('partial');
    const [stopped, notStarted] = summary.outcomes;
    expect(stopped?.status).toBe('partial');
    expect(stopped?.error?.code).toBe('interrupted');
    // What was committed ends at a checkpoint (every 20 records) with its cursor; the pages after it
    // (staged, or still in the read-ahead when the stop came) are rolled back. How many pages the
    // runner had taken from the read-ahead by then varies: the checkpoint after page 2 or page 4.
    const [committed] = await rows('select count(*)::int as n from raw.fake__first');
    expect([20, 40]).toContain(committed?.['n']);
    const lastSecond = Number(committed?.['n']) - 1;
    expect((await warehouse.readCursor('fake', 'first'))?.value).toBe(
      new Date(Date.UTC(2026, 0, 1) + lastSecond * 1000).toISOString(),
    );
    expect(notStarted).toMatchObject({ stream: 'waiting', status: 'partial', records: 0 });
    expect(notStarted?.error?.message).toContain('not started: stopped by SIGTERM');
    expect(waiting.pagesServed).toBe(0);
    // Progress is reported under the stream's full name, and its bar is released when it ends.
    expect(progress).toContain('fake.first');
    expect(progress).not.toContain('first');
    expect(progress).toContain('done fake.first');
  });
});

describe("runExtract's fetch signal", () => {
  it('is listened on by every request in flight without Node warning of a listener leak', async () => {
    // As parallel list chains do: a dozen and more requests in flight, each listening on the signal.
    class ParallelStream extends FakeStream {
      override async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
        for (let i = 0; i < 20; i++) ctx.signal.addEventListener('abort', () => {}, { once: true });
        yield* super.read(ctx);
      }
    }
    const stream = new ParallelStream('chains');
    stream.put('1', 1);
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.name);
    };
    process.on('warning', onWarning);
    try {
      expect((await run(stream)).status).toBe('ok');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('runExtract and the time a stream checked deletes up to', () => {
  const CHECKED = '2026-05-31T23:00:00.000Z';
  /** A read that checks deletes after its pages, then ends, or stops with `thenFail` before its end. */
  function checking(stream: FakeStream, options: { thenFail?: Error } = {}): FakeStream {
    return Object.assign(Object.create(stream) as FakeStream, {
      async *read(ctx: Parameters<FakeStream['read']>[0]): AsyncGenerator<RecordBatch> {
        for await (const batch of stream.read(ctx)) yield { ...batch, checkpoint: null };
        yield { records: [], checkpoint: null, deletesCheckedAt: CHECKED };
        if (options.thenFail) throw options.thenFail;
      },
    });
  }
  const checkedAt = async (): Promise<string | null | undefined> =>
    (await warehouse.streamStatus())[0]?.deletesCheckedAt;

  it('is recorded with the commit that holds what the check found, not by a failed or replacing stop', async () => {
    const stream = new FakeStream('people');
    for (let i = 0; i < 30; i++) stream.put(String(i), i);
    await run(stream);
    expect(await checkedAt()).toBeNull();
    // A failure after the check: the package is aborted, the check with it.
    expect((await run(checking(stream, { thenFail: new Error('connection reset') }))).status).toBe('failed');
    expect(await checkedAt()).toBeNull();
    // A full refresh stopped for now commits nothing, so its check is not recorded either.
    expect((await run(checking(stream, { thenFail: quotaError() }), { fullRefresh: true })).status).toBe(
      'partial',
    );
    expect(await checkedAt()).toBeNull();
    // An incremental stop for now keeps what it read, the check's findings included: recorded.
    expect((await run(checking(stream, { thenFail: quotaError() }))).status).toBe('partial');
    expect(await checkedAt()).toBe(CHECKED);
  });

  it('a run whose stream says nothing keeps the time an earlier run recorded', async () => {
    const stream = new FakeStream('people');
    for (let i = 0; i < 5; i++) stream.put(String(i), i);
    expect((await run(checking(stream))).status).toBe('ok');
    expect(await checkedAt()).toBe(CHECKED);
    stream.put('9', 50);
    await run(stream);
    expect(await checkedAt()).toBe(CHECKED);
  });
});
