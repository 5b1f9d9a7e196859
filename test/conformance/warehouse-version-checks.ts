import { expect } from 'vitest';
import { byId, S, T1, T2, T3 } from './warehouse-check-fixtures.js';
import { cursorAt, load, rawRows, rec, type WarehouseCheck } from './warehouse-harness.js';

/**
 * Loading records: the raw table a first load creates, and which version of a record a load keeps
 * (newest wins, whatever order, duplicates or clocks it arrives with; deletes are a version too).
 */
export const versionChecks: Readonly<Record<string, WarehouseCheck>> = {
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
};
