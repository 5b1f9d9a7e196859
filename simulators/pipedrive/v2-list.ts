import { z } from 'zod';
import type { SimResponse } from '../kit/sim-types.js';
import type { Entity } from './entity-kinds.js';
import type { EntityTable } from './entity-table.js';
import { decodeCursor, encodeCursor, type ListPosition } from './list-cursor.js';
import { badRequest } from './pipedrive-errors.js';
import type { PipedriveStore } from './pipedrive-store.js';

const rfc3339 = z
  .string()
  .refine((s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/.test(s), 'Must be RFC3339')
  .transform((s) => Date.parse(s));
const idList = (max: number) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => Number(v.trim())))
    .refine(
      (ids) => ids.length <= max && ids.every((n) => Number.isInteger(n) && n > 0),
      `At most ${max} ids`,
    );

const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500, 'Must be less than or equal to 500').default(100),
  cursor: z.string().optional(),
  updated_since: rfc3339.optional(),
  updated_until: rfc3339.optional(),
  sort_by: z.enum(['id', 'update_time', 'add_time']).default('id'),
  sort_direction: z.enum(['asc', 'desc']).default('asc'),
  ids: idList(100).optional(),
  owner_id: z.coerce.number().int().optional(),
  org_id: z.coerce.number().int().optional(),
  person_id: z.coerce.number().int().optional(),
  deal_id: z.coerce.number().int().optional(),
  status: z.enum(['open', 'won', 'lost', 'deleted']).optional(),
  custom_fields: z
    .string()
    .transform((s) => s.split(',').map((k) => k.trim()))
    .refine((keys) => keys.length <= 15, 'A maximum of 15 keys is allowed')
    .optional(),
});
type ListQuery = z.output<typeof ListQuerySchema>;

/**
 * `GET /api/v2/{entity}`. Deleted records: v2 documents `status=deleted` for deals ("deleted up to 30
 * days ago") and no list-deleted filter for the others. INFERENCE (our documented choice): a list with
 * `updated_since` also returns persons, organizations and activities deleted in the last 30 days,
 * flagged `is_deleted: true`, so an incremental reader sees deletions; lists without it never do.
 */
export function listEntities(store: PipedriveStore, entity: Entity, query: URLSearchParams): SimResponse {
  const parsed = ListQuerySchema.safeParse(Object.fromEntries(query));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return badRequest(`${issue.path.join('.')}: ${issue.message}`);
  }
  const q = parsed.data;
  let after: ListPosition | null = null;
  if (q.cursor !== undefined) {
    after = decodeCursor(q.cursor);
    if (after === null || after.sortBy !== q.sort_by || after.direction !== q.sort_direction)
      return badRequest('cursor: Invalid cursor');
  }
  const table = store.table(entity);
  const keep = admission(store, entity, table, q);
  const customKeys = q.custom_fields === undefined ? undefined : new Set(q.custom_fields);
  const data: Record<string, unknown>[] = [];
  let last = -1;
  let more = false;
  for (const slot of walk(table, q, after)) {
    if (!keep(slot)) continue;
    if (data.length === q.limit) {
      more = true;
      break;
    }
    data.push(store.record(entity, slot, customKeys));
    last = slot;
  }
  const next =
    more && last >= 0
      ? encodeCursor({
          sortBy: q.sort_by,
          direction: q.sort_direction,
          key: sortKey(table, q.sort_by, last),
          id: table.id(last),
        })
      : null;
  return { status: 200, json: { success: true, data, additional_data: { next_cursor: next } } };
}

function sortKey(table: EntityTable, sortBy: ListQuery['sort_by'], slot: number): number {
  if (sortBy === 'update_time') return table.updateMs(slot);
  if (sortBy === 'add_time') return table.addMs(slot);
  return table.id(slot);
}

/** Slots in the requested order, starting after the cursor (or at updated_since when that is the sort). */
function* walk(table: EntityTable, q: ListQuery, after: ListPosition | null): Generator<number> {
  const asc = q.sort_direction === 'asc';
  if (q.sort_by === 'id') {
    if (asc) {
      for (let slot = after === null ? 0 : table.slotAfterId(after.id); slot < table.size; slot++) yield slot;
    } else {
      const from = after === null ? table.size : table.slotAfterId(after.id - 1);
      for (let slot = from - 1; slot >= 0; slot--) yield slot;
    }
    return;
  }
  const view = q.sort_by === 'update_time' ? table.byUpdate : table.byAdd;
  const order = view.order();
  // The slot with the cursor's id, or the one just below it (ids never go away, but a client may forge).
  const cursorSlot = after === null ? -1 : table.slotAfterId(after.id) - 1;
  if (asc) {
    let start = 0;
    if (after !== null) start = view.after(after.key, cursorSlot);
    else if (q.sort_by === 'update_time' && q.updated_since !== undefined)
      start = view.after(q.updated_since, -1);
    for (let i = start; i < order.length; i++) {
      const slot = order[i]!;
      if (
        q.sort_by === 'update_time' &&
        q.updated_until !== undefined &&
        table.updateMs(slot) >= q.updated_until
      )
        return;
      yield slot;
    }
    return;
  }
  let end = order.length;
  if (after !== null) end = view.after(after.key, cursorSlot - 1);
  else if (q.sort_by === 'update_time' && q.updated_until !== undefined)
    end = view.after(q.updated_until, -1);
  for (let i = end - 1; i >= 0; i--) yield order[i]!;
}

/** Which slots the filters let through (deleted-record visibility included). */
function admission(
  store: PipedriveStore,
  entity: Entity,
  table: EntityTable,
  q: ListQuery,
): (slot: number) => boolean {
  const now = store.now();
  const ids = q.ids === undefined ? null : new Set(q.ids);
  const wantDeleted = entity === 'deals' ? q.status === 'deleted' : false;
  const showDeleted = entity === 'deals' ? wantDeleted : q.updated_since !== undefined;
  const fieldFilters = (
    [
      ['owner_id', q.owner_id],
      ['org_id', q.org_id],
      ['person_id', q.person_id],
      ['deal_id', q.deal_id],
      ['status', entity === 'deals' && q.status !== 'deleted' ? q.status : undefined],
    ] as const
  ).filter(([, v]) => v !== undefined);
  return (slot) => {
    if (table.isPurged(slot, now)) return false;
    const deleted = table.isDeleted(slot);
    if (deleted && !showDeleted) return false;
    if (wantDeleted && !deleted) return false;
    const updated = table.updateMs(slot);
    if (q.updated_since !== undefined && updated < q.updated_since) return false;
    if (q.updated_until !== undefined && updated >= q.updated_until) return false;
    if (ids !== null && !ids.has(table.id(slot))) return false;
    if (fieldFilters.length > 0) {
      const record = store.record(entity, slot);
      for (const [name, value] of fieldFilters) if (record[name] !== value) return false;
    }
    return true;
  };
}
