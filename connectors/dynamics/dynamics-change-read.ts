import { type CursorState, cursorMs, cursorState, toIso } from '../../core/cursor-state.js';
import type { RecordBatch, SourceRecord } from '../../core/record.js';
import type { ReadContext } from '../../core/source.js';
import { CursorTracker } from '../../extract/cursor.js';
import { deletesChecked } from '../../extract/deletes-checked.js';
import { prefetch } from '../../extract/prefetch.js';
import type { HttpResponse } from '../../http/http-request.js';
import type { DynamicsClient, TimedPage } from './dynamics-client.js';
import { type DynamicsColumns, READ_ANNOTATIONS } from './dynamics-columns.js';
import { odataTime } from './dynamics-odata.js';
import { DataverseApiError, dataverseError } from './dynamics-policy.js';

export interface ChangeReadOptions {
  readonly stream: string;
  readonly client: DynamicsClient;
  readonly columns: DynamicsColumns;
  readonly pageSize: number;
  readonly ctx: ReadContext;
}

/** Dataverse's answer to a delta token older than the org's ExpireChangeTrackingInDays. */
const EXPIRED = /perform a full sync|version stamp .* expired|delta ?token .* (expired|no longer valid)/i;

/**
 * A table with change tracking, read through delta links (MicrosoftDocs
 * use-change-tracking-synchronize-data-external-systems.md). The delta link is the cursor's token,
 * saved in the last batch, so it commits together with every change it covers. Each page of a delta
 * before the last checkpoints its `@odata.nextLink` (Dataverse's paging cookie, stateless: it names
 * where the fixed change set continues), so a crash resumes after the last committed page instead of
 * re-reading the whole delta; a page link Dataverse refuses later falls back to a full snapshot.
 * - No token (first run, full refresh, or a table that was read by modifiedon before): a snapshot
 *   with `Prefer: odata.track-changes`, whose last page carries the first delta link.
 * - A token: the changed rows and `$deletedEntity` deletions since, and a new delta link.
 * - An expired token: a new snapshot, flagged `resync` so the load replaces the table and rows
 *   deleted in the gap end up deleted (logged as a warning).
 */
export async function* readChanges(o: ChangeReadOptions): AsyncGenerator<RecordBatch> {
  const { ctx } = o;
  const previous = ctx.fullRefresh ? null : ctx.cursor;
  if (previous?.token !== undefined) {
    const outcome = yield* readDelta(o, previous, previous.token);
    if (outcome === 'done') return;
    ctx.log.warn(
      `dynamics.${o.stream}: the delta link expired (${outcome.reason}); reading a full snapshot and replacing the table`,
      {
        cursor: previous.value,
      },
    );
    yield* readSnapshot(o, true);
    return;
  }
  // A cursor without a token came from modifiedon windows: the snapshot must also reconcile deletes.
  yield* readSnapshot(o, previous !== null);
}

