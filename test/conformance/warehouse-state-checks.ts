import { expect } from 'vitest';
import { S, T1, T2, T3, T4 } from './warehouse-check-fixtures.js';
import { collect, cursorAt, load, rec, type WarehouseCheck } from './warehouse-harness.js';

/** Tide's own state in the warehouse: cursors, stream status, delete checks and request counts. */
export const stateChecks: Readonly<Record<string, WarehouseCheck>> = {
  async 'streamStatus reports cursor, last completed load and row counts per stream'(h) {
    const w = h.warehouse;
    const started = Date.now();
    await load(w, { source: 'crm', stream: 'deals' }, [[rec('d1', T4, {})]], cursorAt(T4, 'd1'));
    await load(w, S, [[rec('1', T1, {}), rec('2', T3, {}, true), rec('3', T2, {})]], cursorAt(T3, '2'));
    const last = await load(w, S, [[rec('4', T1, {})]], null);
    const status = await w.streamStatus();
    expect(status.map((s) => [s.source, s.stream])).toEqual([
      ['crm', 'contacts'],
      ['crm', 'deals'],
    ]);
    expect(status[0]).toMatchObject({
      cursor: cursorAt(T3, '2'),
      lastLoadId: last.loadId,
      rowCount: 4,
      deletedCount: 1,
      newestRecordAt: T3,
    });
    expect(Date.parse(status[0]!.lastCompletedAt!)).toBeGreaterThanOrEqual(started - 1000);
    expect(status[1]).toMatchObject({
      cursor: cursorAt(T4, 'd1'),
      rowCount: 1,
      deletedCount: 0,
      newestRecordAt: T4,
    });
  },

  async 'the time deletes were checked up to is recorded only by a completed load, newest shown by status'(
    h,
  ) {
    let w = h.warehouse;
    const checkedAt = async (): Promise<string | null | undefined> =>
      (await w.streamStatus()).find((s) => s.stream === S.stream)?.deletesCheckedAt;
    // A load that says nothing about deletes records nothing: "never checked".
    await load(w, S, [[rec('1', T1, {})]], cursorAt(T1, '1'));
    expect(await checkedAt()).toBeNull();
    // A package that carried a check but never committed (aborted, or the process died) records none.
    const aborted = await w.beginLoad({ ...S, runId: 'r', replace: false });
    await aborted.append([rec('2', T2, {}, true)]);
    await aborted.abort();
    const crashed = await w.beginLoad({ ...S, runId: 'crash', replace: false });
    await crashed.append([rec('2', T2, {}, true)]);
    if (h.persistent) w = await h.reopen();
    expect(await checkedAt()).toBeNull();
    await load(w, S, [[rec('2', T2, {}, true)]], cursorAt(T2, '2'), [], { deletesCheckedAt: T3 });
    expect(await checkedAt()).toBe(T3);
    // Later loads that did not check, or checked up to an earlier time, leave the newest in place.
    await load(w, S, [[rec('3', T3, {})]], null);
    await load(w, S, [], null, [], { deletesCheckedAt: T2 });
    expect(await checkedAt()).toBe(T3);
    await load(w, S, [], cursorAt(T3, '3'), [], { deletesCheckedAt: T4 });
    if (h.persistent) w = await h.reopen();
    expect(await checkedAt()).toBe(T4);
    // Per stream: another stream's check says nothing about this one.
    await load(w, { ...S, stream: 'deals' }, [[rec('d', T1, {})]], null);
    expect((await w.streamStatus()).find((s) => s.stream === 'deals')?.deletesCheckedAt).toBeNull();
    const bad = await w.beginLoad({ ...S, runId: 'r', replace: false });
    await expect(bad.commit(null, { deletesCheckedAt: 'yesterday' })).rejects.toThrow(/not a timestamp/);
    await bad.abort();
    expect(await checkedAt()).toBe(T4);
  },

  async 'the newest completed cursor wins, and committing null keeps it'(h) {
    const w = h.warehouse;
    await load(w, S, [[rec('1', T1, {})]], cursorAt(T1, '1'));
    await load(w, S, [[rec('2', T2, {})]], cursorAt(T2, '2'));
    expect(await w.readCursor(S.source, S.stream)).toEqual(cursorAt(T2, '2'));
    await load(w, S, [[rec('3', T3, {})]], null);
    expect(await w.readCursor(S.source, S.stream)).toEqual(cursorAt(T2, '2'));
    expect(await w.readCursor(S.source, 'other')).toBeNull();
  },

  async 'a cursor token is stored verbatim with its cursor and only with it'(h) {
    let w = h.warehouse;
    // A delta link as Dataverse hands it out: characters SQL and JSON both care about.
    const token =
      'contacts?$select=fullname,emailaddress1&$deltatoken=919042%2108%2f22%2f2017%2008%3a10%3a44&x=\'\\"';
    await load(w, S, [[rec('1', T1, {})]], { ...cursorAt(T1, '1'), token });
    if (h.persistent) w = await h.reopen();
    expect(await w.readCursor(S.source, S.stream)).toStrictEqual({ value: T1, ids: ['1'], token });
    const [status] = await w.streamStatus();
    expect(status?.cursor).toStrictEqual({ value: T1, ids: ['1'], token });
    // The next cursor has no token: a timestamp-only cursor reads back without one.
    await load(w, S, [[rec('2', T2, {})]], cursorAt(T2, '2'));
    expect(await w.readCursor(S.source, S.stream)).toStrictEqual({ value: T2, ids: ['2'] });
    expect((await w.streamStatus())[0]?.cursor).toStrictEqual({ value: T2, ids: ['2'] });
  },

  async 'recordRequests appends request counts per run'(h) {
    const w = h.warehouse;
    await w.recordRequests('run-1', [
      { source: 'crm', endpoint: '/contacts', status: 200, count: 12 },
      { source: 'crm', endpoint: '/contacts', status: 429, count: 2 },
    ]);
    await w.recordRequests('run-1', []);
    const rows = await collect(
      w.query('SELECT run_id, source, endpoint, status, count FROM tide.requests ORDER BY status'),
    );
    expect(rows).toEqual([
      { run_id: 'run-1', source: 'crm', endpoint: '/contacts', status: 200, count: 12 },
      { run_id: 'run-1', source: 'crm', endpoint: '/contacts', status: 429, count: 2 },
    ]);
  },
};
