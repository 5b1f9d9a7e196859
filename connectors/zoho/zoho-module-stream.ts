import type { ColumnSpec } from '../../core/column-spec.js';
import { type CursorState, toIso } from '../../core/cursor-state.js';
import type { RecordBatch, SourceRecord } from '../../core/record.js';
import type { ReadContext, Stream } from '../../core/source.js';
import { CursorTracker, laterCursor, lowerBound } from '../../extract/cursor.js';
import { deletesChecked } from '../../extract/deletes-checked.js';
import { prefetch } from '../../extract/prefetch.js';
import { readBulk } from './zoho-bulk-reader.js';
import type { ZohoClient } from './zoho-client.js';
import type { ZohoFieldCatalog } from './zoho-field-catalog.js';
import { selectableFields, zohoColumns } from './zoho-fields.js';
import { ZohoRecordReader } from './zoho-record.js';
import { readModifiedRecords } from './zoho-records-reader.js';
import { cursorCeiling, zohoTimeMs } from './zoho-time.js';

export interface ZohoStreamOptions {
  readonly module: string;
  readonly client: ZohoClient;
  readonly catalog: ZohoFieldCatalog;
  readonly overlapMs: number;
  readonly bulkThreshold: number;
  /** false: first loads page through the Records API as well. */
  readonly bulkRead: boolean;
  readonly bulkPollMs: number;
  readonly bulkPollMaxMs: number;
  readonly bulkTimeoutMs: number;
}

const BATCH = 2000;

/**
 * One Zoho module, keyed by `id`, replicated by `Modified_Time` through the shared cursor module
 * (inclusive lower bound minus the overlap, ties by id, never past the run's start).
 *
 * - Every read starts with the recycle bin and permanent deletions since the bound (tombstones).
 * - First load and full refresh: Bulk Read (criteria `Modified_Time ≥ startDate`), unordered, so the
 *   cursor moves once the whole export is read.
 * - Incremental: the Records API in Modified_Time order, every page a checkpoint. A window that turns
 *   out larger than `bulkThreshold` records is finished through Bulk Read from where the pages got to.
 * - The cursor never reaches the second the run started in (cursorCeiling: Zoho stamps whole seconds).
 *
 * Fields (custom ones included) are read from `settings/fields` at the start of every read, so a field
 * added since the last run is selected and becomes a column.
 */
export class ZohoModuleStream implements Stream {
  readonly name: string;
  readonly cursorField = 'Modified_Time';
  readonly #o: ZohoStreamOptions;

  constructor(options: ZohoStreamOptions) {
    this.#o = options;
    this.name = options.module;
  }

