import { describe, expect, it } from 'vitest';
import {
  ActivityTargets,
  isEngagedPerson,
  recentHeavy,
  seedAnchorMs,
} from '../../../simulators/kit/seed-anchor.js';
import { SeededRandom } from '../../../simulators/kit/seeded-random.js';

describe('the seed anchor every simulator shares', () => {
  it('is the start of the run date (UTC), or the pinned TIDE_SIM_ANCHOR_DATE', () => {
    expect(seedAnchorMs(Date.parse('2026-12-07T13:45:00Z'), {})).toBe(Date.parse('2026-12-07T00:00:00Z'));
    // Same day, same anchor: seeded data is deterministic for a seed and a date.
    expect(seedAnchorMs(Date.parse('2026-12-07T23:59:59Z'), {})).toBe(Date.parse('2026-12-07T00:00:00Z'));
    expect(seedAnchorMs(Date.parse('2026-12-08T00:00:01Z'), {})).toBe(Date.parse('2026-12-08T00:00:00Z'));
    expect(seedAnchorMs(Date.now(), { TIDE_SIM_ANCHOR_DATE: '2025-03-01' })).toBe(
      Date.parse('2025-03-01T00:00:00Z'),
    );
    expect(() => seedAnchorMs(Date.now(), { TIDE_SIM_ANCHOR_DATE: 'yesterday' })).toThrow(/like 2026-01-31/);
  });

  it('puts about 30% of a 4-year activity history in its last 90 days, in index order', () => {
    const n = 10_000;
    const positions = Array.from({ length: n }, (_, i) => recentHeavy(i / n));
    for (let i = 1; i < n; i++) expect(positions[i]!).toBeGreaterThanOrEqual(positions[i - 1]!);
    const recent = positions.filter((p) => p >= 1 - 90 / 1460).length / n;
    expect(recent).toBeGreaterThan(0.25);
    expect(recent).toBeLessThan(0.35);
  });

  it('sends half of the activities to the engaged people, the same people in every CRM', () => {
    const people = 4_000;
    const engaged = Array.from({ length: people }, (_, p) => isEngagedPerson(7, p)).filter(Boolean).length;
    expect(engaged / people).toBeGreaterThan(0.04);
    expect(engaged / people).toBeLessThan(0.09);
    // Slots are a CRM's records; here record slot s holds person 2s (every other person).
    const targets = new ActivityTargets(7, people / 2, (slot) => slot * 2);
    const r = new SeededRandom(1);
    let toEngaged = 0;
    for (let i = 0; i < 10_000; i++) if (isEngagedPerson(7, targets.pick(r) * 2)) toEngaged++;
    expect(toEngaged / 10_000).toBeGreaterThan(0.45);
    expect(toEngaged / 10_000).toBeLessThan(0.6);
  });
});
