import { expect } from 'vitest';
import { byId, S, T1, T2, T3 } from './warehouse-check-fixtures.js';
import { cursorAt, load, rawRows, rec, type WarehouseCheck } from './warehouse-harness.js';

/**
 * Load packages: only a commit makes a package visible (a crash or abort leaves no trace), what a
 * replace or a live-id listing deletes, concurrent packages, and a finished package staying finished.
 */
export const packageChecks: Readonly<Record<string, WarehouseCheck>> = {
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