async function* readSnapshot(o: ChangeReadOptions, resync: boolean): AsyncGenerator<RecordBatch> {
  const { client, columns, ctx } = o;
  const table = columns.table;
  const tracker = new CursorTracker(null, ctx.runStartedAt);
  let flagged = !resync;
  const flag = (): { resync?: true } => {
    if (flagged) return {};
    flagged = true;
    return { resync: true };
  };
  // A snapshot cannot be filtered ($filter is refused with change tracking): startDate applies here.
  const startMs = ctx.startDate === null ? null : cursorMs(ctx.startDate);
  let firstServerMs: number | null = null;
  let pages = 0;
  let deltaLink: string | null = null;
  // Versions of rows changed since the snapshot began, as the snapshot read them: the catch-up read
  // below skips those, so one read never returns a version twice (only rows changed meanwhile).
  const recent = new Set<string>();
  const path = `${client.apiPath}/${table.entitySetName}`;
  for await (const item of prefetch(
    client.pages({
      path,
      query: { $select: columns.select },
      prefer: `odata.track-changes,odata.maxpagesize=${o.pageSize},${READ_ANNOTATIONS}`,
      endpoint: `GET ${path}`,
      signal: ctx.signal,
    }),
  )) {
    const { page, serverMs } = timed(item, o.stream);
    pages++;
    firstServerMs ??= serverMs;
    deltaLink = page['@odata.deltaLink'] ?? deltaLink;
    const sinceMs = firstServerMs === null ? null : firstServerMs - 1000;
    const records = page.value
      .map((row) => {
        const r = columns.record(row, () => toIso(serverMs ?? ctx.runStartedAt.getTime()));
        if (sinceMs !== null && cursorMs(r.updatedAt) >= sinceMs) recent.add(versionKey(row, r));
        return r;
      })
      .filter((r) => startMs === null || cursorMs(r.updatedAt) >= startMs);
    for (const r of records) tracker.observe(r);
    ctx.progress.page(o.stream, records.length);
    yield { records, checkpoint: null, ...flag() };
  }
  if (deltaLink === null) {
    throw new DataverseApiError(
      'malformed_response',
      200,
      '',
      `Dynamics 365 ended the change-tracking read of ${table.entitySetName} without @odata.deltaLink`,
    );
  }
  if (pages > 1 && firstServerMs !== null) {
    // The snapshot's delta link may only cover changes after its last page (MicrosoftDocs
    // powerapps-docs issue 3862): rows changed while it was paged are read once more here.
    const since = firstServerMs - 1000;
    ctx.log.info(`dynamics.${o.stream}: re-reading rows changed while the snapshot was paged`, {
      since: toIso(since),
    });
    for await (const batch of modifiedSince(o, since, recent)) {
      for (const r of batch) tracker.observe(r);
      yield { records: batch, checkpoint: null, ...flag() };
    }
  }
  yield {
    records: [],
    checkpoint: tokenCursor(
      tracker.state(),
      firstServerMs,
      ctx.runStartedAt,
      relativeLink(client, deltaLink),
    ),
    ...flag(),
    // A snapshot lists live rows only: it checks deletes when the load replaces the table with it
    // (a full refresh, a resync), not on a first load.
    ...deletesChecked(ctx.fullRefresh || resync ? (firstServerMs ?? ctx.runStartedAt.getTime()) : null),
  };
}

async function* readDelta(
  o: ChangeReadOptions,
  previous: CursorState,
  token: string,
): AsyncGenerator<RecordBatch, 'done' | { reason: string }> {
  const { client, columns, ctx } = o;
  const table = columns.table;
  // The token is a delta link, or the next link of a delta page a crashed run committed.
  const saved = new URL(token, 'http://delta.invalid/').searchParams;
  const resuming = saved.has('$skiptoken');
  if (!resuming && !saved.get('$deltatoken')) return { reason: 'the saved cursor holds no $deltatoken' };
  const query: Record<string, string> = { $select: columns.select };
  for (const [key, value] of saved) if (key !== '$select') query[key] = value;
  const tracker = new CursorTracker(cursorState(previous.value, previous.ids), ctx.runStartedAt);
  let newestMs = cursorMs(previous.value);
  let firstServerMs: number | null = null;
  let deltaLink: string | null = null;
  const path = `${client.apiPath}/${table.entitySetName}`;
  // The link is rebuilt with today's column list: a column added since is read from now on (any
  // row holding a value for it was written after the column existed, so it is in this delta).
  for await (const item of prefetch(
    client.pages({
      path,
      query,
      prefer: `odata.maxpagesize=${o.pageSize},${READ_ANNOTATIONS}`,
      endpoint: `GET ${path} (delta)`,
      signal: ctx.signal,
      acceptStatuses: [400, 410],
    }),
  )) {
    if (isResponse(item)) {
      const error = dataverseError(item.text);
      if (EXPIRED.test(error.message)) return { reason: error.message };
      if (resuming) return { reason: `the saved page link was refused: ${item.status} ${error.message}` };
      throw new DataverseApiError(
        'http_error',
        item.status,
        error.code,
        `Dynamics 365 refused the delta link of ${table.entitySetName}: ${item.status} ${error.message}`,
      );
    }
    const { page, serverMs } = item;
    firstServerMs ??= serverMs;
    deltaLink = page['@odata.deltaLink'] ?? deltaLink;
    // A deletion has no modifiedon: it is dated by the server's clock, never before anything loaded.
    const deletedAt = (): string => toIso(Math.max(serverMs ?? ctx.runStartedAt.getTime(), newestMs));
    const records: SourceRecord[] = [];
    for (const row of page.value) {
      const r = columns.record(row, deletedAt);
      if (!r.deleted) newestMs = Math.max(newestMs, cursorMs(r.updatedAt));
      tracker.observe(r);
      records.push(r);
    }
    ctx.progress.page(o.stream, records.length);
    const next = page['@odata.nextLink'];
    yield {
      records,
      checkpoint:
        next === undefined
          ? null
          : tokenCursor(tracker.state(), firstServerMs, ctx.runStartedAt, relativeLink(client, next)),
    };
  }
  if (deltaLink === null) {
    throw new DataverseApiError(
      'malformed_response',
      200,
      '',
      `Dynamics 365 ended the delta read of ${table.entitySetName} without a new @odata.deltaLink`,
    );
  }
  yield {
    records: [],
    checkpoint: tokenCursor(
      tracker.state(),
      firstServerMs,
      ctx.runStartedAt,
      relativeLink(client, deltaLink),
    ),
    // A delta holds every deletion since its link up to when it was asked for. A resumed one (a page
    // link a crashed run committed) was asked for back then, at a time not kept: it says nothing.
    ...deletesChecked(resuming ? null : (firstServerMs ?? ctx.runStartedAt.getTime())),
  };
  return 'done';
}

