import { expect } from 'vitest';
import { normalizeNames } from '../../load/normalize-name.js';
import { rawTableName } from '../../load/warehouse.js';
import { COERCION_CASES } from './coercion-cases.js';
import { collect, cursorAt, load, rawRows, rec, type WarehouseHarness } from './warehouse-harness.js';

/**
 * The behaviour every Warehouse must show, written against the Warehouse interface and query() only,
 * so the same checks run against DuckDB and the BigQuery double. Each check is a plain function:
 * the suite runs them all, and a test feeds some of them a deliberately broken warehouse to prove
 * they can fail.
 */
export type WarehouseCheck = (h: WarehouseHarness) => Promise<void>;

const T1 = '2024-03-01T10:00:00.000Z';
const T2 = '2024-03-02T10:00:00.000Z';
const T3 = '2024-03-03T10:00:00.000Z';
const T4 = '2024-03-04T10:00:00.000Z';
const S = { source: 'crm', stream: 'contacts' };

const byId = (rows: readonly Readonly<Record<string, unknown>>[]) =>
  new Map(rows.map((r) => [String(r._tide_id), r]));

export const warehouseChecks: Readonly<Record<string, WarehouseCheck>> = {
  async 'init is idempotent and starts empty'(h) {
    const w = h.warehouse;
    await w.init();
    await w.init();
    expect(await w.streamStatus()).toEqual([]);
    expect(await w.readCursor('crm', 'contacts')).toBeNull();
  },

  async 'the first load creates the raw table with system and typed columns'(h) {
    const w = h.warehouse;
    const before = Date.now();
    const result = await load(
      w,
      S,
      [[rec('1', T1, { firstName: 'Ada', score: '12.5' }), rec('2', T2, { firstName: 'Bo', score: 7 })]],
      cursorAt(T2, '2'),
      [
        { name: 'firstName', type: 'string' },
        { name: 'score', type: 'number' },
      ],
    );
    expect(result).toMatchObject({ rowsStaged: 2, rowsWritten: 2 });
    const rows = await rawRows(w, S.source, S.stream);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      _tide_id: '1',
      _tide_updated_at: T1,
      _tide_deleted: false,
      _tide_record: { firstName: 'Ada', score: '12.5' },
      _tide_load_id: result.loadId,
      first_name: 'Ada',
      score: 12.5,
    });
    expect(rows[1]).toMatchObject({ _tide_id: '2', first_name: 'Bo', score: 7 });
    const loadedAt = Date.parse(String(rows[0]!._tide_loaded_at));
    expect(loadedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(loadedAt).toBeLessThanOrEqual(Date.now() + 1000);
  },

  async 'upsert keeps the newest version: out of order, duplicates in a package, equal timestamps'(h) {
    const w = h.warehouse;
    const cols = [{ name: 'v', type: 'string' as const }];
    await load(w, S, [[rec('a', T2, { v: 'a@T2' }), rec('d', T1, { v: 'd@T1' })]], null, cols);
    // Older version of `a` arrives later: ignored. `b` arrives newest-first inside one package,
    // split over two batches. `c` twice at the same timestamp: the later arrival wins. `d` gets newer.
    const second = await load(
      w,
      S,
      [
        [rec('a', T1, { v: 'a@T1' }), rec('b', T3, { v: 'b@T3' }), rec('c', T1, { v: 'c-first' })],
        [rec('b', T1, { v: 'b@T1' }), rec('c', T1, { v: 'c-second' }), rec('d', T3, { v: 'd@T3' })],
      ],
      null,
      cols,
    );
    expect(second).toMatchObject({ rowsStaged: 6, rowsWritten: 3 });
    let rows = byId(await rawRows(w, S.source, S.stream));
    expect([...rows.keys()]).toEqual(['a', 'b', 'c', 'd']);
    expect(rows.get('a')).toMatchObject({ v: 'a@T2', _tide_updated_at: T2, _tide_record: { v: 'a@T2' } });
    expect(rows.get('b')).toMatchObject({ v: 'b@T3', _tide_updated_at: T3 });
    expect(rows.get('c')).toMatchObject({ v: 'c-second' });
    expect(rows.get('d')).toMatchObject({ v: 'd@T3', _tide_updated_at: T3, _tide_record: { v: 'd@T3' } });
    // An equal timestamp in a later load replaces (a re-read after a CRM fix-up is not "older").
    const third = await load(
      w,
      S,
      [[rec('a', T2, { v: 'a@T2-again' }), rec('b', T2, { v: 'b@T2' })]],
      null,
      cols,
    );
    expect(third.rowsWritten).toBe(1);
    rows = byId(await rawRows(w, S.source, S.stream));
    expect(rows.get('a')).toMatchObject({ v: 'a@T2-again' });
    expect(rows.get('b')).toMatchObject({ v: 'b@T3' });
  },

  async 'a re-read of the stored version (a cursor overlap) is not written again'(h) {
    const w = h.warehouse;
    const cols = [{ name: 'v', type: 'string' as const }];
    await load(
      w,
      S,
      [[rec('a', T1, { v: 'a' }), rec('b', T1, { v: 'b' }), rec('c', T1, { v: 'c' })]],
      null,
      cols,
    );
    const before = byId(await rawRows(w, S.source, S.stream));
    // `a` comes back as it is; `b` at the same timestamp with other values (a CRM fix-up) and `c`
    // newer are new versions.
    const again = await load(
      w,
      S,
      [[rec('a', T1, { v: 'a' }), rec('b', T1, { v: 'b-fixed' }), rec('c', T2, { v: 'c' })]],
      null,
      cols,
    );
    expect(again).toMatchObject({ rowsStaged: 3, rowsWritten: 2 });
    const after = byId(await rawRows(w, S.source, S.stream));
    // What the models' incremental reads and the runner's unchanged check see: `a` did not move.
    expect(after.get('a')?._tide_load_id).toBe(before.get('a')?._tide_load_id);
    expect(after.get('a')?._tide_loaded_at).toEqual(before.get('a')?._tide_loaded_at);
    expect(after.get('b')).toMatchObject({ v: 'b-fixed', _tide_record: { v: 'b-fixed' } });
    expect(after.get('b')?._tide_load_id).not.toBe(before.get('b')?._tide_load_id);
    expect(after.get('c')).toMatchObject({ _tide_updated_at: T2 });
  },

  async 'a version stamped after it was loaded (a CRM with a bad clock) does not block the next one'(h) {
    const w = h.warehouse;
    const cols = [{ name: 'v', type: 'string' as const }];
    const FAR = '9999-12-31T23:59:59.000Z';
    await load(w, S, [[rec('a', FAR, { v: 'a@9999' }), rec('b', T3, { v: 'b@T3' })]], null, cols);
    // The CRM's clock is fixed and `a` changes again: its stamp is earlier than 9999 but it is the
    // newer version. `b` keeps the ordinary rule: an older version arriving later is ignored.
    const second = await load(
      w,
      S,
      [[rec('a', T1, { v: 'a-fixed' }), rec('b', T2, { v: 'b@T2' })]],
      null,
      cols,
    );
    expect(second.rowsWritten).toBe(1);
    const rows = byId(await rawRows(w, S.source, S.stream));
    expect(rows.get('a')).toMatchObject({
      v: 'a-fixed',
      _tide_updated_at: T1,
      _tide_record: { v: 'a-fixed' },
    });
    expect(rows.get('b')).toMatchObject({ v: 'b@T3', _tide_updated_at: T3 });
  },

  async 'deleted records are flagged, and come back when a newer live version arrives'(h) {
    const w = h.warehouse;
    await load(w, S, [[rec('1', T1, { n: 'x' }), rec('2', T1, { n: 'y' }, true)]], null);
    let rows = byId(await rawRows(w, S.source, S.stream));
    expect(rows.get('1')?._tide_deleted).toBe(false);
    expect(rows.get('2')?._tide_deleted).toBe(true);
    await load(w, S, [[rec('1', T2, { n: 'x' }, true), rec('2', T2, { n: 'y2' })]], null);
    rows = byId(await rawRows(w, S.source, S.stream));
    expect(rows.get('1')?._tide_deleted).toBe(true);
    expect(rows.get('2')).toMatchObject({ _tide_deleted: false, n: 'y2' });
  },

  async 'a new property mid-stream adds a column; unknown fields get a string column'(h) {
    const w = h.warehouse;
    await load(w, S, [[rec('1', T1, { name: 'one' })]], null, [{ name: 'name', type: 'string' }]);
    const pkg = await w.beginLoad({ ...S, runId: 'r', replace: false });
    await pkg.ensureColumns([{ name: 'name', type: 'string' }]);
    await pkg.append([rec('2', T2, { name: 'two' })]);
    await pkg.ensureColumns([{ name: 'dealScore', type: 'integer' }]);
    await pkg.append([rec('3', T3, { name: 'three', dealScore: '42', surprise: 17 })]);
    await pkg.commit(null);
    const rows = byId(await rawRows(w, S.source, S.stream));
    expect(rows.get('1')).toMatchObject({ name: 'one', deal_score: null, surprise: null });
    expect(rows.get('2')).toMatchObject({ name: 'two', deal_score: null });
    expect(rows.get('3')).toMatchObject({ name: 'three', deal_score: 42, surprise: '17' });
    expect(rows.get('3')?._tide_record).toEqual({ name: 'three', dealScore: '42', surprise: 17 });
  },

  async 'hostile and colliding names become distinct harmless columns that stay put'(h) {
    const w = h.warehouse;
    const hostile = '"; drop table x; --';
    const names = [
      hostile,
      'Email',
      'email',
      'E-Mail',
      '1st place',
      'Ünïcødé',
      'x'.repeat(100),
      'y'.repeat(100),
    ];
    const target = { source: 'crm"; drop', stream: 'deals; --' };
    const fields = Object.fromEntries(names.map((n, i) => [n, `v${i}`]));
    await load(
      w,
      target,
      [[rec('1', T1, fields)]],
      null,
      names.map((name) => ({ name, type: 'string' as const })),
    );
    const columns = normalizeNames(names);
    expect(new Set(columns.values()).size).toBe(names.length);
    const [row] = await rawRows(w, target.source, target.stream);
    for (const [i, name] of names.entries()) expect(row?.[columns.get(name)!], name).toBe(`v${i}`);
    expect(row?._tide_record).toEqual(fields);
    // A later load that only knows `Email` must still fill the column `Email` got the first time.
    await load(w, target, [[rec('2', T2, { Email: 'second' })]], null, [{ name: 'Email', type: 'string' }]);
    const rows = byId(await rawRows(w, target.source, target.stream));
    expect(rows.get('2')?.[columns.get('Email')!]).toBe('second');
    expect(rows.get('2')?.[columns.get('email')!]).toBeNull();
    expect(rawTableName(target.source, target.stream)).toMatch(/^[a-z0-9_]+$/);
  },

  async 'the cursor comes only from completed loads; a crashed package is invisible and reruns once'(h) {
    let w = h.warehouse;
    await load(w, S, [[rec('1', T1, { v: 'one' })]], cursorAt(T1, '1'));
    const crashed = await w.beginLoad({ ...S, runId: 'crash', replace: false });
    await crashed.append([rec('2', T2, { v: 'two' }), rec('1', T2, { v: 'one-new' })]);
    // No commit, no abort: the process "dies" here.
    if (h.persistent) w = await h.reopen();
    expect(await w.readCursor(S.source, S.stream)).toEqual(cursorAt(T1, '1'));
    expect(await rawRows(w, S.source, S.stream)).toHaveLength(1);
    const rerun = await load(
      w,
      S,
      [[rec('2', T2, { v: 'two' }), rec('1', T2, { v: 'one-new' })]],
      cursorAt(T2, '1', '2'),
    );
    expect(rerun.rowsWritten).toBe(2);
    const rows = await rawRows(w, S.source, S.stream);
    expect(rows.map((r) => [r._tide_id, r.v])).toEqual([
      ['1', 'one-new'],
      ['2', 'two'],
    ]);
    expect(await w.readCursor(S.source, S.stream)).toEqual(cursorAt(T2, '1', '2'));
    const [status] = await w.streamStatus();
    expect(status).toMatchObject({ lastLoadId: rerun.loadId, rowCount: 2 });
  },

  async 'abort writes nothing: rows, cursor and status stay as they were'(h) {
    const w = h.warehouse;
    const first = await load(w, S, [[rec('1', T1, { v: 'one' })]], cursorAt(T1, '1'));
    const statusBefore = await w.streamStatus();
    const pkg = await w.beginLoad({ ...S, runId: 'r', replace: true });
    await pkg.ensureColumns([{ name: 'extra', type: 'string' }]);
    await pkg.append([rec('1', T3, { v: 'changed', extra: 'e' }), rec('9', T3, { v: 'nine' })]);
    await pkg.abort();
    const rows = await rawRows(w, S.source, S.stream);
    expect(rows.map((r) => [r._tide_id, r.v, r._tide_deleted, r._tide_load_id])).toEqual([
      ['1', 'one', false, first.loadId],
    ]);
    expect(await w.readCursor(S.source, S.stream)).toEqual(cursorAt(T1, '1'));
    expect(await w.streamStatus()).toEqual(statusBefore);
    await expect(pkg.commit(cursorAt(T3))).rejects.toThrow();
  },

  async 'a replace load marks rows absent from it as deleted, and only those'(h) {
    const w = h.warehouse;
    await load(w, S, [[rec('a', T1, {}), rec('b', T1, {}), rec('c', T1, {})]], null);
    await load(w, { ...S, replace: true }, [[rec('a', T2, {})], [rec('c', T1, {})]], cursorAt(T2, 'a'));
    let rows = byId(await rawRows(w, S.source, S.stream));
    expect([...rows.values()].map((r) => [r._tide_id, r._tide_deleted])).toEqual([
      ['a', false],
      ['b', true],
      ['c', false],
    ]);
    expect((await w.streamStatus())[0]).toMatchObject({ rowCount: 3, deletedCount: 1 });
    // An incremental load leaves missing rows alone, and a newer `b` revives it.
    await load(w, S, [[rec('b', T3, {})]], null);
    rows = byId(await rawRows(w, S.source, S.stream));
    expect([...rows.values()].map((r) => r._tide_deleted)).toEqual([false, false, false]);
  },

  async 'a live-id listing marks rows neither listed nor loaded as deleted, and only those'(h) {
    const w = h.warehouse;
    const ids = ['a', 'b', 'c', 'd', 'e'];
    await load(w, S, [ids.map((id) => rec(id, T1, { v: id }))], cursorAt(T1, ...ids));
    // An incremental package: `a` changed (loaded), `b` and `d` still exist (listed, in two calls),
    // `c` and `e` are gone; `z` is new and listed only (its record comes in a later load).
    const pkg = await w.beginLoad({ ...S, runId: 'r', replace: false });
    await pkg.append([rec('a', T2, { v: 'a2' })]);
    await pkg.appendLiveIds(['b', 'z']);
    await pkg.appendLiveIds(['d']);
    const result = await pkg.commit(cursorAt(T2, 'a'));
    expect(result).toMatchObject({ rowsStaged: 1, rowsWritten: 1 });
    const rows = byId(await rawRows(w, S.source, S.stream));
    expect([...rows.values()].map((r) => [r._tide_id, r.v, r._tide_deleted])).toEqual([
      ['a', 'a2', false],
      ['b', 'b', false],
      ['c', 'c', true],
      ['d', 'd', false],
      ['e', 'e', true],
    ]);
    // Rows only listed keep their data and load id; the deleted ones carry this load's id.
    expect(rows.get('b')?._tide_load_id).not.toBe(result.loadId);
    expect(rows.get('c')?._tide_load_id).toBe(result.loadId);
    expect(await w.readCursor(S.source, S.stream)).toEqual(cursorAt(T2, 'a'));
    // An empty listing is still a listing: nothing exists any more.
    const none = await w.beginLoad({ ...S, runId: 'r2', replace: false });
    await none.appendLiveIds([]);
    await none.commit(null);
    expect((await w.streamStatus())[0]).toMatchObject({ rowCount: 5, deletedCount: 5 });
    // A package given no listing leaves missing rows alone; an aborted listing deletes nothing.
    await load(w, S, [[rec('b', T3, { v: 'b3' })]], null);
    const aborted = await w.beginLoad({ ...S, runId: 'r3', replace: false });
    await aborted.appendLiveIds([]);
    await aborted.abort();
    expect((await w.streamStatus())[0]).toMatchObject({ rowCount: 5, deletedCount: 4 });
  },

  async 'packages of two streams run concurrently without mixing'(h) {
    const w = h.warehouse;
    const streams = ['contacts', 'companies'];
    const packages = await Promise.all(
      streams.map((stream) => w.beginLoad({ source: 'crm', stream, runId: 'r', replace: false })),
    );
    await Promise.all(
      packages.map(async (pkg, s) => {
        await pkg.ensureColumns([{ name: `${streams[s]}_name`, type: 'string' }]);
        for (let batch = 0; batch < 5; batch++) {
          const records = Array.from({ length: 40 }, (_, i) =>
            rec(`${s}-${batch * 40 + i}`, T1, { [`${streams[s]}_name`]: `${streams[s]} ${batch * 40 + i}` }),
          );
          await pkg.append(records);
        }
      }),
    );
    const results = await Promise.all(packages.map((pkg, s) => pkg.commit(cursorAt(s === 0 ? T1 : T2))));
    expect(results.map((r) => r.rowsWritten)).toEqual([200, 200]);
    // One stream commits while the other is still appending to its open package.
    const [early, late] = await Promise.all(
      streams.map((stream) => w.beginLoad({ source: 'crm', stream, runId: 'r2', replace: false })),
    );
    await late!.append([rec('1-late-0', T2, { companies_name: 'companies late' })]);
    await Promise.all([
      (async () => {
        await early!.append([rec('0-early', T2, { contacts_name: 'contacts early' })]);
        await early!.commit(cursorAt(T2, '0-early'));
      })(),
      late!.append([rec('1-late-1', T2, { companies_name: 'companies late' })]),
    ]);
    await late!.commit(cursorAt(T3, '1-late-1'));
    for (const [s, stream] of streams.entries()) {
      const rows = await rawRows(w, 'crm', stream);
      expect(rows).toHaveLength(s === 0 ? 201 : 202);
      expect(rows.every((r) => String(r._tide_id).startsWith(`${s}-`))).toBe(true);
      expect(rows.every((r) => String(r[`${stream}_name`]).startsWith(stream))).toBe(true);
    }
    expect(await w.readCursor('crm', 'contacts')).toEqual(cursorAt(T2, '0-early'));
    expect(await w.readCursor('crm', 'companies')).toEqual(cursorAt(T3, '1-late-1'));
  },

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

  async 'query streams many rows, binds parameters and survives an early break'(h) {
    const w = h.warehouse;
    const n = 3000;
    const batches = Array.from({ length: 6 }, (_, b) =>
      Array.from({ length: n / 6 }, (_, i) => rec(String(b * (n / 6) + i).padStart(5, '0'), T1, { k: b })),
    );
    await load(w, S, batches, null, [{ name: 'k', type: 'integer' }]);
    const table = `raw.${rawTableName(S.source, S.stream)}`;
    let seen = 0;
    let previous = '';
    for await (const row of w.query(`SELECT _tide_id, k FROM ${table} ORDER BY _tide_id`)) {
      expect(String(row._tide_id) > previous).toBe(true);
      previous = String(row._tide_id);
      seen++;
    }
    expect(seen).toBe(n);
    for await (const _row of w.query(`SELECT * FROM ${table}`)) break;
    const counted = await collect(
      w.query(`SELECT count(*) AS n FROM ${table} WHERE k = ? AND _tide_id > ?`, [2, '01200']),
    );
    // Batch 2 holds ids 01000–01499; those after 01200 are 01201–01499.
    expect(counted).toEqual([{ n: 299 }]);
  },

  async 'values are coerced per column type; unparseable ones become NULL and stay in _tide_record'(h) {
    const w = h.warehouse;
    const fields = Object.fromEntries(COERCION_CASES.map((c, i) => [`c${i}`, c.input]));
    await load(
      w,
      S,
      [[rec('1', T1, fields)]],
      null,
      COERCION_CASES.map((c, i) => ({ name: `c${i}`, type: c.type })),
    );
    const [row] = await rawRows(w, S.source, S.stream);
    const got = COERCION_CASES.map((c, i) => ({ type: c.type, input: c.input, value: row?.[`c${i}`] }));
    const want = COERCION_CASES.map((c) => ({ type: c.type, input: c.input, value: c.expected }));
    expect(got).toEqual(want);
    expect(row?._tide_record).toEqual(fields);
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

  async 'a finished package refuses further work'(h) {
    const w = h.warehouse;
    const pkg = await w.beginLoad({ ...S, runId: 'r', replace: false });
    await pkg.append([rec('1', T1, {})]);
    await pkg.commit(null);
    await expect(pkg.append([rec('2', T1, {})])).rejects.toThrow();
    await expect(pkg.commit(null)).rejects.toThrow();
    expect(await rawRows(w, S.source, S.stream)).toHaveLength(1);
  },
};
