import type { ColumnSpec } from '../../core/column-spec.js';
import { toIso } from '../../core/cursor-state.js';
import type { RecordBatch, SourceRecord } from '../../core/record.js';
import type { ReadContext, Stream } from '../../core/source.js';
import { CursorTracker, lowerBound } from '../../extract/cursor.js';
import { deletesChecked } from '../../extract/deletes-checked.js';
import type { ZohoClient } from './zoho-client.js';
import { cursorCeiling, zohoTimeMs } from './zoho-time.js';

const COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', type: 'string' },
  { name: 'zuid', type: 'string' },
  { name: 'full_name', type: 'string' },
  { name: 'first_name', type: 'string' },
  { name: 'last_name', type: 'string' },
  { name: 'email', type: 'string' },
  { name: 'status', type: 'string' },
  { name: 'role', type: 'string' },
  { name: 'profile', type: 'string' },
  { name: 'time_zone', type: 'string' },
  { name: 'Modified_Time', type: 'timestamp' },
];

/**
 * The org's users (`GET /crm/v8/users?type=AllUsers`), read with `If-Modified-Since` from the cursor;
 * the list is not sortable, so the cursor moves once every page is read. Role and profile are kept by
 * name.
 */
export class ZohoUsersStream implements Stream {
  readonly name = 'users';
  readonly cursorField = 'Modified_Time';
  readonly #client: ZohoClient;
  readonly #overlapMs: number;

  constructor(client: ZohoClient, overlapMs: number) {
    this.#client = client;
    this.#overlapMs = overlapMs;
  }

  async columns(): Promise<readonly ColumnSpec[]> {
    return COLUMNS;
  }

  async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
    const previous = ctx.fullRefresh ? null : ctx.cursor;
    const tracker = new CursorTracker(previous, cursorCeiling(ctx.runStartedAt));
    const from = lowerBound(previous, { overlapMs: this.#overlapMs, startDate: ctx.startDate });
    const after = from === null ? undefined : Math.floor(from.getTime() / 1000) * 1000 - 1000;
    for (let page = 1; ; page++) {
      const body = await this.#client.usersPage(page, after, ctx.signal);
      const records = body.users.map((u) => toRecord(u, ctx.runStartedAt)).filter((r) => tracker.observe(r));
      ctx.progress.page(this.name, records.length);
      if (records.length > 0) yield { records, checkpoint: null };
      if (body.info?.more_records !== true || body.users.length === 0) break;
    }
    yield {
      records: [],
      checkpoint: tracker.state() ?? previous ?? { value: ctx.runStartedAt.toISOString(), ids: [] },
      // Users are read by modification only: a full refresh (the load replaces the table) is the one
      // read that notices a user gone.
      ...deletesChecked(ctx.fullRefresh ? ctx.runStartedAt : null),
    };
  }
}

function toRecord(u: Readonly<Record<string, unknown>> & { id: string }, runStartedAt: Date): SourceRecord {
  const name = (v: unknown): string | null =>
    typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string'
      ? (v as { name: string }).name
      : null;
  const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  const modified = str(u.Modified_Time);
  const updatedAt =
    modified === null ? runStartedAt.toISOString() : toIso(zohoTimeMs(modified, 'users Modified_Time'));
  return {
    id: u.id,
    updatedAt,
    deleted: false,
    fields: {
      id: u.id,
      zuid: str(u.zuid),
      full_name: str(u.full_name),
      first_name: str(u.first_name),
      last_name: str(u.last_name),
      email: str(u.email),
      status: str(u.status),
      role: name(u.role),
      profile: name(u.profile),
      time_zone: str(u.time_zone),
      Modified_Time: modified === null ? null : updatedAt,
    },
  };
}
