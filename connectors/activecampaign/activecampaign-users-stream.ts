import { createHash } from 'node:crypto';
import type { ColumnSpec } from '../../core/column-spec.js';
import type { CursorState } from '../../core/cursor-state.js';
import type { RecordBatch } from '../../core/record.js';
import type { ReadContext, Stream } from '../../core/source.js';
import { deletesChecked } from '../../extract/deletes-checked.js';
import type { ActiveCampaignClient } from './activecampaign-client.js';
import { standardColumns } from './activecampaign-columns.js';
import { toSourceRecord } from './activecampaign-record.js';
import { UserSchema } from './activecampaign-schemas.js';
import { OffsetWalk } from './activecampaign-walk.js';

/**
 * The account's users: no modified timestamp at all, no filter. Read in full every run (they are
 * few), and kept cheap with ids + hashes: the cursor's `ids` hold `<id>:<hash>` of every user the
 * last run saw, so a run emits only new or changed users (stamped with the run's start) and lists
 * every id for delete reconciliation. The cursor value is the run start of the last change.
 */
export class ActiveCampaignUsersStream implements Stream {
  readonly name = 'users';
  readonly cursorField = 'content hash';
  readonly #client: ActiveCampaignClient;

  constructor(client: ActiveCampaignClient) {
    this.#client = client;
  }

  async columns(): Promise<readonly ColumnSpec[]> {
    return standardColumns('users');
  }

  async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
    const previous = ctx.fullRefresh ? null : ctx.cursor;
    const known = new Set(previous?.ids ?? []);
    const stamp = ctx.runStartedAt.toISOString();
    const walk = new OffsetWalk('users', (offset, limit) =>
      this.#client.page('users', 'users', UserSchema, { limit, offset }, ctx.signal),
    );
    const entries: string[] = [];
    const records = [];
    for await (const page of walk.pages()) {
      for (const raw of page) {
        const record = toSourceRecord('users', raw, { updatedAt: stamp }, null);
        const entry = `${raw.id}:${createHash('sha256').update(JSON.stringify(record.fields)).digest('hex').slice(0, 16)}`;
        entries.push(entry);
        if (!known.has(entry)) records.push(record);
      }
    }
    ctx.progress.page(this.name, records.length);
    if (!walk.complete) {
      if (records.length > 0) yield { records, checkpoint: null };
      yield { records: [], checkpoint: previous };
      return;
    }
    const checkpoint: CursorState = {
      value: records.length > 0 || previous === null ? stamp : previous.value,
      ids: entries.sort(),
    };
    // Every id listed: the load marks the rest deleted, so deletes are checked on every complete read.
    yield {
      records,
      checkpoint,
      liveIds: entries.map((e) => e.slice(0, e.indexOf(':'))),
      ...deletesChecked(ctx.runStartedAt),
    };
  }
}
