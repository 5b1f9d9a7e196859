import type { CursorState } from '../../core/cursor-state.js';
import type { RecordBatch, SourceRecord } from '../../core/record.js';
import type { ReadContext, Stream } from '../../core/source.js';
import { MemoryLogger } from '../../log/console-logger.js';

export interface StreamRead {
  readonly records: SourceRecord[];
  readonly checkpoints: (CursorState | null)[];
  readonly cursor: CursorState | null;
  readonly log: MemoryLogger;
}

function context(options: Partial<ReadContext>, log: MemoryLogger): ReadContext {
  return {
    cursor: null,
    fullRefresh: false,
    startDate: null,
    runStartedAt: new Date(),
    signal: new AbortController().signal,
    progress: { page: () => {} },
    log,
    ...options,
  };
}

/** Drains one stream the way the runner does, keeping every record and checkpoint. */
export async function readStream(stream: Stream, options: Partial<ReadContext> = {}): Promise<StreamRead> {
  const log = new MemoryLogger();
  const records: SourceRecord[] = [];
  const checkpoints: (CursorState | null)[] = [];
  let cursor = options.cursor ?? null;
  for await (const batch of stream.read(context(options, log))) {
    records.push(...batch.records);
    checkpoints.push(batch.checkpoint);
    if (batch.checkpoint !== null) cursor = batch.checkpoint;
  }
  return { records, checkpoints, cursor, log };
}

export interface CrashedRead {
  /**
   * What the loader had committed when the process died: the records of every batch up to the last
   * one that carried a checkpoint, and that checkpoint (the loader commits data and cursor together).
   */
  readonly kept: SourceRecord[];
  /** The cursor the next run starts from (the read's own cursor when no batch checkpointed). */
  readonly checkpoint: CursorState | null;
  /** Records read after that checkpoint, lost with the process. */
  readonly lost: SourceRecord[];
  /** False when the stream ended before the crash point (the crash happened after all). */
  readonly crashedMidStream: boolean;
}

/**
 * Reads until `afterBatches` batches holding records have arrived, then abandons the read as a
 * killed process would (the generator is closed, nothing more is asked of the CRM).
 */
export async function readCrashing(
  stream: Stream,
  options: Partial<ReadContext>,
  afterBatches: number,
): Promise<CrashedRead> {
  const kept: SourceRecord[] = [];
  let pending: SourceRecord[] = [];
  let checkpoint = options.cursor ?? null;
  let seen = 0;
  let crashedMidStream = false;
  const commit = (batch: RecordBatch): void => {
    pending.push(...batch.records);
    if (batch.checkpoint === null) return;
    kept.push(...pending);
    pending = [];
    checkpoint = batch.checkpoint;
  };
  for await (const batch of stream.read(context(options, new MemoryLogger()))) {
    if (seen === afterBatches) {
      crashedMidStream = true;
      break;
    }
    commit(batch);
    if (batch.records.length > 0) seen++;
  }
  return { kept, checkpoint, lost: pending, crashedMidStream };
}

/** The newest version of each record, as a warehouse upsert would keep it. */
export function latestById(records: readonly SourceRecord[]): Map<string, SourceRecord> {
  const out = new Map<string, SourceRecord>();
  for (const r of records) {
    const seen = out.get(r.id);
    if (!seen || Date.parse(r.updatedAt) >= Date.parse(seen.updatedAt)) out.set(r.id, r);
  }
  return out;
}
