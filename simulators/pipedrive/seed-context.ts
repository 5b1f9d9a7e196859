import type { ActivityTargets } from '../kit/seed-anchor.js';
import type { SeededRandom } from '../kit/seeded-random.js';
import type { Seeder } from '../kit/seeder.js';
import { companyCount, holds, type UniverseShare } from '../kit/universe.js';
import type { EntityTable } from './entity-table.js';
import type { FieldCatalog, FieldDef } from './field-catalog.js';
import { seededTimes } from './pipedrive-time.js';

/** What every seeder needs: the seed, the shared universe and the account's users and fields. */
export interface SeedContext {
  readonly seed: number;
  /** Size of the shared people universe (the same `scale` the other CRM simulators get). */
  readonly universe: number;
  /** Universe index of each Pipedrive person, by person slot. */
  readonly held: Int32Array;
  readonly companies: number;
  readonly userIds: readonly number[];
  readonly catalog: FieldCatalog;
  /** Which person slot an activity involves (engaged people get half of them). */
  readonly activityTargets: ActivityTargets;
}

/** One object's seeded records (the kit's convention): rows at start, v2 values recomputed on demand. */
export type RecordSeeder = Seeder<EntityTable, Record<string, unknown>>;

/**
 * Appends `count` seeded rows on the seeded timeline: row i has id i + 1 and is generator index i.
 * `tag` keeps each object's timeline apart; `recent`: denser towards the anchor (activities).
 */
export function seedRows(
  ctx: SeedContext,
  table: EntityTable,
  tag: number,
  count: number,
  recent = false,
): void {
  for (let i = 0; i < count; i++) {
    const t = seededTimes(ctx.seed, tag, i, count, recent);
    table.append({ id: i + 1, addMs: t.addMs, updateMs: t.updateMs, base: i });
  }
}

/** Pipedrive (a team's pipeline) holds about 35% of the universe's people. */
export const PIPEDRIVE_PEOPLE: UniverseShare = { share: 0.35, stream: 13 };

/** Pipedrive holds about a third of the universe (a sales team's pipeline). */
export function heldPeople(seed: number, universe: number): Int32Array {
  const out = new Int32Array(universe);
  let n = 0;
  for (let i = 0; i < universe; i++) if (holds(seed, PIPEDRIVE_PEOPLE, i)) out[n++] = i;
  return out.slice(0, Math.max(1, n));
}

export function companiesOf(universe: number): number {
  return companyCount(universe);
}

/** A seeded value for a custom field, in the shape v2 returns (option ids for enum and set). */
export function customValue(def: FieldDef, r: SeededRandom, hint: string): unknown {
  switch (def.fieldType) {
    case 'double':
      return Math.round(r.next() * 1000) / 10;
    case 'enum':
      return r.pick(def.options ?? [{ id: 0, label: '' }]).id;
    case 'set': {
      const options = def.options ?? [];
      const picked = options.filter(() => r.chance(0.4)).map((o) => o.id);
      return picked.length > 0 ? picked : [options[0]?.id ?? 0];
    }
    case 'date':
      return `2026-${String(1 + r.int(12)).padStart(2, '0')}-${String(1 + r.int(28)).padStart(2, '0')}`;
    case 'monetary':
      return { value: r.int(100_000), currency: 'USD' };
    default:
      return hint;
  }
}
