import type { ColumnSpec } from '../../core/column-spec.js';
import { cursorMs } from '../../core/cursor-state.js';
import type { RecordBatch, SourceRecord } from '../../core/record.js';
import type { ReadContext, Stream } from '../../core/source.js';
import { TideError } from '../../core/tide-error.js';
import { CursorTracker, lowerBound } from '../../extract/cursor.js';
import { deletesChecked } from '../../extract/deletes-checked.js';
import { PAGE_LIMIT, type PipedriveClient } from './pipedrive-client.js';
import { standardColumns } from './pipedrive-columns.js';
import { toSourceRecord } from './pipedrive-record.js';
import { v1More } from './pipedrive-schemas.js';
import type { PipedriveFields } from './pipedrive-stream-fields.js';

/** Each page re-reads this many leads of the previous one: a lead deleted meanwhile shifts offsets. */
const PAGE_OVERLAP = 5;

/**
 * Leads live in v1 only: `GET /v1/leads?updated_since=…` with start/limit paging, sorted by creation
 * (not by update), so no cursor is safe to save until the read ends. Records are also filtered by
 * update_time here, in case the server's filter is coarser. Leads carry deal custom fields (Pipedrive
 * shares dealFields with leads) at top level. Pipedrive deletes leads for good (no tombstone): a
 * deleted lead stays in the warehouse until a full refresh.
 */
export class PipedriveLeadsStream implements Stream {
  readonly name = 'leads';
  readonly cursorField = 'update_time';
  readonly #client: PipedriveClient;
  readonly #dealFields: PipedriveFields;
  readonly #overlapMs: number;

  constructor(client: PipedriveClient, dealFields: PipedriveFields, overlapMs: number) {
    this.#client = client;
    this.#dealFields = dealFields;
    this.#overlapMs = overlapMs;
  }

  async columns(): Promise<readonly ColumnSpec[]> {
    return [...standardColumns('leads'), ...(await this.#dealFields.map()).columns];
  }

  async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
    const previous = ctx.fullRefresh ? null : ctx.cursor;
    const map = await this.#dealFields.map();
    const tracker = new CursorTracker(previous, ctx.runStartedAt);
    const from = lowerBound(previous, { overlapMs: this.#overlapMs, startDate: ctx.startDate });
    const fromMs = from?.getTime() ?? null;
    const seen = new Set<string>();
    for (let start = 0; ; ) {
      const page = await this.#client.leadsPage(start, from?.toISOString(), ctx.signal);
      const data = page.data ?? [];
      const records: SourceRecord[] = [];
      for (const raw of data) {
        const record = toSourceRecord('leads', raw, map, { updated: 'update_time' });
        if (seen.has(record.id)) continue;
        seen.add(record.id);
        if (fromMs !== null && cursorMs(record.updatedAt) < fromMs) continue;
        if (tracker.observe(record)) records.push(record);
      }
      ctx.progress.page(this.name, records.length);
      if (records.length > 0) yield { records, checkpoint: null };
      const { more, nextStart } = v1More(page.additional_data);
      if (!more || data.length === 0) break;
      const next = Math.max(start + 1, (nextStart ?? start + data.length) - PAGE_OVERLAP);
      if (next <= start || next > start + PAGE_LIMIT)
        throw new TideError(
          'pagination_loop',
          `Pipedrive leads: next_start ${nextStart} does not advance from ${start}`,
        );
      start = next;
    }
    // Leads are deleted for good, without a tombstone: only a full refresh (the load replaces the
    // table) notices one gone.
    yield {
      records: [],
      checkpoint: tracker.state(),
      ...deletesChecked(ctx.fullRefresh ? ctx.runStartedAt : null),
    };
  }
}