/**
 * Rows with modifiedon ≥ `sinceMs`, in (modifiedon, key) order, as SourceRecords per page, leaving out
 * the versions in `seen` (`versionKey`).
 */
async function* modifiedSince(
  o: ChangeReadOptions,
  sinceMs: number,
  seen: ReadonlySet<string>,
): AsyncGenerator<SourceRecord[]> {
  const { client, columns, ctx } = o;
  const table = columns.table;
  const path = `${client.apiPath}/${table.entitySetName}`;
  for await (const item of prefetch(
    client.pages({
      path,
      query: {
        $select: columns.select,
        $filter: `modifiedon ge ${odataTime(sinceMs)}`,
        $orderby: `modifiedon asc,${table.primaryId} asc`,
      },
      prefer: `odata.maxpagesize=${o.pageSize},${READ_ANNOTATIONS}`,
      endpoint: `GET ${path}`,
      signal: ctx.signal,
    }),
  )) {
    const { page, serverMs } = timed(item, o.stream);
    const records: SourceRecord[] = [];
    for (const row of page.value) {
      const r = columns.record(row, () => toIso(serverMs ?? ctx.runStartedAt.getTime()));
      if (!seen.has(versionKey(row, r))) records.push(r);
    }
    ctx.progress.page(o.stream, records.length);
    yield records;
  }
}

/** The cursor saved with a delta link: the newest modifiedon loaded (or the server's time), and the link. */
function tokenCursor(
  tracked: CursorState | null,
  serverMs: number | null,
  runStartedAt: Date,
  link: string,
): CursorState {
  if (tracked !== null) return cursorState(tracked.value, tracked.ids, link);
  const at = Math.min(Math.floor((serverMs ?? runStartedAt.getTime()) / 1000) * 1000, runStartedAt.getTime());
  return cursorState(toIso(at), [], link);
}

/**
 * The saved token: the delta link relative to the Web API root, without the `$select` Tide writes
 * itself (`contacts?$deltatoken=919042%2108%2f22%2f2017%2008%3a10%3a44`), so it is short and moves
 * with the environment's URL. Every other part of the link is kept as Dataverse sent it.
 */
function relativeLink(client: DynamicsClient, link: string): string {
  const url = new URL(link, client.http.baseUrl);
  const prefix = `${client.apiPath}/`;
  const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
  // Edited as text: re-serializing would re-encode what Dataverse wrote (`$` → `%24`).
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((p) => p !== '' && !/^(\$|%24)select=/i.test(p));
  return kept.length === 0 ? path : `${path}?${kept.join('&')}`;
}

/** One version of a row: its id and `@odata.etag` (the row version), or modifiedon without one. */
function versionKey(row: Readonly<Record<string, unknown>>, r: SourceRecord): string {
  const etag = row['@odata.etag'];
  return `${r.id} ${typeof etag === 'string' ? etag : r.updatedAt}`;
}

function isResponse(item: TimedPage | HttpResponse): item is HttpResponse {
  return 'status' in item;
}

function timed(item: TimedPage | HttpResponse, stream: string): TimedPage {
  if (isResponse(item))
    throw new DataverseApiError(
      'http_error',
      item.status,
      '',
      `Dynamics 365 ${stream}: unexpected ${item.status}`,
    );
  return item;
}
