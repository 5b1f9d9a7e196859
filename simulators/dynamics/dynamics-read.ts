import type { SimResponse } from '../kit/sim-types.js';
import { isLookup } from './dynamics-entities.js';
import { badRequest, dataverseError, unknownProperty } from './dynamics-errors.js';
import { FilterError, type Predicate, parseFilter } from './dynamics-filter.js';
import { AnnotationFilter, attributeByWire, type FormatContext, formatRow } from './dynamics-format.js';
import { appliedPreferences, MAX_PAGE_SIZE, type Preferences } from './dynamics-prefer.js';
import type { DynamicsStore } from './dynamics-store.js';
import type { DynamicsTable, LookupRef, Row } from './dynamics-table.js';

export interface ReadRequest {
  /** `http://host/api/data/v9.2`: where links and contexts point. */
  readonly root: string;
  readonly table: DynamicsTable;
  readonly query: URLSearchParams;
  readonly prefs: Preferences;
}

/** Where a paged read continues: packed into the `$skiptoken` paging cookie. */
type PageState =
  | { readonly m: 'list'; readonly page: number; readonly after: readonly unknown[] }
  | { readonly m: 'snapshot'; readonly page: number; readonly after: number }
  | {
      readonly m: 'delta';
      readonly page: number;
      readonly from: number;
      readonly to: number;
      readonly offset: number;
    };

const TRACKING_REFUSED = ['$filter', '$orderby', '$expand', '$top'];
const EXPIRED = 'Version stamp associated with the client has expired. Please perform a full sync.';

/**
 * GET of a collection: plain queries ($select, $filter, $orderby, $top, paging by `Prefer:
 * odata.maxpagesize` and `@odata.nextLink`), change tracking's snapshot (`Prefer: odata.track-changes`,
 * the last page carries `@odata.deltaLink`) and delta reads (`$deltatoken`: changed rows, then
 * `$deletedEntity` rows, then a new delta link). Delta tokens are `<row version>!<MM/dd/yyyy HH:mm:ss>`
 * like Dataverse's and expire after `expireChangeTrackingInDays` of the simulator clock.
 */
export class DynamicsReader {
  readonly #store: DynamicsStore;
  readonly #expireDays: () => number;
  readonly #sorted = new Map<string, { readonly version: number; readonly indices: readonly number[] }>();

  constructor(store: DynamicsStore, expireDays: () => number) {
    this.#store = store;
    this.#expireDays = expireDays;
  }

  collection(req: ReadRequest): SimResponse {
    const { table, query, prefs } = req;
    const entity = table.entity;
    const select = parseSelect(query.get('$select'));
    for (const name of select ?? [])
      if (attributeByWire(entity, name) === undefined) return unknownProperty(entity.logicalName, name);
    const pageSize = Math.min(prefs.maxPageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    const skipToken = query.get('$skiptoken');
    const state = decodeState(skipToken);
    // INFERENCE: Dataverse refuses a paging cookie it cannot read (the wording is not documented).
    if (skipToken !== null && state === null) return badRequest('The $skiptoken is not valid.', '');
    const deltaToken = query.get('$deltatoken');
    const format = this.#format(req, select);

    if (deltaToken !== null || state?.m === 'delta')
      return this.#delta(req, format, pageSize, deltaToken, state);
    if (prefs.trackChanges || state?.m === 'snapshot') {
      const refused = TRACKING_REFUSED.find((p) => query.has(p));
      if (refused !== undefined)
        return badRequest(
          `The "${refused}" query parameter isn't supported when Change Tracking is enabled.`,
        );
      if (!entity.changeTracking)
        return badRequest(`Change tracking is not enabled for the entity '${entity.logicalName}'.`, '');
      return this.#snapshot(req, format, pageSize, state?.m === 'snapshot' ? state : null);
    }
    return this.#list(req, format, pageSize, state?.m === 'list' ? state : null);
  }

  /** GET of one row by key. */
  single(req: ReadRequest, index: number): SimResponse {
    const select = parseSelect(req.query.get('$select'));
    for (const name of select ?? [])
      if (attributeByWire(req.table.entity, name) === undefined)
        return unknownProperty(req.table.entity.logicalName, name);
    const row = req.table.row(index);
    if (row === null)
      return dataverseError(
        404,
        '',
        `${req.table.entity.logicalName} With Id = ${req.table.idAt(index)} Does Not Exist`,
      );
    const body = formatRow(this.#format(req, select), row, req.table.version(index));
    return {
      status: 200,
      headers: { 'OData-Version': '4.0', ETag: String(body['@odata.etag']) },
      json: { '@odata.context': `${req.root}/$metadata#${req.table.entity.entitySetName}/$entity`, ...body },
    };
  }

  #format(req: ReadRequest, select: readonly string[] | null): FormatContext {
    return {
      entity: req.table.entity,
      select,
      annotations: new AnnotationFilter(req.prefs.annotations),
      nameOf: (ref) => this.#nameOf(ref),
    };
  }

  #nameOf(ref: LookupRef): string | null {
    const table = this.#store.table(ref.entity);
    const index = table?.indexOf(ref.id);
    if (table === undefined || index === null || index === undefined) return null;
    const name = table.row(index)?.[table.entity.primaryName];
    return typeof name === 'string' ? name : null;
  }

