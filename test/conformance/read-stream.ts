import type { CursorState } from '../../core/cursor-state.js';
import type { SourceRecord } from '../../core/record.js';
import type { ReadContext, Stream } from '../../core/source.js';
import { MemoryLogger } from '../../log/console-logger.js';

export interface StreamRead {
  readonly records: SourceRecord[];
  readonly checkpoints: (CursorState | null)[];
  readonly cursor: CursorState | null;
  readonly log: MemoryLogger;
}

/** Drains one stream the way the runner does, keeping every record and checkpoint. */
export async function readStream(stream: Stream, options: Partial<ReadContext> = {}): Promise<StreamRead> {
  const log = new MemoryLogger();
  const records: SourceRecord[] = [];
  const checkpoints: (CursorState | null)[] = [];
  let cursor = options.cursor ?? null;
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
    if (batch.checkpoint !== null) cursor = batch.checkpoint;
  }
  return { records, checkpoints, cursor, log };
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
