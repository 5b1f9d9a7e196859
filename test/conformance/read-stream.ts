import type { CursorState } from '../../core/cursor-state.js';
import type { SourceRecord } from '../../core/record.js';
import type { ReadContext, Stream } from '../../core/source.js';
import { MemoryLogger } from '../../log/console-logger.js';

export interface StreamRead {
  readonly records: SourceRecord[];
  readonly checkpoints: (CursorState | null)[];
  readonly cursor: CursorState | null;
  readonly log: MemoryLogger;
  /** Every id the read listed as live (RecordBatch.liveIds); null when it listed none. */
  readonly listed: ReadonlySet<string> | null;
}

/** Drains one stream the way the runner does, keeping every record and checkpoint. */
export async function readStream(stream: Stream, options: Partial<ReadContext> = {}): Promise<StreamRead> {
  const log = new MemoryLogger();
  const records: SourceRecord[] = [];
  const checkpoints: (CursorState | null)[] = [];
  let cursor = options.cursor ?? null;
  let listed: Set<string> | null = null;
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
    records.push(...batch.records);
    checkpoints.push(batch.checkpoint);
    if (batch.liveIds !== undefined) {
      listed ??= new Set();
      for (const id of batch.liveIds) listed.add(id);
    }
    if (batch.checkpoint !== null) cursor = batch.checkpoint;
  }
  return { records, checkpoints, cursor, log, listed };
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