  #list(
    req: ReadRequest,
    format: FormatContext,
    pageSize: number,
    state: (PageState & { m: 'list' }) | null,
  ): SimResponse {
    const { table, query } = req;
    const entity = table.entity;
    let predicate: Predicate | null = null;
    const filter = query.get('$filter');
    if (filter !== null) {
      try {
        const parsed = parseFilter(filter);
        const unknown = parsed.columns.find((c) => attributeByWire(entity, c) === undefined);
        if (unknown !== undefined) return unknownProperty(entity.logicalName, unknown);
        predicate = parsed.predicate;
      } catch (e) {
        if (e instanceof FilterError) return badRequest(`Syntax error in $filter: ${e.message}`);
        throw e;
      }
    }
    const orderBy = parseOrderBy(query.get('$orderby'));
    for (const o of orderBy)
      if (attributeByWire(entity, o.name) === undefined) return unknownProperty(entity.logicalName, o.name);
    const top = query.get('$top') === null ? null : Number(query.get('$top'));
    const indices = this.#matching(table, filter ?? '', query.get('$orderby') ?? '', predicate, orderBy);
    const keyOf = (index: number): unknown[] => [
      ...orderBy.map((o) => wireValue(table, index, o.name)),
      index,
    ];
    let start = 0;
    if (state !== null) start = firstAfter(indices, state.after, keyOf, orderBy);
    // $top is ignored when maxpagesize pages the result (page-results.md); otherwise it caps it.
    const limit = top !== null && req.prefs.maxPageSize === null ? Math.min(top, pageSize) : pageSize;
    const page = indices.slice(start, start + limit);
    const value = page.map((i) => formatRow(format, table.row(i) as Row, table.version(i)));
    const more = start + limit < indices.length && !(top !== null && req.prefs.maxPageSize === null);
    const body: Record<string, unknown> = { '@odata.context': context(req, format.select), value };
    if (more && page.length > 0) {
      const next: PageState = {
        m: 'list',
        page: (state?.page ?? 1) + 1,
        after: keyOf(page[page.length - 1]!),
      };
      body['@odata.nextLink'] = link(req, next);
    }
    return ok(body, appliedPreferences(req.prefs, pageSize, false));
  }

  /** Live rows matching a filter, in the requested order then by key; cached until the next write. */
  #matching(
    table: DynamicsTable,
    filter: string,
    orderText: string,
    predicate: Predicate | null,
    orderBy: readonly OrderTerm[],
  ): readonly number[] {
    const key = `${table.entity.logicalName}\u0000${filter}\u0000${orderText}`;
    const cached = this.#sorted.get(key);
    if (cached !== undefined && cached.version === this.#store.currentVersion) return cached.indices;
    const indices: number[] = [];
    for (let i = 0; i < table.size; i++) {
      const row = table.row(i);
      if (row === null) continue;
      if (predicate === null || predicate((name) => wireOf(table, row, name))) indices.push(i);
    }
    if (orderBy.length > 0) {
      const keys = new Map(indices.map((i) => [i, orderBy.map((o) => wireValue(table, i, o.name))]));
      indices.sort((a, b) => compareKeys([...keys.get(a)!, a], [...keys.get(b)!, b], orderBy));
    }
    if (this.#sorted.size > 16) this.#sorted.clear();
    this.#sorted.set(key, { version: this.#store.currentVersion, indices });
    return indices;
  }

  #snapshot(
    req: ReadRequest,
    format: FormatContext,
    pageSize: number,
    state: (PageState & { m: 'snapshot' }) | null,
  ): SimResponse {
    const { table } = req;
    const value: Record<string, unknown>[] = [];
    let i = state === null ? 0 : state.after + 1;
    let last = -1;
    for (; i < table.size && value.length < pageSize; i++) {
      const row = table.row(i);
      if (row === null) continue;
      value.push(formatRow(format, row, table.version(i)));
      last = i;
    }
    let more = false;
    for (let j = i; j < table.size; j++) {
      if (!table.isDeleted(j)) {
        more = true;
        break;
      }
    }
    const body: Record<string, unknown> = { '@odata.context': context(req, format.select), value };
    if (more)
      body['@odata.nextLink'] = link(req, { m: 'snapshot', page: (state?.page ?? 1) + 1, after: last });
    // The token is taken when the last page is served (INFERENCE from MicrosoftDocs/powerapps-docs
    // issue 3862): changes made while a long snapshot was paged are not in the next delta.
    else body['@odata.deltaLink'] = this.#deltaLink(req, this.#store.currentVersion);
    return ok(body, appliedPreferences(req.prefs, pageSize, true));
  }

  #delta(
    req: ReadRequest,
    format: FormatContext,
    pageSize: number,
    token: string | null,
    state: PageState | null,
  ): SimResponse {
    const { table } = req;
    let from: number;
    let to: number;
    let offset = 0;
    if (state?.m === 'delta') {
      ({ from, to, offset } = state);
    } else {
      const parsed = parseDeltaToken(token ?? '');
      if (parsed === null) return badRequest('The delta token is not valid.', '');
      if (this.#store.clock.now() - parsed.issuedMs > this.#expireDays() * 86_400_000)
        return dataverseError(400, '', EXPIRED);
      from = parsed.version;
      to = this.#store.currentVersion;
    }
    // The change set is fixed at the first page, so paging a delta loses nothing written meanwhile.
    const changed = table.changedSince(from, to);
    const live = changed.filter((i) => !table.isDeleted(i));
    const gone = changed.filter((i) => table.isDeleted(i));
    const ordered = [...live, ...gone];
    const page = ordered.slice(offset, offset + pageSize);
    const value = page.map((i) =>
      table.isDeleted(i)
        ? {
            '@odata.context': `${req.root}/$metadata#${table.entity.entitySetName}/$deletedEntity`,
            id: table.idAt(i),
            reason: 'deleted',
          }
        : formatRow(format, table.row(i) as Row, table.version(i)),
    );
    const body: Record<string, unknown> = {
      '@odata.context': `${context(req, format.select)}/$delta`,
      value,
    };
    if (offset + pageSize < ordered.length) {
      body['@odata.nextLink'] = link(req, {
        m: 'delta',
        page: Math.floor(offset / pageSize) + 2,
        from,
        to,
        offset: offset + pageSize,
      });
    } else body['@odata.deltaLink'] = this.#deltaLink(req, to);
    return ok(body, appliedPreferences(req.prefs, pageSize, false));
  }

  #deltaLink(req: ReadRequest, version: number): string {
    const q = new URLSearchParams();
    const select = req.query.get('$select');
    if (select !== null) q.set('$select', select);
    q.set('$deltatoken', `${version}!${tokenTime(this.#store.clock.now())}`);
    return `${req.root}/${req.table.entity.entitySetName}?${odataQuery(q)}`;
  }
}

