import type { ColumnSpec } from '../../core/column-spec.js';
import type { RecordBatch, SourceRecord } from '../../core/record.js';
import type { ReadContext, Stream } from '../../core/source.js';
import { CursorTracker, lowerBound } from '../../extract/cursor.js';
import { deletesChecked } from '../../extract/deletes-checked.js';
import type { PipedriveClient } from './pipedrive-client.js';
import { standardColumns } from './pipedrive-columns.js';
import { toSourceRecord } from './pipedrive-record.js';

const NO_CUSTOM = { columns: [], byKey: new Map() } as const;

/**
 * The company's users (`GET /v1/users`, one response, no paging or filter): read in full each run;
 * only those modified since the cursor are emitted. Users are deactivated (active_flag) rather than
 * deleted; `is_deleted` is honoured when present.
 */
export class PipedriveUsersStream implements Stream {
  readonly name = 'users';
  readonly cursorField = 'modified';
  readonly #client: PipedriveClient;
  readonly #overlapMs: number;

  constructor(client: PipedriveClient, overlapMs: number) {
    this.#client = client;
    this.#overlapMs = overlapMs;
  }

  async columns(): Promise<readonly ColumnSpec[]> {
    return standardColumns('users');
  }

  async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
    const previous = ctx.fullRefresh ? null : ctx.cursor;
    const tracker = new CursorTracker(previous, ctx.runStartedAt);
    const fromMs = lowerBound(previous, { overlapMs: this.#overlapMs, startDate: null })?.getTime() ?? null;
    const records: SourceRecord[] = [];
    for (const raw of await this.#client.users(ctx.signal)) {
      const record = toSourceRecord('users', raw, NO_CUSTOM, { updated: 'modified', fallback: 'created' });
      if (fromMs !== null && Date.parse(record.updatedAt) < fromMs) continue;
      if (tracker.observe(record)) records.push(record);
    }
    ctx.progress.page(this.name, records.length);
    // Unchanged users are not emitted, so only a full refresh (the load replaces the table) notices a
    // user gone.
    yield {
      records,
      checkpoint: tracker.state(),
      ...deletesChecked(ctx.fullRefresh ? ctx.runStartedAt : null),
    };
  }
}
