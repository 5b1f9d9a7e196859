import type { SimRequest, SimResponse } from '../kit/sim-types.js';
import { invalidParam, requiredParam, zohoError } from './zoho-errors.js';
import type { ModuleName } from './zoho-field-catalog.js';
import type { ZohoStore } from './zoho-store.js';
import { parseClientTime } from './zoho-time.js';

/** `page` reaches the first 2,000 rows; `page_token` reaches 100,000 (Zoho's getRecords limits). */
const DISCRETE_LIMIT = 2000;
const TOKEN_LIMIT = 100_000;
const MAX_FIELDS = 50;
const TOKEN_TTL_MS = 24 * 3_600_000;

interface PageToken {
  /** What the token was issued for: another query cannot continue it. */
  readonly q: string;
  readonly offset: number;
  readonly exp: number;
}

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(text: string): PageToken | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return null;
    const t = parsed as Record<string, unknown>;
    if (typeof t.q !== 'string' || typeof t.offset !== 'number' || typeof t.exp !== 'number') return null;
    return { q: t.q, offset: t.offset, exp: t.exp };
  } catch {
    return null;
  }
}

/** The header a client sends as `If-Modified-Since`, as epoch ms (null: absent). */
export function ifModifiedSince(req: SimRequest): number | null | 'invalid' {
  const raw = req.headers['if-modified-since'];
  if (raw === undefined) return null;
  return parseClientTime(String(raw)) ?? 'invalid';
}

/**
 * `GET /crm/v8/{module}` (getRecords): `fields` required (≤ 50), `per_page` ≤ 200, `page` for the
 * first 2,000 rows then `page_token` up to 100,000 (Zoho's exact 400s past each), `sort_by`
 * id | Created_Time | Modified_Time, `ids` for up to 100 given records, `If-Modified-Since` for rows
 * modified strictly after it. 204 when there is nothing, 304 when nothing changed since the header.
 */
export function listRecords(store: ZohoStore, module: ModuleName, req: SimRequest): SimResponse {
  const q = req.query;
  const fieldsParam = q.get('fields');
  if (fieldsParam === null || fieldsParam.trim() === '') return requiredParam('fields');
  const fields = fieldsParam
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  if (fields.length > MAX_FIELDS) {
    return zohoError(400, 'LIMIT_EXCEEDED', `maximum of ${MAX_FIELDS} fields can be requested`, {
      limit: MAX_FIELDS,
    });
  }
  for (const f of fields) {
    if (f !== 'id' && store.field(module, f) === undefined) {
      return zohoError(400, 'INVALID_DATA', 'invalid data', { api_name: f, param_name: 'fields' });
    }
  }
  const table = store.table(module);
  const ids = q.get('ids');
  if (ids !== null) {
    const list = ids.split(',').filter((id) => id !== '');
    if (list.length > 100) return invalidParam('ids', 'a maximum of 100 ids can be given');
    const data = list
      .map((id) => table.slotOf(id))
      .filter((slot): slot is number => slot !== null && table.isLive(slot))
      .map((slot) => store.output(module, slot, fields));
    return data.length === 0
      ? { status: 204 }
      : { status: 200, json: { data, info: { count: data.length, more_records: false } } };
  }

  const perPage = Number(q.get('per_page') ?? 200);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 200) return invalidParam('per_page');
  const sortBy = q.get('sort_by') ?? 'id';
  const sortOrder = q.get('sort_order') ?? 'desc';
  if (!['id', 'Created_Time', 'Modified_Time'].includes(sortBy)) return invalidParam('sort_by');
  if (sortOrder !== 'asc' && sortOrder !== 'desc') return invalidParam('sort_order');
  const since = ifModifiedSince(req);
  if (since === 'invalid') return invalidParam('If-Modified-Since', 'invalid If-Modified-Since header value');
  const fingerprint = `${module}|${sortBy}|${sortOrder}|${since ?? ''}|${perPage}`;

  let offset: number;
  let page: number;
  const tokenText = q.get('page_token');
  if (tokenText !== null) {
    if (q.get('page') !== null)
      return invalidParam('page_token', 'page and page_token cannot be given together');
    const token = decodeToken(tokenText);
    if (token === null || token.q !== fingerprint) return invalidParam('page_token', 'invalid page token');
    if (token.exp < Date.now())
      return zohoError(400, 'INVALID_DATA', 'the page token has expired', { param_name: 'page_token' });
    offset = token.offset;
    page = Math.floor(offset / perPage) + 1;
    if (offset + perPage > TOKEN_LIMIT) {
      return zohoError(
        400,
        'PAGINATION_LIMIT_EXCEEDED',
        `You can get upto ${TOKEN_LIMIT} records using page_token param`,
        {
          limit: TOKEN_LIMIT,
        },
      );
    }
  } else {
    page = Number(q.get('page') ?? 1);
    if (!Number.isInteger(page) || page < 1) return invalidParam('page');
    offset = (page - 1) * perPage;
    if (offset + perPage > DISCRETE_LIMIT) {
      return zohoError(
        400,
        'DISCRETE_PAGINATION_LIMIT_EXCEEDED',
        `You can only get the first ${DISCRETE_LIMIT} records without using page_token param`,
        { limit: DISCRETE_LIMIT },
      );
    }
  }

  const rows = ordered(store, module, sortBy, sortOrder, since);
  if (rows.count === 0) return { status: since === null ? 204 : 304 };
  const pageSlots = rows.slice(offset, offset + perPage);
  if (pageSlots.length === 0) return { status: 204 };
  const more = offset + perPage < rows.count;
  return {
    status: 200,
    json: {
      data: pageSlots.map((slot) => store.output(module, slot, fields)),
      info: {
        per_page: perPage,
        count: pageSlots.length,
        page,
        sort_by: sortBy,
        sort_order: sortOrder,
        more_records: more,
        next_page_token: more
          ? encodeToken({ q: fingerprint, offset: offset + perPage, exp: Date.now() + TOKEN_TTL_MS })
          : null,
        previous_page_token: null,
        page_token_expiry: more ? new Date(Date.now() + TOKEN_TTL_MS).toISOString() : null,
      },
    },
  };
}

