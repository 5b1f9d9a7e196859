import type { CursorState } from '../../core/cursor-state.js';
import type { RecordBatch, SourceRecord } from '../../core/record.js';
import type { ReadContext, Stream } from '../../core/source.js';
import { MemoryLogger } from '../../log/console-logger.js';

export interface StreamRead {
  readonly records: SourceRecord[];
  readonly checkpoints: (CursorState | null)[];
  readonly cursor: CursorState | null;
  readonly log: MemoryLogger;
  /** Every id the read listed as live (RecordBatch.liveIds); null when it listed none. */
  readonly listed: ReadonlySet<string> | null;
  /** The newest RecordBatch.deletesCheckedAt of the read; null when it said none. */
  readonly deletesCheckedAt: string | null;
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
  let listed: Set<string> | null = null;
  let deletesCheckedAt: string | null = null;
  for await (const batch of stream.read(context(options, log))) {
    deletesCheckedAt = batch.deletesCheckedAt ?? deletesCheckedAt;
    records.push(...batch.records);
    checkpoints.push(batch.checkpoint);
    if (batch.liveIds !== undefined) {
      listed ??= new Set();
      for (const id of batch.liveIds) listed.add(id);
    }
    if (batch.checkpoint !== null) cursor = batch.checkpoint;
  }
  return { records, checkpoints, cursor, log, listed, deletesCheckedAt };
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

/**
 * What a read changes in the warehouse, as records: its own, plus a deleted copy of every record
 * loaded `before` that a live-id listing left out (what the load marks deleted; sources without a
 * deletions feed report deletes this way).
 */
export function loadedBy(before: readonly SourceRecord[], read: StreamRead): SourceRecord[] {
  if (read.listed === null) return read.records;
  const own = new Set(read.records.map((r) => r.id));
  const gone = [...latestById(before).values()]
    .filter((r) => !r.deleted && !own.has(r.id) && !read.listed?.has(r.id))
    .map((r) => ({ ...r, deleted: true }));
  return [...read.records, ...gone];
}
