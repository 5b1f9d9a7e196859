import type { z } from 'zod';
import type { ColumnSpec } from '../../core/column-spec.js';
import type { RecordBatch, SourceRecord } from '../../core/record.js';
import type { ReadContext, Stream } from '../../core/source.js';
import { CursorTracker, lowerBound } from '../../extract/cursor.js';
import { deletesChecked } from '../../extract/deletes-checked.js';
import type { ActiveCampaignClient } from './activecampaign-client.js';
import { standardColumns } from './activecampaign-columns.js';
import type { CustomFields } from './activecampaign-custom-fields.js';
import { pivotRecords } from './activecampaign-pivot.js';
import { toSourceRecord } from './activecampaign-record.js';
import { AccountContactSchema, AccountSchema, NoteSchema } from './activecampaign-schemas.js';
import { OffsetWalk, refuseIncompleteReplace } from './activecampaign-walk.js';

type ListStreamName = 'accounts' | 'notes' | 'account_contacts';
type Raw = Readonly<Record<string, unknown>> & { readonly id: string };

interface ListSpec {
  readonly resource: string;
  readonly schema: z.ZodType<Raw>;
  readonly time: { readonly updated: string; readonly fallback: string };
}

const SPECS: Readonly<Record<ListStreamName, ListSpec>> = {
  accounts: {
    resource: 'accounts',
    schema: AccountSchema,
    time: { updated: 'updatedTimestamp', fallback: 'createdTimestamp' },
  },
  notes: { resource: 'notes', schema: NoteSchema, time: { updated: 'mdate', fallback: 'cdate' } },
  account_contacts: {
    resource: 'accountContacts',
    schema: AccountContactSchema,
    time: { updated: 'updatedTimestamp', fallback: 'createdTimestamp' },
  },
};

/** Changed records are emitted in batches of this many. */
const BATCH = 500;

/**
 * A resource the API cannot filter by modification time (accounts, notes, account–contact links):
 * every run reads it in full by offset (OffsetWalk), but emits only the records modified since the
 * cursor minus the overlap, so unchanged rows are not written again, and lists every id it saw, so
 * the load marks vanished ones deleted at no extra request. If rows vanished faster than the page
 * overlap absorbs, nothing is listed and the cursor stays, so the next run tries again. Accounts
 * carry their custom field data pivoted to columns (values fetched only for the changed accounts).
 */
export class ActiveCampaignListStream implements Stream {
  readonly name: ListStreamName;
  readonly cursorField: string;
  readonly #client: ActiveCampaignClient;
  readonly #spec: ListSpec;
  readonly #fields: CustomFields | null;
  readonly #overlapMs: number;

  constructor(
    client: ActiveCampaignClient,
    name: ListStreamName,
    fields: CustomFields | null,
    overlapMs: number,
  ) {
    this.#client = client;
    this.name = name;
    this.#spec = SPECS[name];
    this.cursorField = this.#spec.time.updated;
    this.#fields = fields;
    this.#overlapMs = overlapMs;
  }

  async columns(): Promise<readonly ColumnSpec[]> {
    return [...standardColumns(this.name), ...((await this.#fields?.map())?.columns ?? [])];
  }

  async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
    const previous = ctx.fullRefresh ? null : ctx.cursor;
    const tracker = new CursorTracker(previous, ctx.runStartedAt);
    const fromMs =
      lowerBound(previous, { overlapMs: this.#overlapMs, startDate: ctx.startDate })?.getTime() ?? null;
    const values = this.#fields?.fetch(ctx.signal) ?? null;
    const walk = new OffsetWalk(this.name, (offset, limit) =>
      this.#client.page(
        this.#spec.resource,
        this.#spec.resource,
        this.#spec.schema,
        { limit, offset },
        ctx.signal,
      ),
    );
    const keep = (r: SourceRecord): boolean => tracker.observe(r);
    const convert = async (raws: readonly Raw[]): Promise<SourceRecord[]> => {
      if (this.#fields === null || values === null) {
        return raws
          .map((raw) => toSourceRecord(this.name, raw, this.#spec.time, null))
          .filter((r) => (fromMs === null || Date.parse(r.updatedAt) >= fromMs) && keep(r));
      }
      const step = {
        stream: this.name,
        time: this.#spec.time,
        fields: this.#fields,
        values,
        clock: this.#client.clock,
        fromMs,
        keep,
        signal: ctx.signal,
      };
      return pivotRecords(raws, step);
    };
    const emit = (records: SourceRecord[]): SourceRecord[] => {
      ctx.progress.page(this.name, records.length);
      return records;
    };

    if (fromMs === null) {
      await values?.prepare(Number.POSITIVE_INFINITY);
      for await (const page of walk.pages()) {
        const records = emit(await convert(page));
        if (records.length > 0) yield { records, checkpoint: null };
      }
    } else {
      // Changed records are found only by reading everything: collect them, then fetch their values.
      const changed: Raw[] = [];
      for await (const page of walk.pages()) {
        for (const raw of page) {
          const record = toSourceRecord(this.name, raw, this.#spec.time, null);
          if (Date.parse(record.updatedAt) >= fromMs) changed.push(raw);
        }
      }
      await values?.prepare(changed.length);
      for (let i = 0; i < changed.length; i += BATCH) {
        const records = emit(await convert(changed.slice(i, i + BATCH)));
        if (records.length > 0) yield { records, checkpoint: null };
      }
    }
    if (ctx.fullRefresh) refuseIncompleteReplace(this.name, walk);
    if (!walk.complete) {
      ctx.log.warn(
        `activecampaign.${this.name}: records vanished during the read; deletes and the cursor wait for the next run`,
      );
      yield { records: [], checkpoint: previous };
      return;
    }
    // Every id listed: the load marks the rest deleted, so deletes are checked on every complete read.
    yield {
      records: [],
      checkpoint: tracker.state(),
      liveIds: [...walk.seen],
      ...deletesChecked(ctx.runStartedAt),
    };
  }
}
