import { describe, expect, it } from 'vitest';
import { mergeAsOfArrival, prefetch, readAhead } from '../../extract/prefetch.js';

/** A source that records how far it has been pulled, and whether it was closed. */
function counted(items: number, options: { failAt?: number } = {}) {
  const state = { pulled: 0, closed: false };
  async function* gen(): AsyncGenerator<number> {
    try {
      for (let i = 0; i < items; i++) {
        if (options.failAt === i) throw new Error(`source failed at ${i}`);
        state.pulled = i + 1;
        yield i;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, source: gen() };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('readAhead', () => {
  it('keeps order and reads on while the consumer is busy, up to the limit', async () => {
    const { state, source } = counted(50);
    const reader = readAhead(source, { limit: 10 });
    const first = await reader.next();
    expect(first.value).toBe(0);
    // The consumer is "committing": the source is pulled ahead, but not past the limit.
    await tick();
    expect(state.pulled).toBe(11);
    const rest: number[] = [];
    for await (const item of reader) rest.push(item);
    expect([first.value, ...rest]).toEqual([...Array(50).keys()]);
    expect(state.closed).toBe(true);
  });

  it('bounds by weight: a batch of records counts as its records', async () => {
    const { state, source } = counted(100);
    const reader = readAhead(source, { limit: 30, weight: () => 10 });
    await reader.next();
    await tick();
    // 3 batches of 10 wait (30), the one taken makes 4 pulled.
    expect(state.pulled).toBe(4);
    await reader.return(undefined);
  });

  it('delivers every item read before an error, then the error', async () => {
    const { source } = counted(10, { failAt: 6 });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of readAhead(source, { limit: 100 })) seen.push(item);
      })(),
    ).rejects.toThrow('source failed at 6');
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('closes the source when the consumer stops early', async () => {
    const { state, source } = counted(1000);
    for await (const item of readAhead(source, { limit: 5 })) if (item === 2) break;
    expect(state.closed).toBe(true);
    expect(state.pulled).toBeLessThan(10);
  });

  it('prefetch is a read-ahead of one item', async () => {
    const { state, source } = counted(5);
    const reader = prefetch(source);
    await reader.next();
    await tick();
    expect(state.pulled).toBe(2);
    await reader.return(undefined);
  });
});

describe('mergeAsOfArrival', () => {
  it('yields every item of every source exactly once', async () => {
    const sources = [counted(30).source, counted(7).source, counted(0).source, counted(19).source];
    const seen: number[] = [];
    for await (const item of mergeAsOfArrival(sources, { limit: 3 })) seen.push(item);
    expect(seen.length).toBe(56);
    expect([...seen].sort((a, b) => a - b)).toEqual(
      [...Array(30).keys(), ...Array(7).keys(), ...Array(19).keys()].sort((a, b) => a - b),
    );
  });

  it('reads the sources concurrently: a slow source does not hold the others back', async () => {
    async function* slow(): AsyncGenerator<string> {
      await new Promise((r) => setTimeout(r, 200));
      yield 'slow';
    }
    async function* fast(): AsyncGenerator<string> {
      yield 'fast-1';
      yield 'fast-2';
    }
    const seen: string[] = [];
    for await (const item of mergeAsOfArrival([slow(), fast()], { limit: 2 })) seen.push(item);
    expect(seen).toEqual(['fast-1', 'fast-2', 'slow']);
  });

  it('ends with the first error and closes the other sources', async () => {
    const healthy = counted(1000);
    const failing = counted(10, { failAt: 3 });
    await expect(
      (async () => {
        for await (const _ of mergeAsOfArrival([healthy.source, failing.source], { limit: 2 })) {
          // consume
        }
      })(),
    ).rejects.toThrow('source failed at 3');
    expect(healthy.state.closed).toBe(true);
  });
});
