/**
 * Keeps one item of an async iterator in flight while the consumer works on the current one, so a
 * paginated read overlaps the next HTTP round trip with loading the page it already has. Order is
 * unchanged; at most one extra page is held in memory.
 */
export function prefetch<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  return readAhead(source, { limit: 1 });
}

export interface ReadAheadOptions<T> {
  /** How much may wait for the consumer: items, or the sum of `weight` over the items waiting. */
  readonly limit: number;
  /** An item's share of `limit` (default 1: count items). A batch's record count, for example. */
  readonly weight?: (item: T) => number;
}

/**
 * Pulls from `source` in the background while the consumer is busy, up to `limit` waiting (back-
 * pressure, not buffering: a full queue stops the pulling until the consumer takes an item). The
 * extract runner reads a stream's batches through it so fetching goes on while a load package
 * commits. Order is kept; an error of the source arrives after every item read before it, at the
 * position it happened. When the consumer stops early (break, throw), the source is closed as soon
 * as its pending `next()` settles, so its `finally` blocks run.
 */
export async function* readAhead<T>(
  source: AsyncIterable<T>,
  options: ReadAheadOptions<T>,
): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const weightOf = options.weight ?? (() => 1);
  const queue: { readonly item: T; readonly weight: number }[] = [];
  let queued = 0;
  let ended = false;
  let failure: { readonly error: unknown } | null = null;
  let stopped = false;
  // Who waits: the consumer for an item, the puller for room.
  const waiting: { consumer: (() => void) | null; puller: (() => void) | null } = {
    consumer: null,
    puller: null,
  };
  const wake = (who: 'consumer' | 'puller'): void => {
    const resolve = waiting[who];
    waiting[who] = null;
    resolve?.();
  };

  const pull = async (): Promise<void> => {
    try {
      while (!stopped) {
        // An item larger than the limit still passes once the queue is empty: never a deadlock.
        while (queued >= options.limit && queue.length > 0 && !stopped) {
          await new Promise<void>((resolve) => {
            waiting.puller = resolve;
          });
        }
        if (stopped) break;
        const next = await iterator.next();
        if (next.done === true) break;
        const weight = weightOf(next.value);
        queue.push({ item: next.value, weight });
        queued += weight;
        wake('consumer');
      }
    } catch (error) {
      failure = { error };
    } finally {
      ended = true;
      wake('consumer');
    }
  };
  const pulling = pull();

  try {
    for (;;) {
      const head = queue.shift();
      if (head !== undefined) {
        queued -= head.weight;
        wake('puller');
        yield head.item;
        continue;
      }
      if (ended) {
        if (failure !== null) throw (failure as { readonly error: unknown }).error;
        return;
      }
      await new Promise<void>((resolve) => {
        waiting.consumer = resolve;
      });
    }
  } finally {
    stopped = true;
    wake('puller');
    await pulling;
    await iterator.return?.();
  }
}

/**
 * Items of several async sources as they arrive, each source read ahead by its own loop (parallel
 * reads of one stream: id-range chains), up to `limit` waiting per source. The first error ends the
 * merge (the other sources are closed); order between sources is not kept.
 */
export async function* mergeAsOfArrival<T>(
  sources: readonly AsyncIterable<T>[],
  options: ReadAheadOptions<T>,
): AsyncGenerator<T> {
  if (sources.length === 1) {
    yield* readAhead(sources[0]!, options);
    return;
  }
  const readers = sources.map((s) => readAhead(s, options));
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const ask = (index: number): void => {
    pending.set(
      index,
      readers[index]!.next().then((result) => ({ index, result })),
    );
  };
  for (let index = 0; index < readers.length; index++) ask(index);
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done === true) {
        pending.delete(index);
        continue;
      }
      ask(index);
      yield result.value;
    }
  } finally {
    // Settle what is in flight (a rejection here is the error already thrown, or moot), then close.
    await Promise.allSettled(pending.values());
    await Promise.allSettled(readers.map((r) => r.return(undefined)));
  }
}
