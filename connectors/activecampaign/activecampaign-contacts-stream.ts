import type { ColumnSpec } from '../../core/column-spec.js';
import type { RecordBatch } from '../../core/record.js';
import type { ReadContext, Stream } from '../../core/source.js';
import { CursorTracker, lowerBound } from '../../extract/cursor.js';
import { deletesChecked } from '../../extract/deletes-checked.js';
import { type ActiveCampaignClient, PAGE_LIMIT, type Page } from './activecampaign-client.js';
import { standardColumns } from './activecampaign-columns.js';
import type { CustomFields } from './activecampaign-custom-fields.js';
import { pivotRecords } from './activecampaign-pivot.js';
import { afterReconcile, reconcileDue } from './activecampaign-reconcile.js';
import { type AcContact, ContactSchema } from './activecampaign-schemas.js';
import { idGreaterWalk } from './activecampaign-walk.js';

export interface ContactsStreamOptions {
  readonly overlapMs: number;
  readonly reconcileEveryHours: number | null;
}

/**
 * Contacts, with custom field values pivoted to columns named by field title. Every walk is ordered
 * by id (`orders[id]=ASC&id_greater=<last id>`, never deep offsets). A first run walks every contact;
 * an incremental run walks `filters[updated_after]` and then `filters[created_after]` (contacts whose
 * `udate` is null are found only by creation), both from the cursor minus the overlap, expressed in
 * the account's local time (see activecampaign-time.ts); records are kept against the exact UTC bound
 * and deduplicated across the two walks. Unsorted by time, so the cursor is vouched for only at the
 * end. Deletions: on the reconciliation cadence the read ends with an ids-only walk of every contact,
 * listed as live ids so the load marks the rest deleted.
 */
export class ActiveCampaignContactsStream implements Stream {
  readonly name = 'contacts';
  readonly cursorField = 'udate';
  readonly #client: ActiveCampaignClient;
  readonly #fields: CustomFields;
  readonly #options: ContactsStreamOptions;

  constructor(client: ActiveCampaignClient, fields: CustomFields, options: ContactsStreamOptions) {
    this.#client = client;
    this.#fields = fields;
    this.#options = options;
  }

  async columns(): Promise<readonly ColumnSpec[]> {
    return [...standardColumns('contacts'), ...(await this.#fields.map()).columns];
  }

  async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
    const previous = ctx.fullRefresh ? null : ctx.cursor;
    const tracker = new CursorTracker(previous, ctx.runStartedAt);
    const from = lowerBound(previous, { overlapMs: this.#options.overlapMs, startDate: ctx.startDate });
    const values = this.#fields.fetch(ctx.signal);
    const seen = new Set<string>();
    const walks: Readonly<Record<string, string>>[] = [];
    if (from === null) {
      await values.prepare(Number.POSITIVE_INFINITY);
      walks.push({});
    } else {
      await this.#client.ensureOffset(ctx.signal);
      const since = this.#client.clock.filterValue(from.getTime());
      walks.push({ 'filters[updated_after]': since }, { 'filters[created_after]': since });
    }
    for (const filter of walks) {
      for await (const page of this.#walk(filter, ctx.signal)) {
        await values.prepare(page.total ?? page.items.length);
        const fresh = page.items.filter((c) => !seen.has(c.id));
        for (const c of fresh) seen.add(c.id);
        const records = await pivotRecords(fresh, {
          stream: 'contacts',
          time: { updated: 'udate', fallback: 'cdate' },
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
    }
    const reconcile = reconcileDue(this.#options.reconcileEveryHours, previous, ctx.runStartedAt);
    if (reconcile) {
      ctx.log.info('activecampaign.contacts: listing every contact id to reconcile deletes');
      for await (const page of this.#walk({}, ctx.signal)) {
        yield { records: [], checkpoint: null, liveIds: page.items.map((c) => c.id) };
      }
    }
    const done = tracker.state();
    yield {
      records: [],
      checkpoint: reconcile ? afterReconcile(done, ctx.runStartedAt) : done,
      // No deletions feed: deletes are checked by the id listing, or by a full refresh's replace.
      ...deletesChecked(reconcile || ctx.fullRefresh ? ctx.runStartedAt : null),
    };
  }

  #walk(filter: Readonly<Record<string, string>>, signal: AbortSignal): AsyncGenerator<Page<AcContact>> {
    return idGreaterWalk('contacts', (after) =>
      this.#client.page(
        'contacts',
        'contacts',
        ContactSchema,
        { ...filter, 'orders[id]': 'ASC', id_greater: after, limit: PAGE_LIMIT },
        signal,
      ),
    );
  }
}
