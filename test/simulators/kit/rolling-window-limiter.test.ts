import { describe, expect, it } from 'vitest';
import { RollingWindowLimiter } from '../../../simulators/kit/rolling-window-limiter.js';

describe('RollingWindowLimiter', () => {
  it('admits `limit` requests per window, does not count rejections, and refills as requests age out', () => {
    const limiter = new RollingWindowLimiter(3, 2000);
    expect([0, 100, 200].map((t) => limiter.tryAcquire(t))).toEqual([true, true, true]);
    expect(limiter.tryAcquire(300)).toBe(false);
    expect(limiter.tryAcquire(1999)).toBe(false);
    expect(limiter.remaining(1999)).toBe(0);
    // The request at 0 leaves the window at 2000; the rejected ones never entered it.
    expect(limiter.tryAcquire(2000)).toBe(true);
    expect(limiter.tryAcquire(2000)).toBe(false);
    expect(limiter.remaining(2150)).toBe(1);
  });

  it('says in whole seconds when the oldest request leaves the window', () => {
    const limiter = new RollingWindowLimiter(2, 10_000);
    expect(limiter.resetSeconds(0)).toBe(0);
    limiter.tryAcquire(1000);
    limiter.tryAcquire(4000);
    expect(limiter.resetSeconds(1000)).toBe(10);
    expect(limiter.resetSeconds(10_500)).toBe(1);
    expect(limiter.resetSeconds(11_000)).toBe(3);
  });

  it('is off at 0 and starts a fresh window when the limit changes', () => {
    const limiter = new RollingWindowLimiter(1, 1000);
    expect(limiter.tryAcquire(0)).toBe(true);
    expect(limiter.tryAcquire(1)).toBe(false);
    limiter.setLimit(0);
    for (let t = 0; t < 50; t++) expect(limiter.tryAcquire(t)).toBe(true);
    expect(limiter.remaining(50)).toBe(Number.POSITIVE_INFINITY);
    limiter.setLimit(2);
    expect([limiter.tryAcquire(60), limiter.tryAcquire(61), limiter.tryAcquire(62)]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('keeps its count right across the clean-up of a long run', () => {
    const limiter = new RollingWindowLimiter(10, 100);
    let admitted = 0;
    for (let t = 0; t < 100_000; t++) if (limiter.tryAcquire(t)) admitted++;
    // 10 per 100 ms over 100 s.
    expect(admitted).toBe(10_000);
  });
});
