import { describe, expect, it } from 'vitest';
import { toIso } from '../../core/cursor-state.js';
import { CursorTracker, laterCursor, lowerBound } from '../../extract/cursor.js';

const t = (s: string): string => toIso(`2026-01-01T00:00:${s}Z`);
const runStart = new Date('2026-06-01T00:00:00Z');

describe('cursor math', () => {
  it('starts from the start date on a first run and from cursor − overlap afterwards (inclusive)', () => {
    expect(lowerBound(null, { overlapMs: 60_000, startDate: null })).toBeNull();
    expect(lowerBound(null, { overlapMs: 60_000, startDate: '2025-01-01' })?.toISOString()).toBe(
      '2025-01-01T00:00:00.000Z',
    );
    expect(
      lowerBound({ value: t('10'), ids: [] }, { overlapMs: 5_000, startDate: '2020-01-01' })?.toISOString(),
    ).toBe(t('05'));
  });

  it('keeps the ids seen at the newest value and resets them when the value moves', () => {
    const tracker = new CursorTracker(null, runStart);
    tracker.observe({ id: 'a', updatedAt: t('01') });
    tracker.observe({ id: 'b', updatedAt: t('02') });
    tracker.observe({ id: 'c', updatedAt: t('02') });
    expect(tracker.state()).toEqual({ value: t('02'), ids: ['b', 'c'] });
    tracker.observe({ id: 'd', updatedAt: t('03') });
    expect(tracker.state()).toEqual({ value: t('03'), ids: ['d'] });
  });

  it('drops ties already loaded at the previous cursor value but keeps new ties and overlap re-reads', () => {
    const tracker = new CursorTracker({ value: t('05'), ids: ['x', 'y'] }, runStart);
    expect(tracker.observe({ id: 'x', updatedAt: t('05') })).toBe(false);
    expect(tracker.observe({ id: 'z', updatedAt: t('05') })).toBe(true);
    // Same id at an older value inside the overlap window: could be a lagging index write, keep it.
    expect(tracker.observe({ id: 'y', updatedAt: t('04') })).toBe(true);
    // Same id, newer version.
    expect(tracker.observe({ id: 'x', updatedAt: t('06') })).toBe(true);
    expect(tracker.state()).toEqual({ value: t('06'), ids: ['x'] });
  });

  it('keeps the previous ids when the run sees nothing newer (empty pages do not lose ties)', () => {
    const previous = { value: t('05'), ids: ['x'] };
    const tracker = new CursorTracker(previous, runStart);
    expect(tracker.state()).toEqual(previous);
    tracker.observe({ id: 'z', updatedAt: t('05') });
    expect(tracker.state()).toEqual({ value: t('05'), ids: ['x', 'z'] });
    tracker.observe({ id: 'w', updatedAt: t('01') });
    expect(tracker.state()).toEqual({ value: t('05'), ids: ['x', 'z'] });
  });

  it('returns null for a first run that saw nothing', () => {
    expect(new CursorTracker(null, runStart).state()).toBeNull();
  });

  it('never moves past the moment the run started', () => {
    const tracker = new CursorTracker(null, new Date(t('10')));
    tracker.observe({ id: 'a', updatedAt: t('09') });
    tracker.observe({ id: 'late', updatedAt: t('30') });
    const state = tracker.state();
    expect(state?.value).toBe(t('10'));
    // The late record is not at the capped value, so the next run reads it again (harmless upsert).
    expect(state?.ids).toEqual([]);
  });

  it("takes the later of two reads' cursors, joining their ids at one value", () => {
    const pages = { value: t('05'), ids: ['a'] };
    expect(laterCursor(pages, null)).toBe(pages);
    expect(laterCursor(null, pages)).toBe(pages);
    expect(laterCursor(pages, { value: t('07'), ids: ['x'] })).toEqual({ value: t('07'), ids: ['x'] });
    expect(laterCursor(pages, { value: t('04'), ids: ['x'] })).toBe(pages);
    expect(laterCursor({ value: t('05'), ids: ['c', 'a'] }, { value: t('05'), ids: ['b', 'a'] })).toEqual({
      value: t('05'),
      ids: ['a', 'b', 'c'],
    });
  });
});
