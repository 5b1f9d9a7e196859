import type { SimPaging, SimRequest, SimResponse } from '../kit/sim-types.js';
import { routeOf } from './pipedrive-routes.js';

/** Pipedrive's v2 list pages for the empty-page fault: `data` empty, `next_cursor` the token. */
export const PIPEDRIVE_PAGING: SimPaging = {
  isPageRead(req: SimRequest): boolean {
    return routeOf(req).kind === 'list';
  },
  emptied(page: SimResponse, token: string): SimResponse {
    return { ...page, json: { success: true, data: [], additional_data: { next_cursor: token } } };
  },
};
