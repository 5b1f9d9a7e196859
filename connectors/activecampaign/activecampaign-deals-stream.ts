import type { z } from 'zod';
import type { ColumnSpec } from '../../core/column-spec.js';
import type { RecordBatch } from '../../core/record.js';
import type { ReadContext, Stream } from '../../core/source.js';
import { CursorTracker, lowerBound } from '../../extract/cursor.js';
import { deletesChecked } from '../../extract/deletes-checked.js';
import type { ActiveCampaignClient } from './activecampaign-client.js';
import { standardColumns } from './activecampaign-columns.js';
import type { CustomFields } from './activecampaign-custom-fields.js';
import { pivotRecords } from './activecampaign-pivot.js';
import { afterReconcile, reconcileDue } from './activecampaign-reconcile.js';
import { DealSchema } from './activecampaign-schemas.js';
import { OffsetWalk, refuseIncompleteReplace } from './activecampaign-walk.js';

type AcDeal = z.output<typeof DealSchema>;

export interface DealsStreamOptions {
  readonly overlapMs: number;
  readonly reconcileEveryHours: number | null;
}

/**
 * Deals, with custom field data pivoted to columns named by field label. Deals have no `id_greater`,
 * so reads page by offset, each page re-reading a few rows of the previous one (OffsetWalk): a first
 * run walks every deal; an incremental run walks `filters[updated_after]` (≥, in account time) from
 * the cursor minus the overlap. If rows vanished faster than the overlap absorbs, the read keeps the
 * previous cursor so the next run reads the window again. Deletions: on the reconciliation cadence an
 * ids-only walk of every deal is listed as live ids, when it saw every row.
 */
export class ActiveCampaignDealsStream implements Stream {
  readonly name = 'deals';
  readonly cursorField = 'mdate';
  readonly #client: ActiveCampaignClient;
  readonly #fields: CustomFields;
  readonly #options: DealsStreamOptions;

  constructor(client: ActiveCampaignClient, fields: CustomFields, options: DealsStreamOptions) {
    this.#client = client;
    this.#fields = fields;
    this.#options = options;
  }

  async columns(): Promise<readonly ColumnSpec[]> {
    return [...standardColumns('deals'), ...(await this.#fields.map()).columns];
  }

  async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
    const previous = ctx.fullRefresh ? null : ctx.cursor;
    const tracker = new CursorTracker(previous, ctx.runStartedAt);
    const from = lowerBound(previous, { overlapMs: this.#options.overlapMs, startDate: ctx.startDate });
    const values = this.#fields.fetch(ctx.signal);
    let filter: Readonly<Record<string, string>> = {};
    if (from === null) await values.prepare(Number.POSITIVE_INFINITY);
    else {
      await this.#client.ensureOffset(ctx.signal);
      filter = { 'filters[updated_after]': this.#client.clock.filterValue(from.getTime()) };
    }
    const walk = this.#walk(filter, ctx.signal);
    for await (const page of walk.pages()) {
      await values.prepare(walk.firstTotal ?? page.length);
      const records = await pivotRecords(page, {
        stream: 'deals',
        time: { updated: 'mdate', fallback: 'cdate' },
        fields: this.#fields,
        values,
        clock: this.#client.clock,
        fromMs: from?.getTime() ?? null,
        keep: (r) => tracker.observe(r),
        signal: ctx.signal,
      });
      ctx.progress.page(this.name, records.length);
      if (records.length > 0) yield { records, checkpoint: null };
    }
    if (ctx.fullRefresh) refuseIncompleteReplace('deals', walk);
    if (!walk.complete) {
      ctx.log.warn('activecampaign.deals: deals vanished during the read; the cursor stays where it was');
      yield { records: [], checkpoint: previous };
      return;
    }
    const reconcile = reconcileDue(this.#options.reconcileEveryHours, previous, ctx.runStartedAt);
    // No deletions feed: deletes are checked by a complete id listing, or by a full refresh's replace.
    let checked = ctx.fullRefresh;
    if (reconcile) {
      const all = this.#walk({}, ctx.signal);
      for await (const _ of all.pages()) {
        // Ids only: the walk keeps them.
      }
      checked = checked || all.complete;
      if (all.complete) yield { records: [], checkpoint: null, liveIds: [...all.seen] };
      else
        ctx.log.warn(
          'activecampaign.deals: deals vanished during the id walk; deletes are reconciled next time',
        );
    }
    const done = tracker.state();
    yield {
      records: [],
      checkpoint: reconcile ? afterReconcile(done, ctx.runStartedAt) : done,
      ...deletesChecked(checked ? ctx.runStartedAt : null),
    };
  }

  #walk(filter: Readonly<Record<string, string>>, signal: AbortSignal): OffsetWalk<AcDeal> {
    return new OffsetWalk('deals', (offset, limit) =>
      this.#client.page('deals', 'deals', DealSchema, { ...filter, limit, offset }, signal),
    );
  }
}
