import { expect } from 'vitest';
import { rawTableName } from '../../load/warehouse.js';
import { S, T1 } from './warehouse-check-fixtures.js';
import { collect, load, rec, type WarehouseCheck } from './warehouse-harness.js';

/** Reading back through query(): streaming, parameters, and stopping early. */
export const queryChecks: Readonly<Record<string, WarehouseCheck>> = {
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
};
