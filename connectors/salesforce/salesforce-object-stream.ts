import type { ColumnSpec } from '../../core/column-spec.js';
import { toIso } from '../../core/cursor-state.js';
import type { RecordBatch, SourceRecord } from '../../core/record.js';
import type { ReadContext, Stream } from '../../core/source.js';
import { CursorTracker, finalCursor } from '../../extract/cursor.js';
import { deletesChecked } from '../../extract/deletes-checked.js';
import { prefetch } from '../../extract/prefetch.js';
import type { SalesforceBulk } from './salesforce-bulk.js';
import { readBulk } from './salesforce-bulk-reader.js';
import type { SalesforceClient } from './salesforce-client.js';
import { formulaFields, salesforceColumns, selectableFields } from './salesforce-field-catalog.js';
import type { BulkJobAllowance } from './salesforce-quota.js';
import {
  checkDeletionLog,
  planRead,
  type ReadMode,
  type ReadPlan,
  replacesTable,
} from './salesforce-read-plan.js';
import { SalesforceRecordReader } from './salesforce-record.js';
import type { SObjectDescribe } from './salesforce-schemas.js';
import { countSoql, selectSoql } from './soql.js';

export interface SalesforceStreamOptions {
  readonly object: string;
  readonly client: SalesforceClient;
  readonly bulk: SalesforceBulk;
  /** The day's remaining Bulk query jobs (loaded from GET /limits once per source). */
  readonly bulkJobs: () => Promise<BulkJobAllowance>;
  readonly overlapMs: number;
  readonly bulkThreshold: number;
  readonly bulkPageRecords: number;
  readonly bulkPollMs: number;
  readonly bulkTimeoutMs: number;
  readonly refreshEveryDays?: number | undefined;
}

/** Salesforce answers 414 past about 16 KB of request line; longer SOQL goes through Bulk (a POST). */
const MAX_GET_SOQL = 15_000;
const BATCH = 2000;

/**
 * One Salesforce object, read by SystemModstamp then Id. Each run: COUNT() over the window; on
 * incremental runs a look at the deletion log (a full resync when it no longer reaches back); then
 * Bulk API 2.0 for first loads and big windows, or a REST queryAll ordered by (SystemModstamp, Id)
 * whose pages are safe checkpoints. queryAll returns soft-deleted records with IsDeleted = true.
 */
export class SalesforceObjectStream implements Stream {
  readonly name: string;
  readonly cursorField = 'SystemModstamp';
  readonly #o: SalesforceStreamOptions;
  #describe: Promise<SObjectDescribe> | null = null;

  constructor(options: SalesforceStreamOptions) {
    this.#o = options;
    this.name = options.object;
  }

