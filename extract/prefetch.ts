/**
 * Keeps one item of an async iterator in flight while the consumer works on the current one, so a
 * paginated read overlaps the next HTTP round trip with loading the page it already has. Order is
 * unchanged; at most one extra page is held in memory.
 */
export async function* prefetch<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let pending = iterator.next();
  try {
    for (;;) {
      const current = await pending;
      if (current.done) return;
      pending = iterator.next();
      // A rejection of the prefetched page surfaces on the next await; mark it handled meanwhile.
      pending.catch(() => {});
      yield current.value;
    }
  } finally {
    await iterator.return?.();
  }
}
