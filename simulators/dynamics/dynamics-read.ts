import type { SimResponse } from '../kit/sim-types.js';
import { ChangeTrackingReader } from './dynamics-change-tracking.js';
import { badRequest, dataverseError, unknownProperty } from './dynamics-errors.js';
import { AnnotationFilter, attributeByWire, type FormatContext, formatRow } from './dynamics-format.js';
import { ListReader } from './dynamics-list-read.js';
import { decodeState } from './dynamics-page-state.js';
import { MAX_PAGE_SIZE } from './dynamics-prefer.js';
import type { ReadRequest } from './dynamics-read-request.js';
import type { DynamicsStore } from './dynamics-store.js';
import type { LookupRef } from './dynamics-table.js';

const TRACKING_REFUSED = ['$filter', '$orderby', '$expand', '$top'];

/**
 * GET of a collection or of one row. A collection read is one of three, told apart by the request
 * and its paging cookie: a plain query (dynamics-list-read.ts), or change tracking's snapshot or
 * delta read (dynamics-change-tracking.ts); this checks `$select` and `$skiptoken` once for all.
 */
export class DynamicsReader {
  readonly #store: DynamicsStore;
  readonly #list: ListReader;
  readonly #tracking: ChangeTrackingReader;

  constructor(store: DynamicsStore, expireDays: () => number) {
    this.#store = store;
    this.#list = new ListReader(store);
    this.#tracking = new ChangeTrackingReader(store, expireDays);
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
      return this.#tracking.delta(req, format, pageSize, deltaToken, state);
    if (prefs.trackChanges || state?.m === 'snapshot') {
      const refused = TRACKING_REFUSED.find((p) => query.has(p));
      if (refused !== undefined)
        return badRequest(
          `The "${refused}" query parameter isn't supported when Change Tracking is enabled.`,
        );
      if (!entity.changeTracking)
        return badRequest(`Change tracking is not enabled for the entity '${entity.logicalName}'.`, '');
      return this.#tracking.snapshot(req, format, pageSize, state?.m === 'snapshot' ? state : null);
    }
    return this.#list.list(req, format, pageSize, state?.m === 'list' ? state : null);
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
}

function parseSelect(text: string | null): string[] | null {
  if (text === null || text.trim() === '') return null;
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
