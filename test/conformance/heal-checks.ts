import { expect } from 'vitest';
import { S, T1, T2 } from './warehouse-check-fixtures.js';
import type { WarehouseCheck } from './warehouse-harness.js';
import { collect, cursorAt, load, rawRows, rec } from './warehouse-harness.js';

const COLUMNS = [
  { name: 'firstName', type: 'string' as const },
  { name: 'score', type: 'number' as const },
];

/**
 * Raw tables heal (issue 16): a raw table changed outside Tide is put back as `tide.columns` records
 * it, the stream is read again in full, and that need survives a run that stops before its reload.
 * Statements here are plain enough for both warehouses (`DROP TABLE raw.x`, `ALTER TABLE … DROP
 * COLUMN`); a retyped column is DuckDB-only (test/load/raw-table-heal.test.ts).
 */
export const healChecks: Readonly<Record<string, WarehouseCheck>> = {
  async 'a raw table dropped outside Tide is recreated with its recorded columns, and read again in full'(h) {
    const w = h.warehouse;
    expect(await w.healRawTable(S.source, S.stream)).toEqual({ repaired: null, reloadAll: false });
    await load(w, S, [[rec('1', T1, { firstName: 'Ada', score: 3 })]], cursorAt(T1, '1'), COLUMNS);
    expect(await w.healRawTable(S.source, S.stream)).toEqual({ repaired: null, reloadAll: false });

    await w.execute('DROP TABLE raw.crm__contacts');
    const healed = await w.healRawTable(S.source, S.stream);
    expect(healed.reloadAll).toBe(true);
    expect(healed.repaired).toMatch(/raw\.crm__contacts is missing/);
    expect(await rawRows(w, S.source, S.stream)).toEqual([]);

    // The run that repaired it stopped before its reload: the next one still reloads.
    expect(await w.healRawTable(S.source, S.stream)).toMatchObject({ reloadAll: true });
    await load(
      w,
      { ...S, replace: true },
      [[rec('1', T1, { firstName: 'Ada', score: 3 }), rec('2', T2, { firstName: 'Bo', score: 4 })]],
      cursorAt(T2, '2'),
      COLUMNS,
    );
    expect(await w.healRawTable(S.source, S.stream)).toEqual({ repaired: null, reloadAll: false });
    const rows = await rawRows(w, S.source, S.stream);
    expect(rows.map((r) => [r._tide_id, r.first_name, r.score])).toEqual([
      ['1', 'Ada', 3],
      ['2', 'Bo', 4],
    ]);
  },

  async 'a raw-table column dropped outside Tide is added back, and the stream read again in full'(h) {
    const w = h.warehouse;
    await load(w, S, [[rec('1', T1, { firstName: 'Ada', score: 3 })]], cursorAt(T1, '1'), COLUMNS);
    await w.execute('ALTER TABLE raw.crm__contacts DROP COLUMN score');
    const healed = await w.healRawTable(S.source, S.stream);
    expect(healed).toMatchObject({ reloadAll: true });
    expect(healed.repaired).toMatch(/column score is missing/);
    const [row] = await rawRows(w, S.source, S.stream);
    expect(row).toHaveProperty('score', null);
    expect(row).toHaveProperty('first_name', 'Ada');
    await load(w, { ...S, replace: true }, [[rec('1', T1, { firstName: 'Ada', score: 3 })]], null, COLUMNS);
    expect((await rawRows(w, S.source, S.stream))[0]).toHaveProperty('score', 3);
    expect(await w.healRawTable(S.source, S.stream)).toEqual({ repaired: null, reloadAll: false });
    // Healing never moves the cursor: the reload's own commit does.
    expect(await w.readCursor(S.source, S.stream)).toEqual(cursorAt(T1, '1'));
    expect(
      await collect(w.query(`SELECT status FROM tide.loads WHERE stream = 'contacts' ORDER BY completed_at`)),
    ).toEqual([{ status: 'completed' }, { status: 'healed' }, { status: 'completed' }]);
  },
};
