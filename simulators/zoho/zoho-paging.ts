import type { SimPaging, SimRequest, SimResponse } from '../kit/sim-types.js';

/**
 * Zoho's record list pages for the kit's empty-page fault: `data` empty, `more_records` still true and
 * a `next_page_token` (the kit replays the original request when a client follows it). Reads by `ids`
 * are not list pages.
 */
export const ZOHO_PAGING: SimPaging = {
  isPageRead(req: SimRequest): boolean {
    const module = /^\/crm\/v8\/([A-Za-z_]+)$/.exec(req.path)?.[1];
    return req.method === 'GET' && module !== undefined && module !== 'users' && !req.query.has('ids');
  },
  emptied(page: SimResponse, token: string, req: SimRequest): SimResponse {
    const pageNumber = Number(req.query.get('page') ?? 1);
    return {
      ...page,
      status: 200,
      json: {
        data: [],
        info: { per_page: 200, count: 0, page: pageNumber, more_records: true, next_page_token: token },
      },
    };
  },
};
