import { type CursorState, cursorMs } from '../../core/cursor-state.js';
import type { ReadContext } from '../../core/source.js';
import { lowerBound } from '../../extract/cursor.js';
import type { DeletedWindow, SalesforceClient } from './salesforce-client.js';

/**
 * How one run reads a stream:
 * - `full-refresh`: asked for; everything, replacing the table.
 * - `first-load`: no cursor yet; everything (from startDate).
 * - `formula-refresh`: a periodic re-read of everything (fullRefreshEveryDays) so formula fields,
 *   which change without SystemModstamp, are current; upserts like an incremental read.
 * - `resync`: the deletion log no longer reaches back to the cursor; everything, replacing the table.
 * - `incremental`: SystemModstamp >= cursor − overlap.
 */
export type ReadMode = 'full-refresh' | 'first-load' | 'formula-refresh' | 'resync' | 'incremental';

export interface ReadPlan {
  readonly mode: ReadMode;
  /** The cursor incremental tie-breaking starts from (null: every record is new). */
  readonly previous: CursorState | null;
  /** Inclusive SystemModstamp lower bound (ms), null = from the beginning. */
  readonly fromMs: number | null;
  /**
   * Where the deletion log must be read from for this read to see every delete since the last run
   * (ms), null when the read replaces the table or there was no last run. A formula refresh reads
   * every live and soft-deleted record, but not those purged from the recycle bin since the cursor:
   * only the log has those.
   */
  readonly deletionsFromMs: number | null;
}

const DAY_MS = 86_400_000;
/** Salesforce keeps the deletion log for 30 days; stay clear of the edge. */
export const DELETION_LOG_MS = 30 * DAY_MS - 3_600_000;

export function planRead(
  ctx: ReadContext,
  options: { overlapMs: number; refreshEveryDays?: number | undefined },
): ReadPlan {
  const startMs = ctx.startDate === null ? null : cursorMs(ctx.startDate);
  if (ctx.fullRefresh)
    return { mode: 'full-refresh', previous: null, fromMs: startMs, deletionsFromMs: null };
  if (ctx.cursor === null)
    return { mode: 'first-load', previous: null, fromMs: startMs, deletionsFromMs: null };
  const from = lowerBound(ctx.cursor, { overlapMs: options.overlapMs, startDate: ctx.startDate });
  const fromMs = from?.getTime() ?? null;
  if (options.refreshEveryDays !== undefined) {
    // Stateless schedule: the first run after each N-day boundary (counted from the epoch) re-reads.
    const period = options.refreshEveryDays * DAY_MS;
    if (Math.floor(cursorMs(ctx.cursor.value) / period) < Math.floor(ctx.runStartedAt.getTime() / period)) {
      return { mode: 'formula-refresh', previous: null, fromMs: startMs, deletionsFromMs: fromMs };
    }
  }
  return { mode: 'incremental', previous: ctx.cursor, fromMs, deletionsFromMs: fromMs };
}

/** Full reads replace the table, so no checkpoint may commit half of one. */
export function replacesTable(mode: ReadMode): boolean {
  return mode === 'full-refresh' || mode === 'resync';
}

export type DeletionCheck =
  | { readonly complete: true; readonly deletions: Map<string, number> }
  | { readonly complete: false; readonly reason: string };

/**
 * Whether Salesforce can still tell every deletion since `fromMs`. Soft deletes also show up in
 * queryAll (IsDeleted, new SystemModstamp); the log matters for records purged from the recycle bin
 * since, which queryAll no longer returns: those come back as tombstones from here.
 */
export async function checkDeletionLog(
  client: SalesforceClient,
  object: string,
  fromMs: number,
  serverNowMs: number,
  signal: AbortSignal,
): Promise<DeletionCheck> {
  if (serverNowMs - fromMs > DELETION_LOG_MS) {
    return { complete: false, reason: `the cursor is older than Salesforce's 30-day deletion log` };
  }
  if (fromMs >= serverNowMs) return { complete: true, deletions: new Map() };
  const window: DeletedWindow = await client.deleted(object, fromMs, serverNowMs, signal);
  if (window.kind === 'unavailable') return { complete: false, reason: `Salesforce: ${window.reason}` };
  if (window.earliestAvailableMs !== null && window.earliestAvailableMs >= fromMs) {
    return {
      complete: false,
      reason: `records deleted up to ${new Date(window.earliestAvailableMs).toISOString()} were purged from the recycle bin (earliestDateAvailable), after the cursor`,
    };
  }
  return { complete: true, deletions: new Map(window.records.map((r) => [r.id, r.deletedMs])) };
}
