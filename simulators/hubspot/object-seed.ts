import type { Seeder } from '../kit/seeder.js';
import type { ObjectType } from './hubspot-object-types.js';
import type { ObjectTable, PropertyValues } from './object-table.js';
import { rngFor, timelineFor } from './seed-timeline.js';

/** Where each object type's ids start and how they step: far apart, and past 2^32 for some types. */
export const ID_SCHEME: Readonly<Record<ObjectType, { readonly first: number; readonly step: number }>> = {
  // Real contact ids step by 50 in many portals ("51", "101"): sorting them as strings is wrong.
  contacts: { first: 51, step: 50 },
  companies: { first: 5_000_000_001, step: 3 },
  deals: { first: 9_100_000_001, step: 7 },
  calls: { first: 30_000_000_001, step: 1 },
  emails: { first: 31_000_000_001, step: 1 },
  meetings: { first: 32_000_000_001, step: 1 },
  notes: { first: 33_000_000_001, step: 1 },
  tasks: { first: 34_000_000_001, step: 1 },
};

/**
 * One object type's seeded records (the kit's convention): rows at start, property values recomputed
 * on demand for rows whose `base` is >= 0 (system properties excluded).
 */
export type ObjectSeeder = Seeder<ObjectTable, PropertyValues>;

/** Row kinds shared by the seeders. */
export const KIND = {
  normal: 0,
  duplicate: 1,
  mergedLoser: 2,
  winnerOfOne: 3,
  winnerOfTwo: 4,
  deleted: 5,
  mergedLoserSecond: 6,
} as const;

/**
 * Appends `count` rows of a simple object (row i = generator index i) on the seeded timeline (`recent`:
 * denser towards the anchor), 1% of them deleted at their last modification.
 */
export function seedRows(table: ObjectTable, seed: number, count: number, tag: number, recent = false): void {
  const { first, step } = ID_SCHEME[table.type];
  for (let i = 0; i < count; i++) {
    const t = timelineFor(seed, tag, i, count, recent);
    const deleted = rngFor(seed, tag + 2, i).chance(0.01);
    table.append({
      id: first + i * step,
      createdMs: t.createdMs,
      modifiedMs: t.modifiedMs,
      archivedMs: deleted ? t.modifiedMs : Number.NaN,
      base: i,
      kind: deleted ? KIND.deleted : KIND.normal,
    });
  }
}
