import { recentHeavy, seedAnchorMs } from '../kit/seed-anchor.js';
import { SeededRandom } from '../kit/seeded-random.js';

/**
 * Seeded Pipedrive data ends at the start of the day the simulator runs (simulators/kit/
 * seed-anchor.ts), not at the wall clock's instant, so two simulators started the same day with the
 * same seed serve identical records. Mutations use the simulator clock instead.
 */
export const ANCHOR_MS = seedAnchorMs();
/** Records were created over the three years before the anchor. */
const SPAN_MS = 3 * 365 * 86_400_000;
/** A CSV import: this many consecutive records share one creation second. */
const IMPORT_BLOCK = 200;

/** Pipedrive v2 timestamps have whole seconds (`2025-01-01T10:20:00Z`): so does the simulator. */
export function toSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** RFC 3339 with whole seconds, as v2 returns `add_time` / `update_time`. */
export function rfc3339(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** v1's `YYYY-MM-DD HH:MM:SS` (UTC), used by users, fields and recents. */
export function v1Time(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A PRNG for one (seed, purpose, index) triple, so any record can be regenerated alone. */
export function rngFor(seed: number, tag: number, index: number): SeededRandom {
  return new SeededRandom(
    (Math.imul(seed ^ 0x3c6ef372, 0x9e3779b1) + Math.imul(tag, 0x7feb352d) + Math.imul(index, 0x846ca68b)) >>>
      0,
  );
}

export interface Times {
  readonly addMs: number;
  readonly updateMs: number;
}

/**
 * Creation and last-update seconds of seeded record `index` of `count`: creation spreads over the
 * span in index order (`recent`: denser towards the anchor, as activities are); one block in ten was
 * an import (every record created in the same second, most never edited since: ties the cursor must
 * break by id); the rest were edited at a random later time.
 */
export function seededTimes(seed: number, tag: number, index: number, count: number, recent = false): Times {
  const start = ANCHOR_MS - SPAN_MS;
  const n = Math.max(1, count);
  const at = (i: number): number => start + SPAN_MS * (recent ? recentHeavy(i / n) : i / n);
  const block = Math.floor(index / IMPORT_BLOCK);
  const r = rngFor(seed, tag, index);
  if (rngFor(seed, tag + 500, block).chance(0.1)) {
    const addMs = toSecond(at(block * IMPORT_BLOCK));
    return { addMs, updateMs: r.chance(0.2) ? toSecond(addMs + r.next() * (ANCHOR_MS - addMs)) : addMs };
  }
  const addMs = toSecond(at(index) + r.next() * (at(index + 1) - at(index)));
  const edited = r.chance(0.7);
  return { addMs, updateMs: edited ? toSecond(addMs + r.next() * (ANCHOR_MS - addMs)) : addMs };
}
