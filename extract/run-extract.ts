import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import type { CursorState } from '../core/cursor-state.js';
import { type Logger, withFields } from '../core/logger.js';
import type { ProgressSink, Source, Stream } from '../core/source.js';
import { endsAsPartial, TideError } from '../core/tide-error.js';
import type { LoadPackage, Warehouse } from '../load/warehouse.js';
import { readAhead } from './prefetch.js';
import { type SafeTextCount, safeRecord } from './safe-text.js';

/** ExtractOptions.readAheadRecords when not given. */
export const DEFAULT_READ_AHEAD_RECORDS = 10_000;

export interface ExtractPlanItem {
  readonly source: Source;
  readonly stream: Stream;
  readonly startDate: string | null;
  readonly fullRefresh: boolean;
}

export interface ExtractOptions {
  readonly runId: string;
  readonly warehouse: Warehouse;
  readonly plan: readonly ExtractPlanItem[];
  /** Streams extracted at once (each source's HTTP budget still bounds its own requests). */
  readonly concurrency: number;
  /** A sorted stream commits a load package every N records, so a crash costs at most N. */
  readonly checkpointEvery: number;
  /**
   * Records a stream may read ahead of its load (default 10,000): fetching goes on while a package
   * appends or commits, until this many records wait; then it pauses (back-pressure, bounded memory).
   */
  readonly readAheadRecords?: number;
  readonly log: Logger;
  readonly progress: ProgressSink;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
}

export type StreamStatusKind = 'ok' | 'partial' | 'failed';

