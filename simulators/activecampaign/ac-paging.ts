import type { SimPaging, SimRequest, SimResponse } from '../kit/sim-types.js';

const LIST = /^\/api\/3\/[A-Za-z]+\/?$/;

/**
 * ActiveCampaign's list pages for the kit's empty-page fault: the resource's array empty while
 * `meta.total` still counts every row. Paging is by offset, so there is no next link to carry the
 * kit's token: a client that sees records missing asks the same offset again, which the kit serves
 * normally.
 */
export const AC_PAGING: SimPaging = {
  isPageRead(req: SimRequest): boolean {
    return req.method === 'GET' && LIST.test(req.path);
  },
  emptied(page: SimResponse): SimResponse {
    const body = page.json;
    if (page.status !== 200 || typeof body !== 'object' || body === null || Array.isArray(body)) return page;
    // Every array at the top level is the page's rows (contacts also carry an empty scoreValues).
    const emptied = Object.fromEntries(
      Object.entries(body).map(([key, value]) => [key, Array.isArray(value) ? [] : value]),
    );
    return { ...page, json: emptied };
  },
};
