import type { ColumnSpec } from '../../core/column-spec.js';
import { type CursorState, cursorMs } from '../../core/cursor-state.js';
import type { RecordBatch, SourceRecord } from '../../core/record.js';
import type { ReadContext, Stream } from '../../core/source.js';
import { CursorTracker, lowerBound } from '../../extract/cursor.js';
import { deletesChecked } from '../../extract/deletes-checked.js';
import { paginate } from '../../extract/paginator.js';
import { prefetch } from '../../extract/prefetch.js';
import type { PipedriveClient, V2Entity } from './pipedrive-client.js';
import { standardColumns } from './pipedrive-columns.js';
import { toSourceRecord } from './pipedrive-record.js';
import type { PipedriveV2Record } from './pipedrive-schemas.js';
import type { PipedriveFields } from './pipedrive-stream-fields.js';

/** `updated_since` wants RFC 3339; whole seconds, rounded down so the bound stays inclusive. */
function rfc3339Floor(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * After a complete resync the cursor may move up to the field change (never past the run's start):
 * every record was read, so nothing older than the change is missing, and the next run does not see
 * the same change again and start over once more.
 */
function pastChange(state: CursorState | null, changeMs: number, runStartedAt: Date): CursorState | null {
  const ms = Math.min(changeMs, runStartedAt.getTime());
  if (state !== null && cursorMs(state.value) >= ms) return state;
  return { value: new Date(ms).toISOString(), ids: [] };
}

/**
 * One v2 entity (persons, organizations, deals, activities). First runs and incremental runs read
 * the same way: `updated_since=<bound>&sort_by=update_time&sort_direction=asc&limit=500`, following
 * `next_cursor`, never `/v1/recents` (capped at one month of history). Sorted by update_time, so every
 * page is a checkpoint; the shared CursorTracker drops ties already loaded at the cursor.
 *
 * Deletes: deals list their deleted ones with `status=deleted` (documented, 30 days), read first in
 * each run; persons, organizations and activities have no documented list-deleted filter, and Tide
 * relies on `updated_since` lists returning soft-deleted records flagged `is_deleted` (INFERENCE, as
 * the simulator does; verify against the live API).
 *
 * A custom field whose definition changed since the cursor (a rename) makes the read start over
 * (`resync`), so its column under the new name is filled for every record, not only changed ones.
 */
export class PipedriveEntityStream implements Stream {
  readonly name: V2Entity;
  readonly cursorField = 'update_time';
  readonly #client: PipedriveClient;
  readonly #fields: PipedriveFields;
  readonly #overlapMs: number;

  constructor(client: PipedriveClient, entity: V2Entity, fields: PipedriveFields, overlapMs: number) {
    this.#client = client;
    this.name = entity;
    this.#fields = fields;
    this.#overlapMs = overlapMs;
  }

  async columns(): Promise<readonly ColumnSpec[]> {
    return [...standardColumns(this.name), ...(await this.#fields.map()).columns];
  }

  async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
    let previous = ctx.fullRefresh ? null : ctx.cursor;
    const changed = previous === null ? null : await this.#fields.changedAfter(cursorMs(previous.value));
    const resync = changed !== null;
    if (changed !== null) {
      ctx.log.info(`pipedrive.${this.name}: custom field definitions changed; reading every record again`, {
        fields: changed.names,
      });
      previous = null;
    }
    const map = await this.#fields.map();
    const tracker = new CursorTracker(previous, ctx.runStartedAt);
    const from = lowerBound(previous, { overlapMs: this.#overlapMs, startDate: ctx.startDate });
    const since = rfc3339Floor(from?.getTime() ?? 0);
    const sorted = { updated_since: since, sort_by: 'update_time', sort_direction: 'asc' } as const;
    let first = resync;
    const flag = (): { resync?: true } => {
      if (!first) return {};
      first = false;
      return { resync: true };
    };

    if (this.name === 'deals') {
      // Deleted deals first, under their own tie tracker: they must not move the main checkpoint.
      const deletedTracker = new CursorTracker(previous, ctx.runStartedAt);
      for await (const page of this.#pages({ ...sorted, status: 'deleted' }, ctx.signal)) {
        const records = this.#convert(page, map, deletedTracker);
        ctx.progress.page(this.name, records.length);
        yield { records, checkpoint: null, ...flag() };
      }
      // Every deal deleted since the bound is listed by now: the check is complete.
      yield { records: [], checkpoint: null, ...flag(), ...deletesChecked(ctx.runStartedAt) };
    }
    for await (const page of prefetch(this.#pages(sorted, ctx.signal))) {
      const records = this.#convert(page, map, tracker);
      ctx.progress.page(this.name, records.length);
      yield { records, checkpoint: tracker.state(), ...flag() };
    }
    const done = tracker.state();
    yield {
      records: [],
      checkpoint: changed === null ? done : pastChange(done, changed.latestMs, ctx.runStartedAt),
      ...flag(),
      // The other entities see deletes only as `is_deleted` records in the same updated_since list
      // (the inference above), so the read that ends here is their check.
      ...deletesChecked(this.name === 'deals' ? null : ctx.runStartedAt),
    };
  }

  #convert(
    page: readonly PipedriveV2Record[],
    map: Awaited<ReturnType<PipedriveFields['map']>>,
    tracker: CursorTracker,
  ): SourceRecord[] {
    const out: SourceRecord[] = [];
    for (const raw of page) {
      const record = toSourceRecord(this.name, raw, map, { updated: 'update_time' });
      if (tracker.observe(record)) out.push(record);
    }
    return out;
  }

  async *#pages(
    query: Readonly<Record<string, string>>,
    signal: AbortSignal,
  ): AsyncGenerator<readonly PipedriveV2Record[]> {
    for await (const page of paginate(
      `Pipedrive ${this.name} list`,
      (cursor) => this.#client.listPage(this.name, query, cursor, signal),
      (page) => page.additional_data?.next_cursor,
    )) {
      yield page.data ?? [];
    }
  }
}