  async columns(): Promise<readonly ColumnSpec[]> {
    return zohoColumns(selectableFields(await this.#o.catalog.fields(this.#o.module)));
  }

  async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
    const { module, client } = this.#o;
    const log = (message: string, fields?: Record<string, unknown>): void =>
      ctx.log.info(`zoho.${module}: ${message}`, fields);
    const fields = selectableFields(
      await this.#o.catalog.fields(module, { fresh: true, signal: ctx.signal }),
    );
    const reader = new ZohoRecordReader(module, fields);
    const mode = ctx.fullRefresh ? 'full-refresh' : ctx.cursor === null ? 'first-load' : 'incremental';
    const previous = mode === 'incremental' ? ctx.cursor : null;
    const ceiling = cursorCeiling(ctx.runStartedAt);
    const tracker = new CursorTracker(previous, ceiling);
    // Deletions have a tracker of their own: they are not in Modified_Time order with the pages, so
    // they move only the cursor saved at the end (a page's checkpoint must not pass a change not read
    // yet), which then covers them: the next run does not load the same tombstones again.
    const removed = new CursorTracker(previous, ceiling);
    const accept = (records: readonly SourceRecord[]): SourceRecord[] => {
      const out = records.filter((r) => tracker.observe(r));
      ctx.progress.page(this.name, out.length);
      return out;
    };
    const done = (): CursorState =>
      laterCursor(tracker.state(), removed.state()) ?? emptyCursor(ctx.runStartedAt);
    const bulk = (fromMs: number | null, why: string) => {
      log(`Bulk Read (${why})`, { from: fromMs === null ? null : toIso(fromMs) });
      return readBulk({
        client,
        module,
        reader,
        fromMs,
        pollMs: this.#o.bulkPollMs,
        pollMaxMs: this.#o.bulkPollMaxMs,
        timeoutMs: this.#o.bulkTimeoutMs,
        batchSize: BATCH,
        signal: ctx.signal,
        onJob: (jobId, page) => ctx.log.debug(`zoho.${module}: Bulk Read job created`, { jobId, page }),
      });
    };

    const from = lowerBound(previous, { overlapMs: this.#o.overlapMs, startDate: ctx.startDate });
    const fromMs = from?.getTime() ?? null;
    // Deletions first, outside the pages' checkpoints: a checkpoint of the pages below must never pass
    // a deletion that was not read yet. A first load reads them too, so the warehouse holds what the
    // CRM holds: its live records and the ones in the recycle bin or deleted for good.
    for await (const tombstones of this.#deletions(fromMs, ctx.signal)) {
      const fresh = tombstones.filter((r) => removed.observe(r));
      ctx.progress.page(this.name, fresh.length);
      if (fresh.length > 0) yield { records: fresh, checkpoint: null };
    }
    // Every run reads the deletions since its bound (a first load or full refresh: all of them), so
    // the check is complete here; the next commit records it with the tombstones above.
    yield { records: [], checkpoint: null, ...deletesChecked(ctx.runStartedAt) };

    if (mode !== 'incremental' && this.#o.bulkRead) {
      // Unordered: no checkpoint until the whole export is read.
      for await (const batch of bulk(fromMs, mode)) yield { records: accept(batch), checkpoint: null };
      yield { records: [], checkpoint: done() };
      return;
    }

    if (mode !== 'incremental') log(`${mode} through the Records API (bulkRead: false)`);
    let read = 0;
    let switched = false;
    for await (const page of prefetch(
      readModifiedRecords({ client, module, reader, fromMs, signal: ctx.signal }),
    )) {
      read += page.length;
      yield { records: accept(page), checkpoint: tracker.state() };
      if (read >= this.#o.bulkThreshold) {
        switched = true;
        break;
      }
    }
    if (switched) {
      // Everything up to the tracker's cursor is loaded; Bulk Read takes the rest of the window.
      const at = tracker.state();
      const restFrom = at === null ? fromMs : Date.parse(at.value);
      for await (const batch of bulk(restFrom, `more than bulkThreshold ${this.#o.bulkThreshold} changes`)) {
        yield { records: accept(batch), checkpoint: null };
      }
    }
    log('incremental read done', { records: read, path: switched ? 'records+bulk' : 'records' });
    yield { records: [], checkpoint: done() };
  }

  /** Tombstones of records moved to the recycle bin or deleted for good since `fromMs`. */
  async *#deletions(fromMs: number | null, signal: AbortSignal): AsyncGenerator<SourceRecord[]> {
    const after = fromMs === null ? undefined : Math.floor(fromMs / 1000) * 1000 - 1000;
    for (let page = 1; ; page++) {
      const body = await this.#o.client.deletedPage(this.#o.module, page, after, signal);
      const out: SourceRecord[] = body.data.map((d) => {
        const ms =
          d.deleted_time === null ? Date.now() : zohoTimeMs(d.deleted_time, `${this.#o.module} deleted_time`);
        return {
          id: d.id,
          updatedAt: toIso(ms),
          deleted: true,
          fields: { id: d.id, deleted_type: d.type ?? null },
        };
      });
      if (out.length > 0) yield out;
      if (body.info?.more_records !== true || body.data.length === 0) return;
    }
  }
}

/** A module with no record at all: the next run starts at this run's start (the overlap covers skew). */
function emptyCursor(runStartedAt: Date): CursorState {
  return { value: runStartedAt.toISOString(), ids: [] };
}