/** The query's rows in order, without copying the (Modified_Time, id) index on the hot path. */
function ordered(
  store: ZohoStore,
  module: ModuleName,
  sortBy: string,
  sortOrder: string,
  since: number | null,
): { readonly count: number; slice(from: number, to: number): number[] } {
  const table = store.table(module);
  if (sortBy === 'Modified_Time' && sortOrder === 'asc') {
    const all = table.byModified();
    const start = since === null ? 0 : table.firstModifiedAfter(since);
    return { count: all.length - start, slice: (from, to) => all.slice(start + from, start + to) };
  }
  let slots: number[];
  if (sortBy === 'Modified_Time') {
    const all = table.byModified();
    slots = all.slice(since === null ? 0 : table.firstModifiedAfter(since));
  } else {
    slots = [...table.live()].filter((slot) => since === null || table.modifiedMs(slot) > since);
    if (sortBy === 'Created_Time') slots.sort((a, b) => table.createdMs(a) - table.createdMs(b) || a - b);
  }
  if (sortOrder === 'desc') slots.reverse();
  return { count: slots.length, slice: (from, to) => slots.slice(from, to) };
}

/**
 * `GET /crm/v8/{module}/deleted?type=all|recycle|permanent&page&per_page` with `If-Modified-Since`:
 * `{data: [{id, display_name, type, deleted_time, deleted_by, created_by}], info}`, 204 when none.
 * No page_token on this endpoint.
 */
export function listDeleted(store: ZohoStore, module: ModuleName, req: SimRequest): SimResponse {
  const q = req.query;
  const type = q.get('type') ?? 'all';
  if (!['all', 'recycle', 'permanent'].includes(type)) return invalidParam('type');
  const perPage = Number(q.get('per_page') ?? 200);
  const page = Number(q.get('page') ?? 1);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 200) return invalidParam('per_page');
  if (!Number.isInteger(page) || page < 1) return invalidParam('page');
  const since = ifModifiedSince(req);
  if (since === 'invalid') return invalidParam('If-Modified-Since');
  const table = store.table(module);
  const rows = [...table.deletions()]
    .filter(([, d]) => (type === 'all' || d.type === type) && (since === null || d.ms > since))
    .sort(([a, x], [b, y]) => x.ms - y.ms || a - b);
  const slice = rows.slice((page - 1) * perPage, page * perPage);
  if (slice.length === 0) return { status: 204 };
  const admin = store.users[0]!;
  return {
    status: 200,
    json: {
      data: slice.map(([slot, d]) => ({
        id: table.idOf(slot),
        display_name: d.name,
        type: d.type,
        deleted_time: store.time.format(d.ms),
        deleted_by: { name: admin.full_name, id: admin.id },
        created_by: { name: admin.full_name, id: admin.id },
      })),
      info: { per_page: perPage, count: slice.length, page, more_records: page * perPage < rows.length },
    },
  };
}

/** `GET /crm/v8/users?type=…&page&per_page` with `If-Modified-Since`. */
export function listUsers(store: ZohoStore, req: SimRequest): SimResponse {
  const q = req.query;
  const type = q.get('type') ?? 'AllUsers';
  const perPage = Math.min(200, Number(q.get('per_page') ?? 200));
  const page = Number(q.get('page') ?? 1);
  const since = ifModifiedSince(req);
  if (since === 'invalid') return invalidParam('If-Modified-Since');
  const users = store.users.filter(
    (u) =>
      (type === 'AllUsers' || (type === 'ActiveUsers') === (u.status === 'active')) &&
      (since === null || u.modifiedMs > since),
  );
  const slice = users.slice((page - 1) * perPage, page * perPage);
  if (slice.length === 0) return { status: since === null ? 204 : 304 };
  return {
    status: 200,
    json: {
      users: slice.map((u) => ({
        id: u.id,
        zuid: u.zuid,
        full_name: u.full_name,
        first_name: u.full_name.split(' ')[0],
        last_name: u.full_name.split(' ').slice(1).join(' '),
        email: u.email,
        status: u.status,
        role: { name: 'CEO', id: '4150868000000026005' },
        profile: { name: 'Administrator', id: '4150868000000026011' },
        time_zone: 'Asia/Kolkata',
        Modified_Time: store.time.format(u.modifiedMs),
        created_time: store.time.format(Date.UTC(2024, 0, 1)),
      })),
      info: { per_page: perPage, count: slice.length, page, more_records: page * perPage < users.length },
    },
  };
}
