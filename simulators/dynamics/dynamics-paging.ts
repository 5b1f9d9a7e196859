import type { SimPaging, SimRequest, SimResponse } from '../kit/sim-types.js';

/** A table's rows: `/api/data/v9.x/<entity set>` (not a row, metadata, WhoAmI or a function). */
const COLLECTION = /^\/api\/data\/v9\.[0-2]\/([A-Za-z_]+)$/;
const NOT_TABLES = new Set([
  'EntityDefinitions',
  'GlobalOptionSetDefinitions',
  'RelationshipDefinitions',
  'WhoAmI',
]);

/**
 * Dataverse's collection pages for the kit's empty-page fault: `value` empty and an `@odata.nextLink`
 * (its `$skiptoken` carrying the kit's token, which the kit replays as the page left out). Plain
 * lists, change tracking snapshots and delta pages alike: a client follows any next link verbatim.
 */
export const DYNAMICS_PAGING: SimPaging = {
  isPageRead(req: SimRequest): boolean {
    const set = COLLECTION.exec(req.path)?.[1];
    return req.method === 'GET' && set !== undefined && !NOT_TABLES.has(set);
  },
  emptied(page: SimResponse, token: string, req: SimRequest): SimResponse {
    const query = new URLSearchParams(req.query);
    query.set('$skiptoken', token);
    const body = page.json as Readonly<Record<string, unknown>> | undefined;
    return {
      ...page,
      json: {
        '@odata.context': body?.['@odata.context'],
        value: [],
        '@odata.nextLink': `http://${req.headers.host ?? '127.0.0.1'}${req.path}?${query}`,
      },
    };
  },
};
