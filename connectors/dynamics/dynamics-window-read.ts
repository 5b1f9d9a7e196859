import { cursorMs, toIso } from '../../core/cursor-state.js';
import type { RecordBatch } from '../../core/record.js';
import type { ReadContext } from '../../core/source.js';
import { CursorTracker, finalCursor, lowerBound } from '../../extract/cursor.js';
import { deletesChecked } from '../../extract/deletes-checked.js';
import { prefetch } from '../../extract/prefetch.js';
import type { DynamicsClient } from './dynamics-client.js';
import { type DynamicsColumns, READ_ANNOTATIONS } from './dynamics-columns.js';
import { odataTime } from './dynamics-odata.js';
import { DataverseApiError } from './dynamics-policy.js';

export interface WindowReadOptions {
  readonly stream: string;
  readonly client: DynamicsClient;
  readonly columns: DynamicsColumns;
  readonly pageSize: number;
  readonly overlapMs: number;
  readonly reconcileEveryDays: number;
  readonly ctx: ReadContext;
}

const DAY_MS = 86_400_000;

/**
 * A table without change tracking, read by `modifiedon ge <cursor − overlap>` ordered by
 * (modifiedon, key): every page is a safe checkpoint, and the cursor's ids drop the ties the last
 * run already loaded. Such reads never see deletes, so the first run after each `reconcileEveryDays`
 * boundary (counted from the epoch: no state needed) re-reads the whole table flagged `resync`: the
 * load replaces the table and marks the rows that are gone as deleted.
 */
export async function* readWindows(o: WindowReadOptions): AsyncGenerator<RecordBatch> {
  const { client, columns, ctx } = o;
  const table = columns.table;
  const period = o.reconcileEveryDays * DAY_MS;
  const cursor = ctx.fullRefresh ? null : ctx.cursor;
  const reconcile =
    cursor !== null &&
    Math.floor(cursorMs(cursor.value) / period) < Math.floor(ctx.runStartedAt.getTime() / period);
  if (reconcile) {
    ctx.log.info(`dynamics.${o.stream}: periodic full read so rows deleted since are marked deleted`, {
      reconcileEveryDays: o.reconcileEveryDays,
      cursor: cursor.value,
    });
  }
  const previous = reconcile ? null : cursor;
  const from = lowerBound(previous, { overlapMs: o.overlapMs, startDate: ctx.startDate });
  const tracker = new CursorTracker(previous, ctx.runStartedAt);
  const path = `${client.apiPath}/${table.entitySetName}`;
  let flagged = !reconcile;
  let firstServerMs: number | null = null;
  for await (const item of prefetch(
    client.pages({
      path,
      query: {
        $select: columns.select,
        ...(from === null ? {} : { $filter: `modifiedon ge ${odataTime(from.getTime())}` }),
        $orderby: `modifiedon asc,${table.primaryId} asc`,
      },
      prefer: `odata.maxpagesize=${o.pageSize},${READ_ANNOTATIONS}`,
      endpoint: `GET ${path}`,
      signal: ctx.signal,
    }),
  )) {
    if ('status' in item)
      throw new DataverseApiError(
        'http_error',
        item.status,
        '',
        `Dynamics 365 ${o.stream}: unexpected ${item.status}`,
      );
    firstServerMs ??= item.serverMs;
    const records = item.page.value
      .map((row) => columns.record(row, () => toIso(item.serverMs ?? ctx.runStartedAt.getTime())))
      .filter((r) => tracker.observe(r));
    ctx.progress.page(o.stream, records.length);
    const resync = flagged ? {} : { resync: true as const };
    flagged = true;
    // Ordered by (modifiedon, key): everything up to the tracker's state has been read. A table
    // being replaced must commit in one piece, so it checkpoints only at the end.
    yield { records, checkpoint: reconcile ? null : tracker.state(), ...resync };
  }
  yield {
    records: [],
    checkpoint: finalCursor(tracker.state(), firstServerMs, ctx.runStartedAt),
    // modifiedon windows never see deletes; a read that replaces the table (full refresh, periodic
    // reconcile) does, from its start.
    ...deletesChecked(ctx.fullRefresh || reconcile ? (firstServerMs ?? ctx.runStartedAt.getTime()) : null),
  };
}
