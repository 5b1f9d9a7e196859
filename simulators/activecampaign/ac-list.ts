import type { SimResponse } from '../kit/sim-types.js';
import { badRequest } from './ac-errors.js';
import {
  accountContactJson,
  accountJson,
  contactJson,
  customDatumJson,
  customMetaJson,
  dealJson,
  fieldJson,
  fieldOptionsJson,
  fieldValueJson,
  noteJson,
  userJson,
} from './ac-format.js';
import type { AcStore, ContactRow, DealRow } from './ac-store.js';

/** The reference's paging: `limit` (default 20, at most 100: larger asks get 100), zero-based `offset`. */
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

interface Window {
  readonly limit: number;
  readonly offset: number;
}

function window(query: URLSearchParams, defaultLimit = DEFAULT_LIMIT): Window {
  const rawLimit = Number(query.get('limit') ?? defaultLimit);
  const rawOffset = Number(query.get('offset') ?? 0);
  const limit = Number.isInteger(rawLimit) && rawLimit > 0 ? Math.min(rawLimit, MAX_LIMIT) : defaultLimit;
  const offset = Number.isInteger(rawOffset) && rawOffset > 0 ? rawOffset : 0;
  return { limit, offset };
}

/** `{ <key>: [...], meta: { total: "N" } }`: resource-keyed, the total as a string. */
function page<T>(
  key: string,
  rows: readonly T[],
  query: URLSearchParams,
  format: (row: T) => unknown,
  extra: Readonly<Record<string, unknown>> = {},
  defaultLimit = DEFAULT_LIMIT,
): SimResponse {
  const w = window(query, defaultLimit);
  const slice = rows.slice(w.offset, w.offset + w.limit);
  return { status: 200, json: { ...extra, [key]: slice.map(format), meta: { total: String(rows.length) } } };
}

type TimeFilter = { readonly after: number | null; readonly before: number | null };

/** `filters[<name>_after]` / `_before`, read in account time; an unreadable date is a 400. */
function timeFilter(
  store: AcStore,
  query: URLSearchParams,
  name: 'updated' | 'created',
): TimeFilter | SimResponse {
  const out: { after: number | null; before: number | null } = { after: null, before: null };
  for (const side of ['after', 'before'] as const) {
    const raw = query.get(`filters[${name}_${side}]`);
    if (raw === null || raw === '') continue;
    const ms = store.time.parseFilter(raw);
    if (ms === null) return badRequest(`filters[${name}_${side}] must be a date, got ${JSON.stringify(raw)}`);
    out[side] = ms;
  }
  return out;
}

function isResponse(value: unknown): value is SimResponse {
  return typeof value === 'object' && value !== null && 'status' in value;
}

/** Repeated `ids[]=1&ids[]=2` (or `ids=1,2`). */
function idList(query: URLSearchParams): Set<number> | null {
  const raw = [...query.getAll('ids[]'), ...query.getAll('ids').flatMap((v) => v.split(','))].filter(
    (v) => v !== '',
  );
  return raw.length === 0 ? null : new Set(raw.map(Number));
}

function direction(query: URLSearchParams, key: string): 1 | -1 | null {
  const raw = query.get(`orders[${key}]`);
  if (raw === null) return null;
  return raw.toLowerCase() === 'desc' ? -1 : 1;
}

/**
 * `GET /contacts`: `ids`, `email`, `id_greater`, `id_less`, `filters[created_*|updated_*]` (account
 * time; `updated_after` is strictly after, and a null `udate` never matches an updated filter), and
 * `orders[id|cdate|email]`. There is no `orders[udate]`: unknown orders and filters are ignored, as
 * the API ignores them.
 */
export function listContacts(store: AcStore, query: URLSearchParams): SimResponse {
  const updated = timeFilter(store, query, 'updated');
  if (isResponse(updated)) return updated;
  const created = timeFilter(store, query, 'created');
  if (isResponse(created)) return created;
  const ids = idList(query);
  const email = query.get('email')?.trim().toLowerCase();
  const greater = query.has('id_greater') ? Number(query.get('id_greater')) : null;
  const less = query.has('id_less') ? Number(query.get('id_less')) : null;
  const all = store.contacts;
  let rows: readonly ContactRow[] =
    greater !== null && Number.isFinite(greater) ? all.rows().slice(all.firstAbove(greater)) : all.rows();
  const filtered =
    ids !== null ||
    email !== undefined ||
    (less !== null && Number.isFinite(less)) ||
    updated.after !== null ||
    updated.before !== null ||
    created.after !== null ||
    created.before !== null;
  if (filtered) {
    rows = rows.filter(
      (c) =>
        (ids === null || ids.has(c.id)) &&
        (email === undefined || c.email.toLowerCase() === email) &&
        (less === null || c.id < less) &&
        (updated.after === null || (c.udateMs !== null && c.udateMs > updated.after)) &&
        (updated.before === null || (c.udateMs !== null && c.udateMs < updated.before)) &&
        (created.after === null || c.cdateMs > created.after) &&
        (created.before === null || c.cdateMs < created.before),
    );
  }
  const byId = direction(query, 'id');
  const byCdate = direction(query, 'cdate');
  const byEmail = direction(query, 'email');
  if (byCdate !== null) rows = [...rows].sort((a, b) => byCdate * (a.cdateMs - b.cdateMs) || a.id - b.id);
  else if (byEmail !== null)
    rows = [...rows].sort((a, b) => byEmail * a.email.localeCompare(b.email) || a.id - b.id);
  else if (byId === -1) rows = [...rows].reverse();
  return page('contacts', rows, query, (c) => contactJson(store, c), { scoreValues: [] });
}

