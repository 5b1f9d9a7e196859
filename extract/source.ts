import type { CursorState } from './cursor.js';
import type { ColumnSpec } from './logical-type.js';

/**
 * One CRM record as it leaves a source. `fields` is flat: nested CRM structures are flattened by the
 * source (addresses, custom-field maps) so the loader only sees name → value.
 */
export interface SourceRecord {
  readonly id: string;
  /** ISO-8601 UTC with milliseconds; the stream's replication key value. */
  readonly updatedAt: string;
  readonly deleted: boolean;
  readonly fields: Readonly<Record<string, unknown>>;
}

/**
 * A batch of records plus the cursor state that is safe to save once this batch and every batch
 * before it is loaded. Sorted streams may checkpoint at batch boundaries; `checkpoint: null` means
 * "not safe to save yet" (unsorted phases such as a full list).
 */
export interface RecordBatch {
  readonly records: readonly SourceRecord[];
  readonly checkpoint: CursorState | null;
  /**
   * Set on a read's first batch when the source restarted it from scratch because it can no longer
   * see every deletion since the cursor (Salesforce's deletion log expired): the load should replace
   * the stream's table like a full refresh, so records deleted meanwhile disappear.
   */
  readonly resync?: boolean;
}

export interface ReadContext {
  /** The last committed cursor for this stream, or null on a first run. */
  readonly cursor: CursorState | null;
  readonly fullRefresh: boolean;
  /** Earliest record time to extract on a first run (ISO). */
  readonly startDate: string | null;
  /** Wall-clock start of the run: a cursor never moves past it. */
  readonly runStartedAt: Date;
  readonly signal: AbortSignal;
  readonly progress: ProgressSink;
  readonly log: Logger;
}

export interface ProgressSink {
  page(stream: string, records: number): void;
}

export interface Logger {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** One CRM object type, read incrementally. */
export interface Stream {
  readonly name: string;
  /** The CRM field holding last-modified, for documentation and status output. */
  readonly cursorField: string;
  /** Columns known for this stream (discovered from the CRM's metadata API). */
  columns(): Promise<readonly ColumnSpec[]>;
  read(ctx: ReadContext): AsyncIterable<RecordBatch>;
}

/** One CRM account. Sources are plain data plus the streams they expose. */
export interface Source {
  /** The name from config (`hubspot`, `sf_prod`): prefixes raw tables. */
  readonly name: string;
  readonly kind: string;
  streams(): readonly Stream[];
  /** Cheap authenticated call that proves the credentials work. */
  check(): Promise<void>;
  close?(): Promise<void>;
}
