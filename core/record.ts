import type { CursorState } from './cursor-state.js';

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
  /**
   * Ids of records that exist in the CRM now, sent without their data, for sources with no deletions
   * feed: a read lists either every live id (across as many batches as it likes, with or without
   * records) or none, and fails rather than stop part-way. The load then marks deleted every row of
   * the stream's table that is neither listed nor loaded by this read's final package.
   */
  readonly liveIds?: readonly string[];
  /**
   * Set once the read has checked the CRM's deletes up to this instant (ISO-8601 UTC: the read's
   * start, on the CRM's clock where the source knows it): every record deleted before it is, by the
   * end of this batch, flagged deleted in an earlier batch or left out of the full refresh or live-id
   * listing this read completes. Saved with the load that commits this batch (`tide status` shows it),
   * so it never runs ahead of the data. Streams that check deletes on a cadence set it only on the runs
   * that check; absent means "not checked by this read".
   */
  readonly deletesCheckedAt?: string;
}
