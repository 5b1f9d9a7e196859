import { describe, expect, it } from 'vitest';
import { ObjectTable } from '../../../simulators/hubspot/object-table.js';
import { SeededRandom } from '../../../simulators/kit/seeded-random.js';

/** The order the index must keep: live rows by (last-modified, id), recomputed the slow way. */
function bruteForce(table: ObjectTable): number[] {
  const live: number[] = [];
  for (let slot = 0; slot < table.size; slot++) if (!table.isArchived(slot)) live.push(slot);
  return live.sort((a, b) => table.modifiedMs(a) - table.modifiedMs(b) || table.id(a) - table.id(b));
}

describe('the (last-modified, id) index behind incremental search', () => {
  it('matches a full re-sort through seeding, edits (often sharing a ms), archives and appends', () => {
    const r = new SeededRandom(42);
    const table = new ObjectTable('contacts');
    for (let i = 0; i < 2000; i++) {
      table.append({
        id: 51 + i * 50,
        createdMs: 1000 + i,
        modifiedMs: 1000 + r.int(300),
        archivedMs: r.chance(0.05) ? 5000 : Number.NaN,
        base: i,
        kind: 0,
      });
    }
    table.endSeeding();
    expect(Array.from(table.modifiedIndex.sorted())).toEqual(bruteForce(table));

    for (let round = 0; round < 30; round++) {
      for (let k = 0; k < 1 + r.int(60); k++) {
        const slot = r.int(table.size);
        const action = r.int(4);
        if (action === 0) table.archive(slot, 900 + r.int(800));
        else if (action === 1)
          table.append({
            id: table.maxId + 50,
            createdMs: 1,
            modifiedMs: 900 + r.int(800),
            archivedMs: Number.NaN,
            base: -1,
            kind: 0,
          });
        // Old timestamps too: loads and edits do not only move records to the end.
        else table.touch(slot, round % 3 === 0 ? 1150 : 900 + r.int(800));
      }
      expect(Array.from(table.modifiedIndex.sorted()), `round ${round}`).toEqual(bruteForce(table));
    }
    const index = table.modifiedIndex;
    const sorted = index.sorted();
    const at = index.lowerBound(1150);
    expect(table.modifiedMs(sorted[at]!)).toBeGreaterThanOrEqual(1150);
    expect(at === 0 || table.modifiedMs(sorted[at - 1]!) < 1150).toBe(true);
    const past = index.upperBound(1150);
    expect(past === sorted.length || table.modifiedMs(sorted[past]!) > 1150).toBe(true);
    expect(past - at).toBeGreaterThan(10);
  });
});
