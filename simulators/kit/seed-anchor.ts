import { SeededRandom } from './seeded-random.js';

const DAY_MS = 86_400_000;

/**
 * The instant a simulator's seeded data ends ("now" for its history): 00:00 UTC of the day the
 * simulator starts, so the demo's activities, deals and last-modified times are recent whatever the
 * date (a fixed anchor left every activity outside the scores' 90-day window a few months later).
 * Seeded data stays deterministic for a given seed and date: two starts on the same day serve the
 * same records. `TIDE_SIM_ANCHOR_DATE=YYYY-MM-DD` pins the date (reproducing a run of another day).
 * Every simulator takes its anchor from here, so the CRMs of one demo share one timeline.
 */
export function seedAnchorMs(now: number = Date.now(), env: NodeJS.ProcessEnv = process.env): number {
  const pinned = env['TIDE_SIM_ANCHOR_DATE'];
  if (pinned !== undefined && pinned !== '') {
    const ms = Date.parse(`${pinned}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(pinned) || !Number.isFinite(ms)) {
      throw new Error(`TIDE_SIM_ANCHOR_DATE must be a date like 2026-01-31, not "${pinned}"`);
    }
    return ms;
  }
  return Math.floor(now / DAY_MS) * DAY_MS;
}

/**
 * Where activity `index` of `count` falls on a history of activities, as a share of its span
 * (0 = its start, 1 = the anchor): activities pile up towards the present the way a CRM's do (about
 * 30% of them in the last 90 days of a 4-year history), instead of spreading evenly. Monotonic in
 * `x`, so records created in index order stay in order.
 */
export function recentHeavy(x: number): number {
  return 1 - (1 - Math.min(1, Math.max(0, x))) ** 2.3;
}

/**
 * About one person in sixteen of the shared universe is in an active buying cycle: a pure function of
 * (seed, person), so the same person is busy in every CRM and their activities add up across them.
 */
export function isEngagedPerson(seed: number, person: number): boolean {
  return new SeededRandom(
    (Math.imul(seed ^ 0x2545f491, 0x9e3779b1) + Math.imul(person, 0x27d4eb2d)) >>> 0,
  ).chance(1 / 16);
}

/**
 * Picks the person record an activity involves: half of the activities go to the engaged people's
 * records, the rest to any record. `personOf(slot)` is the universe person of record slot `slot`.
 */
export class ActivityTargets {
  readonly #count: number;
  readonly #engaged: Int32Array;

  constructor(seed: number, count: number, personOf: (slot: number) => number) {
    this.#count = count;
    const engaged: number[] = [];
    for (let slot = 0; slot < count; slot++) if (isEngagedPerson(seed, personOf(slot))) engaged.push(slot);
    this.#engaged = Int32Array.from(engaged);
  }

  pick(r: SeededRandom): number {
    if (this.#engaged.length > 0 && r.chance(0.5)) return this.#engaged[r.int(this.#engaged.length)]!;
    return r.int(this.#count);
  }
}