/** `GET /fieldValues`: every contact's custom values, `filters[fieldid]`, `filters[val]`. */
export function listFieldValues(store: AcStore, query: URLSearchParams): SimResponse {
  const field = query.get('filters[fieldid]');
  const val = query.get('filters[val]');
  let rows = store.fieldValues.rows();
  if (field !== null || val !== null)
    rows = rows.filter(
      (v) => (field === null || String(v.field) === field) && (val === null || v.value === val),
    );
  return page('fieldValues', rows, query, (v) => fieldValueJson(store, v));
}

/** `GET /contacts/{id}/fieldValues`: one contact's values, unpaged. */
export function contactFieldValues(store: AcStore, id: number): SimResponse {
  const values = [...store.valuesOf(id).values()].sort((a, b) => a.id - b.id);
  return { status: 200, json: { fieldValues: values.map((v) => fieldValueJson(store, v)) } };
}

/** `GET /fields`: definitions plus the `fieldOptions` / `fieldRels` side-loads; `limit` defaults to 100. */
export function listFields(store: AcStore, query: URLSearchParams): SimResponse {
  const fields = store.fields.rows();
  return page(
    'fields',
    fields,
    query,
    (f) => fieldJson(store, f),
    { fieldOptions: fieldOptionsJson(fields), fieldRels: [] },
    100,
  );
}

export function listAccounts(store: AcStore, query: URLSearchParams): SimResponse {
  const search = query.get('search')?.toLowerCase();
  const rows =
    search === undefined || search === ''
      ? store.accounts.rows()
      : store.accounts.rows().filter((a) => a.name.toLowerCase().includes(search));
  return page('accounts', rows, query, (a) => accountJson(store, a));
}

export function listAccountContacts(store: AcStore, query: URLSearchParams): SimResponse {
  const contact = query.get('filters[contact]');
  const account = query.get('filters[account]');
  let rows = store.accountContacts.rows();
  if (contact !== null || account !== null)
    rows = rows.filter(
      (l) =>
        (contact === null || String(l.contact) === contact) &&
        (account === null || String(l.account) === account),
    );
  return page('accountContacts', rows, query, (l) => accountContactJson(store, l));
}

/**
 * `GET /deals`: `filters[updated_after]` and `filters[created_after]` are "greater than or equal",
 * the `_before` ones "less than" (reference); `orders[cdate|title|value]`. The total is a number here,
 * as in the reference's example, next to per-currency totals.
 */
export function listDeals(store: AcStore, query: URLSearchParams): SimResponse {
  const updated = timeFilter(store, query, 'updated');
  if (isResponse(updated)) return updated;
  const created = timeFilter(store, query, 'created');
  if (isResponse(created)) return created;
  const stage = query.get('filters[stage]');
  const status = query.get('filters[status]');
  let rows: readonly DealRow[] = store.deals
    .rows()
    .filter(
      (d) =>
        (updated.after === null || d.mdateMs >= updated.after) &&
        (updated.before === null || d.mdateMs < updated.before) &&
        (created.after === null || d.cdateMs >= created.after) &&
        (created.before === null || d.cdateMs < created.before) &&
        (stage === null || String(d.stage) === stage) &&
        (status === null || String(d.status) === status),
    );
  const byCdate = direction(query, 'cdate');
  const byValue = direction(query, 'value');
  if (byCdate !== null) rows = [...rows].sort((a, b) => byCdate * (a.cdateMs - b.cdateMs) || a.id - b.id);
  else if (byValue !== null) rows = [...rows].sort((a, b) => byValue * (a.value - b.value) || a.id - b.id);
  const w = window(query);
  const slice = rows.slice(w.offset, w.offset + w.limit);
  const sum = rows.reduce((s, d) => s + d.value, 0);
  return {
    status: 200,
    json: {
      deals: slice.map((d) => dealJson(store, d)),
      meta: {
        currencies: { USD: { currency: 'USD', total: String(rows.length), value: String(sum) } },
        total: rows.length,
      },
    },
  };
}

export function listUsers(store: AcStore, query: URLSearchParams): SimResponse {
  return page('users', store.users.rows(), query, userJson);
}

export function listNotes(store: AcStore, query: URLSearchParams): SimResponse {
  return page('notes', store.notes.rows(), query, (n) => noteJson(store, n));
}

export function listCustomMeta(
  store: AcStore,
  kind: 'account' | 'deal',
  query: URLSearchParams,
): SimResponse {
  const rows = kind === 'account' ? store.accountFields.rows() : store.dealFields.rows();
  const key = kind === 'account' ? 'accountCustomFieldMeta' : 'dealCustomFieldMeta';
  const data = kind === 'account' ? 'accountCustomFieldData' : 'dealCustomFieldData';
  return page(key, rows, query, (m) => customMetaJson(store, m, data), {}, 100);
}

/** `filters[customerAccountId]` / `filters[dealId]` pick one owner's values. */
export function listCustomData(
  store: AcStore,
  kind: 'account' | 'deal',
  query: URLSearchParams,
): SimResponse {
  const owner = query.get(kind === 'account' ? 'filters[customerAccountId]' : 'filters[dealId]');
  const all = kind === 'account' ? store.accountFieldData.rows() : store.dealFieldData.rows();
  const rows = owner === null ? all : all.filter((d) => String(d.owner) === owner);
  const key = kind === 'account' ? 'accountCustomFieldData' : 'dealCustomFieldData';
  return page(key, rows, query, (d) => customDatumJson(store, d, kind));
}
