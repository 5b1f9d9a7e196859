import type { SourceRecord } from '../../core/record.js';
import { TideError } from '../../core/tide-error.js';
import type { ZohoClient } from './zoho-client.js';
import type { ZohoRecordReader } from './zoho-record.js';
import type { ZohoRawRecord } from './zoho-schemas.js';

/** Records per page of incremental reads (Zoho's maximum `per_page`). */
export const RECORDS_PER_PAGE = 200;
/** `page` reaches the first 2,000 rows of a query; past that only `page_token` does. */
const DISCRETE_PAGES = 10;
/** The Records API takes at most 50 field names per call. */
const FIELDS_PER_CALL = 50;
const IDS_PER_CALL = 100;

export interface RecordsRead {
  /** Only the Records API call is needed (a test can stand in for it). */
  readonly client: Pick<ZohoClient, 'recordsPage'>;
  readonly module: string;
  readonly reader: ZohoRecordReader;
  /** Inclusive lower bound on Modified_Time (ms); null = every record. */
  readonly fromMs: number | null;
  readonly signal?: AbortSignal;
}

/**
 * Every record modified at or after `fromMs`, in (Modified_Time) order, one page at a time, through
 * `GET /crm/v8/{module}?sort_by=Modified_Time&sort_order=asc` with `If-Modified-Since`.
 *
 * Paging is by key, not by position: after each page the next query starts again from the page's last
 * Modified_Time (If-Modified-Since is "modified after", so one second earlier), skipping the records
 * of that second already emitted. Position paging (`page=2, 3…`) over a list that changes while it is
 * read skips records (one record modified meanwhile shifts every later one back a slot), and a skipped
 * record older than the final cursor would be lost for good; restarting from a time cannot skip. It
 * also never meets the 2,000-row (`page`) and 100,000-row (`page_token`) reach of one query, which
 * are used only to walk a run of more than a page of records sharing one second.
 *
 * A page without records that still says `more_records` (Zoho leaves out records the user may not
 * see, so a page can come back empty) is continued by its `next_page_token`, or by the next `page`
 * when it has none: asking for the same page again would get the same empty answer.
 *
 * Modules with more than 50 fields are read 50 fields a call: the page through the first call (with
 * id and Modified_Time), the other fields by `ids` for the page's records.
 */
export async function* readModifiedRecords(read: RecordsRead): AsyncGenerator<SourceRecord[]> {
  const { client, module, reader, signal } = read;
  const names = reader.fieldNames.filter((n) => n !== 'id');
  const first = ['Modified_Time', ...names.filter((n) => n !== 'Modified_Time')].slice(0, FIELDS_PER_CALL);
  const rest: string[][] = [];
  const others = names.filter((n) => !first.includes(n));
  for (let i = 0; i < others.length; i += FIELDS_PER_CALL) rest.push(others.slice(i, i + FIELDS_PER_CALL));

  let bound = read.fromMs === null ? undefined : Math.floor(read.fromMs / 1000) * 1000 - 1000;
  let page = 1;
  let pageToken: string | undefined;
  let lastMs = Number.NEGATIVE_INFINITY;
  let atLast = new Set<string>();
  const tokens = new Set<string>();
  /** Continues the query with Zoho's next_page_token; false when the page carries none. */
  const follow = (next: string | null | undefined): boolean => {
    if (next === undefined || next === null || next === '') return false;
    if (tokens.has(next))
      throw new TideError('pagination_loop', `Zoho ${module}: the page token repeats; stopping`);
    tokens.add(next);
    pageToken = next;
    return true;
  };
  for (;;) {
    const body = await client.recordsPage(module, {
      fields: first,
      perPage: RECORDS_PER_PAGE,
      sortBy: 'Modified_Time',
      ...(pageToken === undefined ? { page } : { pageToken }),
      ...(bound === undefined ? {} : { modifiedAfterMs: bound }),
      ...(signal ? { signal } : {}),
    });
    const raws = await withOtherFields(client, module, body.data, rest, signal);
    const out: SourceRecord[] = [];
    for (const raw of raws) {
      const record = reader.fromJson(raw);
      const ms = Date.parse(record.updatedAt);
      if (ms === lastMs && atLast.has(record.id)) continue;
      if (ms > lastMs) {
        lastMs = ms;
        atLast = new Set();
      }
      if (ms === lastMs) atLast.add(record.id);
      out.push(record);
    }
    if (out.length > 0 || body.data.length > 0) yield out;
    if (body.info?.more_records !== true) return;
    if (body.data.length === 0) {
      if (follow(body.info.next_page_token)) continue;
      if (pageToken === undefined && page < DISCRETE_PAGES) {
        page++;
        continue;
      }
      throw new TideError(
        'malformed_response',
        `Zoho ${module}: a page without records says more_records but gives no next_page_token past page ${page}`,
      );
    }

    const pageLast = Date.parse(reader.fromJson(raws[raws.length - 1]!).updatedAt);
    const restartAt = Math.floor(pageLast / 1000) * 1000 - 1000;
    if (bound === undefined || restartAt > bound) {
      bound = restartAt;
      page = 1;
      pageToken = undefined;
    } else if (pageToken === undefined && page < DISCRETE_PAGES) {
      // A page of records sharing one second: walk that second by position.
      page++;
    } else if (!follow(body.info.next_page_token)) {
      throw new TideError(
        'malformed_response',
        `Zoho ${module}: more_records without a next_page_token past page ${page}`,
      );
    }
  }
}

/** Fetches the fields beyond the first 50 for a page's records, by id, and merges them in. */
async function withOtherFields(
  client: RecordsRead['client'],
  module: string,
  page: readonly ZohoRawRecord[],
  chunks: readonly (readonly string[])[],
  signal: AbortSignal | undefined,
): Promise<readonly ZohoRawRecord[]> {
  if (chunks.length === 0 || page.length === 0) return page;
  const merged = new Map(page.map((r) => [r.id, { ...r }]));
  for (const fields of chunks) {
    for (let i = 0; i < page.length; i += IDS_PER_CALL) {
      const ids = page.slice(i, i + IDS_PER_CALL).map((r) => r.id);
      const body = await client.recordsPage(module, {
        fields,
        perPage: RECORDS_PER_PAGE,
        ids,
        ...(signal ? { signal } : {}),
      });
      for (const extra of body.data) {
        const target = merged.get(extra.id);
        if (target !== undefined) Object.assign(target, extra);
      }
    }
  }
  return page.map((r) => merged.get(r.id)!);
}
