import type { SimResponse } from '../kit/sim-types.js';
import { badRequest, unknownProperty } from './dynamics-errors.js';
import { FilterError, type Predicate, parseFilter } from './dynamics-filter.js';
import { attributeByWire, type FormatContext, formatRow } from './dynamics-format.js';
import { link, type PageState } from './dynamics-page-state.js';
import { appliedPreferences } from './dynamics-prefer.js';
import { context, ok, type ReadRequest } from './dynamics-read-request.js';
import {
  compareKeys,
  firstAfter,
  type OrderTerm,
  parseOrderBy,
  wireOf,
  wireValue,
} from './dynamics-row-order.js';
import type { DynamicsStore } from './dynamics-store.js';
import type { DynamicsTable } from './dynamics-table.js';

/**
 * A plain query of a collection: `$filter`, `$orderby`, `$top`, paged by `Prefer: odata.maxpagesize`
 * and `@odata.nextLink`, whose cookie holds the last key served so a page never repeats a row.
 */
export class ListReader {
  readonly #store: DynamicsStore;
  readonly #sorted = new Map<string, { readonly version: number; readonly indices: readonly number[] }>();

  constructor(store: DynamicsStore) {
    this.#store = store;
  }

  list(
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
    const value = page.map((i) => formatRow(format, table.liveRow(i), table.version(i)));
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
}
