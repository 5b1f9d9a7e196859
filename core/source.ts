import type { ColumnSpec } from './column-spec.js';
import type { CursorState } from './cursor-state.js';
import type { Logger } from './logger.js';
import type { RecordBatch } from './record.js';

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
  /**
   * How many records this read will return, when the CRM says so (HubSpot search `total`,
   * Salesforce `totalSize`, a Bulk job's record count): the bar then shows a total and an ETA.
   */
  total?(stream: string, records: number): void;
  /** The read ended (its bar can go: the stream's summary line says the rest). */
  done?(stream: string): void;
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
