import type { ColumnSpec } from '../../core/column-spec.js';
import { toIso } from '../../core/cursor-state.js';
import type { RecordBatch, SourceRecord } from '../../core/record.js';
import type { ReadContext, Stream } from '../../core/source.js';
import { CursorTracker } from '../../extract/cursor.js';
import { deletesChecked } from '../../extract/deletes-checked.js';
import { paginate } from '../../extract/paginator.js';
import type { HubspotClient } from './hubspot-client.js';
import { HubspotOwnersPageSchema } from './hubspot-schemas.js';

const COLUMNS: readonly ColumnSpec[] = [
  { name: 'email', type: 'string' },
  { name: 'firstName', type: 'string' },
  { name: 'lastName', type: 'string' },
  { name: 'userId', type: 'integer' },
  { name: 'createdAt', type: 'timestamp' },
  { name: 'updatedAt', type: 'timestamp' },
];

/**
 * HubSpot owners (users who own records). The owners API has no modified-since filter and accounts
 * have few owners, so every run lists them all, active and archived; unchanged ones are skipped by the
 * cursor's tie-breaking only when they sit exactly at the cursor, and re-upserting the rest is cheap.
 */
export class HubspotOwnersStream implements Stream {
  readonly name = 'owners';
  readonly cursorField = 'updatedAt';
  readonly #client: HubspotClient;

  constructor(client: HubspotClient) {
    this.#client = client;
  }

  async columns(): Promise<readonly ColumnSpec[]> {
    return COLUMNS;
  }

  async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
    const previous = ctx.fullRefresh ? null : ctx.cursor;
    // HubSpot's clock when the client has heard it (another stream's answer) and it is ahead of ours.
    const readStart = this.#client.http.notBefore(ctx.runStartedAt);
    const tracker = new CursorTracker(previous, readStart);
    const previousMs = previous === null ? null : Date.parse(previous.value);
    for (const archived of [false, true]) {
      for await (const page of paginate(
        'HubSpot owners list',
        (after) =>
          this.#client.http.json(
            { path: '/crm/v3/owners', query: { limit: 100, after, archived }, signal: ctx.signal },
            HubspotOwnersPageSchema,
          ),
        (page) => page.paging?.next?.after,
      )) {
        const records: SourceRecord[] = [];
        for (const owner of page.results) {
          const record: SourceRecord = {
            id: owner.id,
            updatedAt: toIso(owner.updatedAt),
            deleted: archived || owner.archived === true,
            fields: {
              email: owner.email ?? null,
              firstName: owner.firstName ?? null,
              lastName: owner.lastName ?? null,
              userId: owner.userId ?? null,
              createdAt: owner.createdAt ?? null,
              updatedAt: owner.updatedAt,
            },
          };
          // Owners older than the cursor are unchanged since the last run.
          if (previousMs !== null && Date.parse(record.updatedAt) < previousMs) continue;
          if (tracker.observe(record)) records.push(record);
        }
        ctx.progress.page(this.name, records.length);
        if (records.length > 0) yield { records, checkpoint: null };
      }
    }
    // Archived owners are listed on every run: deletes are checked each time.
    yield { records: [], checkpoint: tracker.state(), ...deletesChecked(readStart) };
  }
}
