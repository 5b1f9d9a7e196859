import type { SimPaging, SimRequest, SimResponse } from '../kit/sim-types.js';
import { routeOf } from './hubspot-routes.js';

/**
 * HubSpot's list pages (`GET /crm/v3/objects/{type}`, `GET /crm/v3/owners`) for the empty-page fault:
 * `results` empty, `paging.next` carrying the token. Search pages are not served empty: their `after`
 * is a result offset clients must see grow, not an opaque token.
 */
export const HUBSPOT_PAGING: SimPaging = {
  isPageRead(req: SimRequest): boolean {
    const kind = routeOf(req).kind;
    return req.method === 'GET' && (kind === 'list' || kind === 'owners');
  },
  emptied(page: SimResponse, token: string, req: SimRequest): SimResponse {
    const link = new URLSearchParams(req.query);
    link.set('after', token);
    const base = `http://${req.headers.host ?? '127.0.0.1'}${req.path}`;
    return {
      ...page,
      json: { results: [], paging: { next: { after: token, link: `${base}?${link}` } } },
    };
  },
};