export interface StreamOutcome {
  readonly source: string;
  readonly stream: string;
  readonly status: StreamStatusKind;
  readonly records: number;
  readonly deleted: number;
  readonly loads: number;
  readonly cursor: CursorState | null;
  readonly seconds: number;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface ExtractSummary {
  readonly runId: string;
  readonly outcomes: readonly StreamOutcome[];
  readonly status: StreamStatusKind;
}

/**
 * Extract → load for every planned stream. Each stream's batches go into a load package; the package
 * commits at the stream's checkpoints (sorted streams) and at its end, so the cursor only ever
 * advances together with the data it covers. A stop for now (quota used up, or the run's rate-limit
 * wait budget spent) ends the stream as `partial` with what it read committed and the cursor at the
 * last checkpoint; any other error aborts the open package and fails the stream, without touching
 * the others.
 */
export async function runExtract(options: ExtractOptions): Promise<ExtractSummary> {
  const limit = pLimit(options.concurrency);
  const runStartedAt = (options.now ?? (() => new Date()))();
  const outcomes = await Promise.all(
    options.plan.map((item) =>
      limit(() =>
        // Stopped (SIGTERM) before this stream's turn: it is not started, and says so.
        options.signal?.aborted === true
          ? notStarted(item, options.signal)
          : extractStream(item, runStartedAt, options),
      ),
    ),
  );
  const status: StreamStatusKind = outcomes.some((o) => o.status === 'failed')
    ? 'failed'
    : outcomes.some((o) => o.status === 'partial')
      ? 'partial'
      : 'ok';
  return { runId: options.runId, outcomes, status };
}

async function extractStream(
  item: ExtractPlanItem,
  runStartedAt: Date,
  options: ExtractOptions,
): Promise<StreamOutcome> {
  const { warehouse, log } = options;
  const source = item.source.name;
  const stream = item.stream.name;
  const started = Date.now();
  // Every line about this stream carries source and stream as fields (connectors' lines too).
  const streamLog = withFields(log, { source, stream });
  const progress = namedProgress(options.progress, `${source}.${stream}`);
  let records = 0;
  let deleted = 0;
  let loads = 0;
  let pkg: LoadPackage | null = null;
  let staged = 0;
  let cursor: CursorState | null = null;
  let checkpoint: CursorState | null = null;
  /** The time the read checked deletes up to (RecordBatch.deletesCheckedAt), until a commit records it. */
  let deletesCheckedAt: string | null = null;

  const outcome = (status: StreamStatusKind, error?: TideError | Error): StreamOutcome => {
    progress.done?.(stream);
    return finished(status, error);
  };
  const finished = (status: StreamStatusKind, error?: TideError | Error): StreamOutcome => ({
    source,
    stream,
    status,
    records,
    deleted,
    loads,
    cursor,
    seconds: (Date.now() - started) / 1000,
    ...(error
      ? { error: { code: error instanceof TideError ? error.code : 'unexpected', message: error.message } }
      : {}),
  });

  let replacing = item.fullRefresh;
  /** The read has listed live ids: its package must not commit before the listing is complete. */
  let reconciling = false;
  let fullRefresh = item.fullRefresh;
  const open = async (): Promise<LoadPackage> => {
    const p = await warehouse.beginLoad({ source, stream, runId: options.runId, replace: replacing });
    await p.ensureColumns(await item.stream.columns());
    return p;
  };
  const commit = async (at: CursorState | null): Promise<void> => {
    if (pkg === null) return;
    const committing = pkg;
    pkg = null;
    await committing.commit(at, { deletesCheckedAt });
    loads++;
    cursor = at;
    staged = 0;
    deletesCheckedAt = null;
  };

  // Stops this stream's reading when its load fails (the run's own signal stops every stream).
  const fetching = new AbortController();
  // Every request in flight listens on it (AbortSignal.any); parallel list chains keep more than
  // Node's default of 10 in flight, which is no leak.
  setMaxListeners(64, fetching.signal);
  const stopFetching = (): void => fetching.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', stopFetching, { once: true });
  let cursorBefore: CursorState | null = null;
  // Strings made valid Unicode on the way in (extract/safe-text.ts): said once per stream.
  const unsafeText: SafeTextCount = { values: 0 };
  const noteUnsafeText = (): void => {
    if (unsafeText.values === 0) return;
    streamLog.warn(
      `${unsafeText.values} values held characters no warehouse stores safely (lone UTF-16 surrogates or NUL); loaded with U+FFFD in their place`,
    );
  };
  try {
    // A raw table changed outside Tide is put back first; if that lost data, read everything again.
    const healing = await warehouse.healRawTable(source, stream);
    if (healing.repaired !== null) streamLog.warn(healing.repaired);
    if (healing.reloadAll) fullRefresh = replacing = true;
    cursor = fullRefresh ? null : await warehouse.readCursor(source, stream);
    const previous = cursor;
    cursorBefore = previous;
    streamLog.info('extracting', {
      mode: fullRefresh ? 'full-refresh' : previous === null ? 'first run' : 'incremental',
      cursor: previous?.value ?? null,
    });
    pkg = await open();
    const reader = item.stream.read({
      cursor: previous,
      fullRefresh,
      startDate: item.startDate,
      runStartedAt,
      signal: fetching.signal,
      progress,
      log: streamLog,
    });
    // Fetching never waits on the warehouse: batches are read ahead while the package appends and
    // commits, up to a bounded number of records (back-pressure beyond it).
    const batches = readAhead(reader, {
      limit: options.readAheadRecords ?? DEFAULT_READ_AHEAD_RECORDS,
      weight: (batch) => batch.records.length,
    });
    for await (const batch of batches) {
      try {
        // A source that does not watch the signal itself still stops at its next page.
        if (options.signal?.aborted === true) throw new TideError('interrupted', 'stopped');
        if (batch.resync === true && !replacing) {
          // The source is re-reading everything (its delete log no longer reaches back to the cursor):
          // load it as a full refresh, so records purged in the gap end up marked deleted.
          streamLog.warn('source asked for a full resync; loading as a full refresh');
          await pkg?.abort();
          replacing = true;
          pkg = await open();
          checkpoint = null;
          staged = 0;
          deletesCheckedAt = null;
        }
        if (batch.records.length > 0) {
          pkg ??= await open();
          await pkg.append(batch.records.map((r) => safeRecord(r, unsafeText)));
          records += batch.records.length;
          staged += batch.records.length;
          for (const r of batch.records) if (r.deleted) deleted++;
        }
        if (batch.liveIds !== undefined) {
          // An ids-only listing of what still exists: from here on the read ends in one package,
          // whose commit marks deleted every row neither listed nor loaded.
          pkg ??= await open();
          await pkg.appendLiveIds(batch.liveIds);
          reconciling = true;
        }
        if (batch.checkpoint !== null) checkpoint = batch.checkpoint;
        // Held until the next commit, which holds what the check found (it is appended by now).
        if (batch.deletesCheckedAt !== undefined) deletesCheckedAt = batch.deletesCheckedAt;
        // Commit every `checkpointEvery` records, with the newest cursor the source has vouched for.
        // Records past that cursor are harmless in the table (loads upsert), so unsorted reads (first
        // loads through a list API) commit in bounded packages too; their cursor just stays behind.
        // A full refresh and a live-id listing are the exceptions: one package, whose commit marks
        // everything unseen deleted.
        if (!replacing && !reconciling && staged >= options.checkpointEvery)
          await commit(checkpoint ?? previous);
      } catch (error) {
        // Nothing more is read: a request in flight is cancelled now rather than awaited by the
        // read-ahead's cleanup when the loop unwinds.
        fetching.abort(error);
        throw error;
      }
    }
    pkg ??= await open();
    await commit(checkpoint ?? previous);
    noteUnsafeText();
    streamLog.info('done', { records, deleted, loads });
    return outcome('ok');
  } catch (error) {
    const stopped = options.signal?.aborted === true;
    const err = stopped
      ? new TideError('interrupted', `stopped: ${describe(options.signal?.reason)}`)
      : error instanceof Error
        ? error
        : new Error(String(error));
    if (stopped || endsAsPartial(err)) {
      // What was read is good data: keep it, with the cursor at the last checkpoint the source
      // vouched for (records past it are harmless: loads upsert). Not so for a full refresh: its
      // commit marks every record it did not see as deleted, and it did not see them all.
      try {
        // A package that would mark unseen rows deleted (full refresh, live-id listing) must not
        // commit half a read.
        if (replacing || reconciling) await pkg?.abort();
        else await commit(checkpoint ?? cursorBefore);
      } catch (commitError) {
        streamLog.error('could not save partial progress', { error: String(commitError) });
      }
      noteUnsafeText();
      streamLog.warn(`${stopped ? 'stopped' : 'stopped for now'}; partial`, {
        records,
        cursor: cursor?.value ?? null,
        reason: err.message,
      });
      return outcome('partial', err);
    }
    try {
      await pkg?.abort();
    } catch {
      // The package was never committed: a leftover staging table is invisible to cursors.
    }
    streamLog.error('failed', {
      code: err instanceof TideError ? err.code : 'unexpected',
      error: err.message,
      ...(err instanceof TideError && err.hint ? { hint: err.hint } : {}),
    });
    return outcome('failed', err);
  } finally {
    options.signal?.removeEventListener('abort', stopFetching);
  }
}

function notStarted(item: ExtractPlanItem, signal: AbortSignal): StreamOutcome {
  return {
    source: item.source.name,
    stream: item.stream.name,
    status: 'partial',
    records: 0,
    deleted: 0,
    loads: 0,
    cursor: null,
    seconds: 0,
    error: { code: 'interrupted', message: `not started: ${describe(signal.reason)}` },
  };
}

/**
 * A stream's progress under its full name: connectors report pages under their own stream name
 * (`Lead`), which does not say which CRM; the runner knows it is `salesforce.Lead`.
 */
function namedProgress(sink: ProgressSink, name: string): ProgressSink {
  return {
    page: (_stream, records) => sink.page(name, records),
    total: (_stream, records) => sink.total?.(name, records),
    done: () => sink.done?.(name),
  };
}

function describe(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason ?? 'aborted');
}