interface OrderTerm {
  readonly name: string;
  readonly desc: boolean;
}

function parseSelect(text: string | null): string[] | null {
  if (text === null || text.trim() === '') return null;
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function parseOrderBy(text: string | null): OrderTerm[] {
  if (text === null || text.trim() === '') return [];
  return text.split(',').map((term) => {
    const [name = '', dir = 'asc'] = term.trim().split(/\s+/);
    return { name, desc: dir.toLowerCase() === 'desc' };
  });
}

function wireOf(table: DynamicsTable, row: Row, name: string): unknown {
  const a = attributeByWire(table.entity, name);
  if (a === undefined) return undefined;
  const v = row[a.logicalName] ?? null;
  return isLookup(a) ? ((v as LookupRef | null)?.id ?? null) : v;
}

function wireValue(table: DynamicsTable, index: number, name: string): unknown {
  const row = table.row(index);
  return row === null ? null : wireOf(table, row, name);
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareKeys(a: readonly unknown[], b: readonly unknown[], orderBy: readonly OrderTerm[]): number {
  for (let k = 0; k < a.length; k++) {
    const c = compareValues(a[k], b[k]);
    if (c !== 0) return orderBy[k]?.desc === true ? -c : c;
  }
  return 0;
}

function firstAfter(
  indices: readonly number[],
  after: readonly unknown[],
  keyOf: (i: number) => unknown[],
  orderBy: readonly OrderTerm[],
): number {
  let lo = 0;
  let hi = indices.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(keyOf(indices[mid]!), after, orderBy) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function context(req: ReadRequest, select: readonly string[] | null): string {
  const set = req.table.entity.entitySetName;
  return `${req.root}/$metadata#${set}${select === null ? '' : `(${select.join(',')})`}`;
}

/** A next link: the same query with the paging cookie Dataverse puts in `$skiptoken`. */
function link(req: ReadRequest, state: PageState): string {
  const q = new URLSearchParams(req.query);
  q.delete('$skiptoken');
  q.delete('$deltatoken');
  const cookie = Buffer.from(JSON.stringify(state)).toString('base64url');
  q.set(
    '$skiptoken',
    `<cookie pagenumber="${state.page}" pagingcookie="${cookie}" istracking="${state.m !== 'list' ? 'True' : 'False'}" />`,
  );
  return `${req.root}/${req.table.entity.entitySetName}?${odataQuery(q)}`;
}

/** A query string as Dataverse writes its links: `$` options verbatim, values percent-encoded. */
function odataQuery(q: URLSearchParams): string {
  const encode = (v: string) =>
    encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return [...q].map(([k, v]) => `${k}=${encode(v)}`).join('&');
}

function decodeState(token: string | null): PageState | null {
  if (token === null) return null;
  const m = /pagingcookie="([A-Za-z0-9_-]+)"/.exec(token);
  if (m === null) return null;
  try {
    return JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as PageState;
  } catch {
    return null;
  }
}

/** `MM/dd/yyyy HH:mm:ss`, the time part of Dataverse's delta tokens. */
function tokenTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export function parseDeltaToken(
  token: string,
): { readonly version: number; readonly issuedMs: number } | null {
  const m = /^(\d+)!(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d):(\d\d)$/.exec(token);
  if (m === null) return null;
  const [, version, mo, d, y, h, mi, s] = m;
  return {
    version: Number(version),
    issuedMs: Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)),
  };
}

function ok(body: Record<string, unknown>, applied: string | null): SimResponse {
  return {
    status: 200,
    headers: { 'OData-Version': '4.0', ...(applied === null ? {} : { 'Preference-Applied': applied }) },
    json: body,
  };
}