  async columns(): Promise<readonly ColumnSpec[]> {
    return salesforceColumns(selectableFields(await this.#described()));
  }

  #described(signal?: AbortSignal): Promise<SObjectDescribe> {
    if (this.#describe === null) {
      const pending = this.#o.client.describe(this.#o.object, signal);
      this.#describe = pending;
      pending.catch(() => {
        if (this.#describe === pending) this.#describe = null;
      });
    }
    return this.#describe;
  }

  async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
    const { object, client } = this.#o;
    const log = (message: string, fields?: Record<string, unknown>): void =>
      ctx.log.info(`salesforce.${object}: ${message}`, fields);
    const describe = await this.#described(ctx.signal);
    const fields = selectableFields(describe);
    const reader = new SalesforceRecordReader(object, fields);
    let plan = planRead(ctx, { overlapMs: this.#o.overlapMs, refreshEveryDays: this.#o.refreshEveryDays });
    if (plan.mode === 'formula-refresh') {
      log('periodic full read so formula fields are current', { formulaFields: formulaFields(fields) });
    }
    let counted = await client.count(countSoql(object, plan.fromMs), ctx.signal);
    /** Up to when this read sees every delete (null: it does not check them; see deletesCheckedMs). */
    let checkedMs = deletesCheckedMs(plan.mode, counted.serverMs ?? ctx.runStartedAt.getTime(), describe);

    let deletions = new Map<string, number>();
    if (describe.deletable !== false && plan.deletionsFromMs !== null) {
      const serverNowMs = counted.serverMs ?? Date.now();
      const check = await checkDeletionLog(client, object, plan.deletionsFromMs, serverNowMs, ctx.signal);
      if (check.complete) {
        deletions = check.deletions;
        checkedMs = serverNowMs;
      } else {
        ctx.log.warn(`salesforce.${object}: deletion log does not reach back to the cursor; full resync`, {
          reason: check.reason,
          cursor: plan.previous?.value ?? null,
        });
        const startMs = ctx.startDate === null ? null : Date.parse(ctx.startDate);
        plan = { mode: 'resync', previous: null, fromMs: startMs, deletionsFromMs: null };
        counted = await client.count(countSoql(object, plan.fromMs), ctx.signal);
        checkedMs = counted.serverMs ?? ctx.runStartedAt.getTime();
      }
    }

    const tracker = new CursorTracker(plan.previous, ctx.runStartedAt);
    const checkpoints = !replacesTable(plan.mode);
    const accept = (records: readonly SourceRecord[]): SourceRecord[] => {
      const out: SourceRecord[] = [];
      for (const r of records) {
        deletions.delete(r.id);
        if (tracker.observe(r)) out.push(r);
      }
      ctx.progress.page(this.name, out.length);
      return out;
    };

    // Records at exactly the cursor that the last run loaded are counted but skipped.
    const expected = Math.max(0, counted.value - (plan.previous?.ids.length ?? 0));
    ctx.progress.total?.(this.name, expected);
    const path = await this.#choosePath(plan, expected, reader.fieldNames);
    log(
      `${plan.mode}: ${expected} records since ${plan.fromMs === null ? 'the beginning' : toIso(plan.fromMs)} → ${path.kind === 'bulk' ? 'Bulk API 2.0' : 'REST queryAll'}`,
      {
        mode: plan.mode,
        records: expected,
        path: path.kind,
        reason: path.reason,
      },
    );

    let first = plan.mode === 'resync';
    const flag = (): { resync?: true } => {
      if (!first) return {};
      first = false;
      return { resync: true };
    };
    const soql = selectSoql({
      fields: reader.fieldNames,
      object,
      fromMs: plan.fromMs,
      ordered: path.kind === 'rest',
    });
    if (path.kind === 'bulk') {
      // Bulk results are unordered: the cursor may only move once the whole job is read.
      for await (const batch of readBulk({
        bulk: this.#o.bulk,
        soql,
        what: `${object} ${plan.mode}`,
        operation: 'queryAll',
        reader,
        pageRecords: this.#o.bulkPageRecords,
        pollMs: this.#o.bulkPollMs,
        timeoutMs: this.#o.bulkTimeoutMs,
        batchSize: BATCH,
        signal: ctx.signal,
        onJob: (jobId) => log('Bulk API 2.0 query job created', { jobId }),
      })) {
        yield { records: accept(batch), checkpoint: null, ...flag() };
      }
    } else {
      for await (const page of prefetch(client.queryPages(soql, { all: true, signal: ctx.signal }))) {
        const records = accept(page.records.map((raw) => reader.fromRest(raw)));
        // Ordered by (SystemModstamp, Id): everything up to the tracker's state has been read.
        yield { records, checkpoint: checkpoints ? tracker.state() : null, ...flag() };
      }
    }

    // Deletions the log knows but queryAll does not return: hard deletes (Bulk hardDelete skips the
    // recycle bin). They arrive as tombstones carrying only Id and IsDeleted.
    const tombstones = accept(
      [...deletions].map(([id, ms]) => ({
        id,
        updatedAt: toIso(ms),
        deleted: true,
        fields: { Id: id, IsDeleted: true },
      })),
    );
    yield {
      records: tombstones,
      checkpoint: finalCursor(tracker.state(), counted.serverMs, ctx.runStartedAt),
      ...flag(),
      ...deletesChecked(checkedMs),
    };
  }

  async #choosePath(
    plan: ReadPlan,
    count: number,
    fieldNames: readonly string[],
  ): Promise<{ kind: 'bulk' | 'rest'; reason: string }> {
    const soqlLength = encodeURIComponent(fieldNames.join(', ')).length;
    const reason = bulkReason(plan.mode, count, this.#o.bulkThreshold, soqlLength > MAX_GET_SOQL);
    if (reason === null) return { kind: 'rest', reason: `${count} ≤ bulkThreshold ${this.#o.bulkThreshold}` };
    const allowance = await this.#o.bulkJobs();
    if (allowance.take()) return { kind: 'bulk', reason };
    return {
      kind: 'rest',
      reason: `${reason}, but no Bulk query jobs are left today (bulkJobsDailyCap): REST instead`,
    };
  }
}

/**
 * Up to when a read of this mode sees every delete, before any deletion-log check: full reads that
 * replace the table (full refresh, resync) and first loads (queryAll returns what the recycle bin
 * holds as IsDeleted) from their start (`readStartMs`, Salesforce's clock from the COUNT); an object
 * that cannot be deleted has nothing to miss. An incremental read checks only through the deletion
 * log (set by the caller once it answered in full). A formula refresh does not read the log (it
 * upserts everything queryAll returns, which leaves out records purged from the recycle bin), so it
 * does not count.
 */
function deletesCheckedMs(mode: ReadMode, readStartMs: number, describe: SObjectDescribe): number | null {
  if (mode === 'full-refresh' || mode === 'resync' || mode === 'first-load') return readStartMs;
  if (mode === 'incremental' && describe.deletable === false) return readStartMs;
  return null;
}

function bulkReason(mode: ReadMode, count: number, threshold: number, longSoql: boolean): string | null {
  if (longSoql) return 'the field list is too long for a REST query URL';
  if (mode === 'first-load' || mode === 'full-refresh' || mode === 'resync' || mode === 'formula-refresh') {
    return `${mode} reads everything`;
  }
  return count > threshold ? `${count} > bulkThreshold ${threshold}` : null;
}
