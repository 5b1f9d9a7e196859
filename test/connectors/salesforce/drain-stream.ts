import type { CursorState } from '../../../core/cursor-state.js';
import type { RecordBatch, SourceRecord } from '../../../core/record.js';
import type { ReadContext, Stream } from '../../../core/source.js';
import { MemoryLogger } from '../../../log/console-logger.js';

export interface Drained {
  readonly batches: RecordBatch[];
  readonly records: SourceRecord[];
  /** The last non-null checkpoint (what the runner would commit). */
  readonly cursor: CursorState | null;
  /** Records the runner would have committed: those up to the last non-null checkpoint. */
  readonly committed: SourceRecord[];
  readonly error: unknown;
  readonly log: MemoryLogger;
}

/** Reads a stream like the runner does, keeping what it yielded before an error as well as the error. */
export async function drain(stream: Stream, options: Partial<ReadContext> = {}): Promise<Drained> {
  const log = new MemoryLogger();
  const batches: RecordBatch[] = [];
  let error: unknown = null;
  try {
    for await (const batch of stream.read({
      cursor: null,
      fullRefresh: false,
      startDate: null,
      runStartedAt: new Date(),
      signal: new AbortController().signal,
      progress: { page: () => {} },
      log,
      ...options,
    })) {
      batches.push(batch);
    }
  } catch (e) {
    error = e;
  }
  const records = batches.flatMap((b) => b.records);
  const lastCheckpoint = batches.findLastIndex((b) => b.checkpoint !== null);
  const committed = batches.slice(0, lastCheckpoint + 1).flatMap((b) => b.records);
  return {
    batches,
    records,
    cursor: lastCheckpoint < 0 ? null : batches[lastCheckpoint]!.checkpoint,
    committed,
    error,
    log,
  };
}
