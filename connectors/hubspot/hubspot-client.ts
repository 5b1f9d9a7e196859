import type { z } from 'zod';
import type { HttpClient } from '../../http/http-client.js';
import { parseJson } from '../../http/parse-json.js';
import type { HubspotExportClient } from './hubspot-export-client.js';
import {
  HubspotAssociationsSchema,
  HubspotBatchReadSchema,
  HubspotListPageSchema,
  type HubspotObject,
  type HubspotPage,
  HubspotPropertiesSchema,
  type HubspotProperty,
  HubspotSearchPageSchema,
} from './hubspot-schemas.js';

/**
 * HubSpot's request line limit (Cloudflare answers 414 somewhere past 16 KB); property lists longer
 * than this go in POST bodies instead.
 */
export const MAX_QUERY_CHARS = 14_000;

export interface SearchFilter {
  readonly propertyName: string;
  readonly operator: 'EQ' | 'GT' | 'GTE' | 'LT' | 'LTE';
  readonly value: string;
}

/** Typed HubSpot CRM v3 calls over the shared HTTP client. */
export class HubspotClient {
  readonly http: HttpClient;
  /** The CRM exports API (first loads of large objects); absent where only records are written. */
  readonly exports: HubspotExportClient | null;

  constructor(http: HttpClient, exports: HubspotExportClient | null = null) {
    this.http = http;
    this.exports = exports;
  }

  async properties(objectType: string): Promise<readonly HubspotProperty[]> {
    const page = await this.http.json({ path: `/crm/v3/properties/${objectType}` }, HubspotPropertiesSchema);
    return page.results;
  }

  listPage(
    objectType: string,
    options: {
      after?: string | undefined;
      properties: readonly string[];
      archived: boolean;
      signal?: AbortSignal;
    },
  ): Promise<HubspotPage> {
    return this.http.json(
      {
        path: `/crm/v3/objects/${objectType}`,
        query: {
          limit: 100,
          after: options.after,
          archived: options.archived,
          properties: options.properties,
        },
        endpoint: `GET /crm/v3/objects/${objectType}`,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      HubspotListPageSchema,
    );
  }

  search(
    objectType: string,
    body: {
      readonly filters: readonly SearchFilter[];
      readonly sort: { readonly propertyName: string; readonly direction: 'ASCENDING' | 'DESCENDING' };
      readonly properties: readonly string[];
      readonly after: number;
    },
    signal?: AbortSignal,
  ): Promise<z.output<typeof HubspotSearchPageSchema>> {
    return this.http.json(
      {
        method: 'POST',
        path: `/crm/v3/objects/${objectType}/search`,
        json: {
          filterGroups: [{ filters: body.filters }],
          sorts: [body.sort],
          properties: body.properties,
          limit: 200,
          // HubSpot wants `after` as an integer string, and none on the first page.
          ...(body.after > 0 ? { after: String(body.after) } : {}),
        },
        ...(signal ? { signal } : {}),
      },
      HubspotSearchPageSchema,
    );
  }

  /**
   * The highest record id and the number of live records, from one search sorted by id (an empty
   * body matches every record). Sizes parallel list chains and the choice of the export path.
   */
  async extent(
    objectType: string,
    signal?: AbortSignal,
  ): Promise<{ readonly highestId: number | null; readonly total: number }> {
    const page = await this.http.json(
      {
        method: 'POST',
        path: `/crm/v3/objects/${objectType}/search`,
        json: {
          sorts: [{ propertyName: 'hs_object_id', direction: 'DESCENDING' }],
          properties: ['hs_object_id'],
          limit: 1,
        },
        ...(signal ? { signal } : {}),
      },
      HubspotSearchPageSchema,
    );
    const id = Number(page.results[0]?.id);
    return {
      highestId: Number.isSafeInteger(id) ? id : null,
      total: page.total ?? page.results.length,
    };
  }

  /** Reads up to 100 records by id with any number of properties (the body has no length limit). */
  async batchRead(
    objectType: string,
    ids: readonly string[],
    properties: readonly string[],
    signal?: AbortSignal,
  ): Promise<readonly HubspotObject[]> {
    if (ids.length === 0) return [];
    const res = await this.http.request({
      method: 'POST',
      path: `/crm/v3/objects/${objectType}/batch/read`,
      json: { inputs: ids.map((id) => ({ id })), properties },
      // 207 = some ids no longer exist (deleted between the search and this read): keep the rest.
      ...(signal ? { signal } : {}),
    });
    return parseJson(res.text, HubspotBatchReadSchema, `HubSpot batch/read ${objectType}`).results;
  }

  /** Associated object ids per record, through the v4 associations batch read (≤ 100 ids per call). */
  async associations(
    fromType: string,
    toType: string,
    ids: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      const res = await this.http.request({
        method: 'POST',
        path: `/crm/v4/associations/${fromType}/${toType}/batch/read`,
        json: { inputs: chunk.map((id) => ({ id })) },
        ...(signal ? { signal } : {}),
      });
      const parsed = parseJson(
        res.text,
        HubspotAssociationsSchema,
        `HubSpot associations ${fromType}→${toType}`,
      );
      for (const row of parsed.results)
        out.set(
          row.from.id,
          row.to.map((t) => String(t.toObjectId)),
        );
    }
    return out;
  }
}

/** Whether a property list fits a GET request line. */
export function fitsQuery(properties: readonly string[]): boolean {
  let chars = 0;
  for (const p of properties) chars += encodeURIComponent(p).length + 12;
  return chars <= MAX_QUERY_CHARS;
}
