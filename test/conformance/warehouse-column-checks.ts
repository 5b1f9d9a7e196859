import { expect } from 'vitest';
import { normalizeNames } from '../../load/normalize-name.js';
import { rawTableName } from '../../load/warehouse.js';
import { COERCION_CASES } from './coercion-cases.js';
import { byId, S, T1, T2, T3 } from './warehouse-check-fixtures.js';
import { load, rawRows, rec, type WarehouseCheck } from './warehouse-harness.js';

/** Raw table columns: added as properties appear, named safely, and typed by coercing each value. */
export const columnChecks: Readonly<Record<string, WarehouseCheck>> = {
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
};
