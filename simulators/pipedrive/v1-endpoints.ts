import { z } from 'zod';
import type { SimResponse } from '../kit/sim-types.js';
import { ENTITIES, type Entity } from './entity-kinds.js';
import type { FieldDef } from './field-catalog.js';
import { badRequest, notFound } from './pipedrive-errors.js';
import type { PipedriveStore } from './pipedrive-store.js';
import { v1Time } from './pipedrive-time.js';
import { publicUser } from './user-directory.js';

const PageSchema = z.object({
  start: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500, 'The maximum limit value is 500').default(100),
});

function page(query: URLSearchParams): z.output<typeof PageSchema> | string {
  const parsed = PageSchema.safeParse({
    start: query.get('start') ?? undefined,
    limit: query.get('limit') ?? undefined,
  });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  return `${issue.path.join('.')}: ${issue.message}`;
}

/** v1 offset paging: `additional_data.pagination {start, limit, more_items_in_collection, next_start}`. */
function paged(data: unknown[], start: number, limit: number, more: boolean, extra = {}): SimResponse {
  return {
    status: 200,
    json: {
      success: true,
      data,
      additional_data: {
        ...extra,
        pagination: {
          start,
          limit,
          more_items_in_collection: more,
          ...(more ? { next_start: start + limit } : {}),
        },
      },
    },
  };
}

/** `GET /v1/{personFields|organizationFields|dealFields|activityFields}`. */
export function listFields(store: PipedriveStore, entity: Entity, query: URLSearchParams): SimResponse {
  const p = page(query);
  if (typeof p === 'string') return badRequest(p);
  const defs = store.catalog.all(entity);
  const slice = defs.slice(p.start, p.start + p.limit).map((def, i) => publicField(def, p.start + i));
  return paged(slice, p.start, p.limit, p.start + p.limit < defs.length);
}

function publicField(def: FieldDef, order: number): Record<string, unknown> {
  return {
    id: def.id,
    key: def.key,
    name: def.name,
    order_nr: order,
    field_type: def.fieldType,
    add_time: v1Time(def.addMs),
    update_time: v1Time(def.updateMs),
    last_updated_by_user_id: null,
    created_by_user_id: null,
    active_flag: true,
    edit_flag: def.custom,
    index_visible_flag: true,
    details_visible_flag: true,
    add_visible_flag: def.custom,
    important_flag: false,
    bulk_edit_allowed: true,
    searchable_flag: def.fieldType === 'varchar',
    filtering_allowed: true,
    sortable_flag: true,
    mandatory_flag: false,
    options: def.options ? def.options.map((o) => ({ id: o.id, label: o.label })) : null,
  };
}

/** `GET /v1/users`: every user of the company in one response (no paging in v1). */
export function listUsers(store: PipedriveStore): SimResponse {
  return { status: 200, json: { success: true, data: store.users.map((u, i) => publicUser(u, i)) } };
}

/**
 * `GET /v1/leads`: offset paging, sorted by creation oldest first; `updated_since` (>=) filters.
 * Deleted leads are gone for good (Pipedrive deletes leads permanently; archived ones stay listed).
 */
export function listLeads(store: PipedriveStore, query: URLSearchParams): SimResponse {
  const p = page(query);
  if (typeof p === 'string') return badRequest(p);
  const sinceRaw = query.get('updated_since');
  const since = sinceRaw === null ? null : Date.parse(sinceRaw);
  if (since !== null && !Number.isFinite(since)) return badRequest('updated_since: Must be an ISO 8601 date');
  const archived = query.get('archived_status') ?? 'all';
  const t = store.leads;
  const data: unknown[] = [];
  let matched = 0;
  let more = false;
  for (let slot = 0; slot < t.size; slot++) {
    if (t.isDeleted(slot)) continue;
    if (since !== null && t.updateMs(slot) < since) continue;
    if (archived !== 'all') {
      const isArchived = store.lead(slot)['is_archived'] === true;
      if ((archived === 'archived') !== isArchived) continue;
    }
    if (matched++ < p.start) continue;
    if (data.length === p.limit) {
      more = true;
      break;
    }
    data.push(store.lead(slot));
  }
  return paged(data, p.start, p.limit, more);
}

/** `GET /v1/leads/{id}` (PATCH and DELETE too: v1 is where leads live). */
export function oneLead(store: PipedriveStore, method: string, id: string, rawBody: string): SimResponse {
  const slot = store.leadSlot(id);
  if (slot === undefined || store.leads.isDeleted(slot)) return notFound('Lead');
  const now = store.now();
  if (method === 'DELETE') {
    store.remove('leads', slot, now);
    return { status: 200, json: { success: true, data: { id } } };
  }
  if (method === 'PATCH') {
    const parsed = z
      .object({ title: z.string().min(1), is_archived: z.boolean(), was_seen: z.boolean() })
      .partial()
      .strict()
      .safeParse(rawBody === '' ? {} : JSON.parse(rawBody));
    if (!parsed.success) return badRequest(parsed.error.issues[0]!.message);
    store.update('leads', slot, parsed.data, now);
  }
  return { status: 200, json: { success: true, data: store.lead(slot) } };
}

const RECENT_ITEMS: Readonly<Record<string, Entity>> = {
  person: 'persons',
  organization: 'organizations',
  deal: 'deals',
  activity: 'activities',
};
/** Since December 2024 `/v1/recents` only reaches one month back. */
const RECENTS_HISTORY_MS = 30 * 86_400_000;

/**
 * `GET /v1/recents?since_timestamp=YYYY-MM-DD HH:MM:SS&items=person,deal`: changes in update order,
 * reaching at most a month back (older `since_timestamp` values are capped). Items carry the v2 record
 * shape here (INFERENCE: the real endpoint returns v1 shapes; Tide does not read recents).
 */
export function listRecents(store: PipedriveStore, query: URLSearchParams): SimResponse {
  const p = page(query);
  if (typeof p === 'string') return badRequest(p);
  const raw = query.get('since_timestamp');
  if (raw === null || !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(raw))
    return badRequest('since_timestamp: Must be YYYY-MM-DD HH:MM:SS');
  const now = store.now();
  const since = Math.max(Date.parse(`${raw.replace(' ', 'T')}Z`), now - RECENTS_HISTORY_MS);
  const wanted = (query.get('items') ?? 'person,organization,deal,activity').split(',').map((s) => s.trim());
  const entities = wanted.map((w) => RECENT_ITEMS[w]).filter((e): e is Entity => e !== undefined);
  const rows: { item: string; ms: number; entity: Entity; slot: number }[] = [];
  for (const entity of ENTITIES.filter((e) => entities.includes(e))) {
    const table = store.table(entity);
    const order = table.byUpdate.order();
    for (let i = table.byUpdate.after(since, -1); i < order.length && rows.length < 100_000; i++) {
      const slot = order[i]!;
      if (table.isPurged(slot, now)) continue;
      rows.push({
        item: entity.replace(/ies$/, 'y').replace(/s$/, ''),
        ms: table.updateMs(slot),
        entity,
        slot,
      });
    }
  }
  rows.sort((a, b) => a.ms - b.ms);
  const slice = rows.slice(p.start, p.start + p.limit);
  const data = slice.map((r) => ({
    item: r.item,
    id: store.table(r.entity).id(r.slot),
    data: store.record(r.entity, r.slot),
  }));
  const last = slice.at(-1);
  return paged(data, p.start, p.limit, p.start + p.limit < rows.length, {
    since_timestamp: v1Time(since),
    last_timestamp_on_page: last ? v1Time(last.ms) : null,
  });
}
