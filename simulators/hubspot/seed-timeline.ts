import { recentHeavy, seedAnchorMs } from '../kit/seed-anchor.js';
import { SeededRandom } from '../kit/seeded-random.js';

/**
 * Seeded data ends at the start of the day the simulator runs (simulators/kit/seed-anchor.ts), not at
 * the wall clock's instant, so two simulators started the same day with the same seed serve
 * byte-identical records (mutations made at start use the clock instead).
 */
export const ANCHOR_MS = seedAnchorMs();
/** Records were created over the four years before the anchor. */
const SPAN_MS = 4 * 365 * 86_400_000;
/** Import blocks: consecutive records created in one CSV import share one millisecond. */
export const IMPORT_BLOCK = 250;

/** A PRNG for one (seed, purpose, index) triple: any record can be regenerated alone. */
export function rngFor(seed: number, tag: number, index: number): SeededRandom {
  return new SeededRandom(
    (Math.imul(seed ^ 0x27d4eb2f, 0x165667b1) + Math.imul(tag, 0x9e3779b1) + Math.imul(index, 0x85ebca77)) >>>
      0,
  );
}

/** A cheap 32-bit mix for sparse seeded values (no PRNG object per call). */
export function mix(a: number, b: number, c: number): number {
  let h =
    Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be59b, 0xc2b2ae35) ^ Math.imul(c, 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

export interface Timeline {
  readonly createdMs: number;
  readonly modifiedMs: number;
}

/**
 * Created/modified times for record `index` of `count`: creation spreads over the span in index
 * order (`recent`: denser towards the anchor, as activities are); about one block in five was a bulk
 * import (every record in it created at the same ms, most never edited since), the rest were edited
 * at a random later time.
 */
export function timelineFor(
  seed: number,
  tag: number,
  index: number,
  count: number,
  recent = false,
): Timeline {
  const start = ANCHOR_MS - SPAN_MS;
  const n = Math.max(1, count);
  const at = (i: number): number => start + Math.floor(SPAN_MS * (recent ? recentHeavy(i / n) : i / n));
  const block = Math.floor(index / IMPORT_BLOCK);
  const r = rngFor(seed, tag, index);
  if (rngFor(seed, tag + 1000, block).chance(0.2)) {
    const createdMs = at(block * IMPORT_BLOCK);
    const edited = r.chance(0.3);
    return { createdMs, modifiedMs: edited ? createdMs + r.int(ANCHOR_MS - createdMs) : createdMs };
  }
  const createdMs = at(index) + r.int(Math.max(1, at(index + 1) - at(index)));
  return { createdMs, modifiedMs: createdMs + Math.floor(r.next() * (ANCHOR_MS - createdMs)) };
}
