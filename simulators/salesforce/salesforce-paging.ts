import type { SimPaging, SimRequest, SimResponse } from '../kit/sim-types.js';

const VERSIONED = /^\/services\/data\/v(\d{2}\.\d)\//;
const REST_QUERY = /^\/services\/data\/v\d{2}\.\d\/query(?:All)?(?:\/[^/]+)?\/?$/;
const BULK_RESULTS = /^\/services\/data\/v\d{2}\.\d\/jobs\/query\/[0-9A-Za-z]+\/results\/?$/;
const COUNT = /^\s*select\s+count\(\s*\)/i;

/**
 * Salesforce's paged reads for the empty-page fault: a REST query page (`records` empty, `done`
 * false, `nextRecordsUrl` ending in the token) and a Bulk API 2.0 results page (the CSV header only,
 * `Sforce-Locator` the token). COUNT() queries answer in one response and are left alone.
 */
export const SALESFORCE_PAGING: SimPaging = {
  isPageRead(req: SimRequest): boolean {
    if (req.method !== 'GET') return false;
    if (BULK_RESULTS.test(req.path)) return true;
    return REST_QUERY.test(req.path) && !COUNT.test(req.query.get('q') ?? '');
  },
  emptied(page: SimResponse, token: string, req: SimRequest): SimResponse {
    if (BULK_RESULTS.test(req.path)) {
      const text = page.text ?? '';
      const header = text.slice(0, Math.max(0, text.search(/\r?\n/)));
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      return {
        ...page,
        headers: { ...page.headers, 'sforce-numberofrecords': '0', 'sforce-locator': token },
        text: `${header}${eol}`,
      };
    }
    const version = VERSIONED.exec(req.path)?.[1] ?? '62.0';
    const totalSize =
      typeof page.json === 'object' && page.json !== null && 'totalSize' in page.json
        ? page.json.totalSize
        : 0;
    return {
      ...page,
      json: {
        totalSize,
        done: false,
        nextRecordsUrl: `/services/data/v${version}/query/${token}`,
        records: [],
      },
    };
  },
};
