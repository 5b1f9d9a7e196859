import pLimit from 'p-limit';
import type { z } from 'zod';
import type { RequestLog } from '../../core/request-log.js';
import { HttpClient } from '../../http/http-client.js';
import type { HttpRequest, HttpResponse, HttpStreamResponse } from '../../http/http-request.js';
import { parseJson } from '../../http/parse-json.js';
import { UnlimitedBudget } from '../../http/rate-budget.js';
import type { RateLimitWaits } from '../../http/rate-limit-waits.js';
import type { VendorPolicy } from '../../http/vendor-policy.js';
import type { ZohoOAuth } from './zoho-oauth.js';
import {
  DeletedPageSchema,
  FieldsSchema,
  type RecordsPage,
  RecordsPageSchema,
  UsersPageSchema,
  type ZohoField,
} from './zoho-schemas.js';
import { toZohoTime } from './zoho-time.js';

export interface ZohoClientOptions {
  readonly oauth: ZohoOAuth;
  readonly policy: VendorPolicy;
  readonly source: string;
  readonly concurrency: number;
  readonly requestLog?: RequestLog;
  readonly rateLimitWaits?: RateLimitWaits;
  readonly maxRetries?: number;
  readonly backoff?: { baseMs?: number; maxMs?: number };
}

export interface PageQuery {
  readonly fields: readonly string[];
  readonly perPage: number;
  readonly page?: number;
  readonly pageToken?: string;
  /** Records modified strictly after this instant (`If-Modified-Since`). */
  readonly modifiedAfterMs?: number;
  readonly sortBy?: 'id' | 'Modified_Time';
  readonly ids?: readonly string[];
  readonly signal?: AbortSignal;
}

/** An empty answer (204 none, 304 nothing modified since) reads as a page without records. */
const EMPTY: RecordsPage = { data: [], info: { more_records: false } };

/**
 * Typed Zoho CRM v8 calls over the shared HTTP client. The HTTP client is made on first use, because
 * the API host is the `api_domain` of the OAuth answer, not the accounts server; at most
 * `concurrency` calls are in flight for the org (Zoho's per-app concurrency limit).
 */
export class ZohoClient {
  readonly #options: ZohoClientOptions;
  readonly #limit: ReturnType<typeof pLimit>;
  #http: Promise<HttpClient> | null = null;

  constructor(options: ZohoClientOptions) {
    this.#options = options;
    this.#limit = pLimit(options.concurrency);
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const http = await this.#client();
    return this.#limit(() => http.request(req));
  }

  /** A streamed download (Bulk Read's ZIP); its concurrency slot is held only until the body starts. */
  async stream(req: HttpRequest): Promise<HttpStreamResponse> {
    const http = await this.#client();
    return this.#limit(() => http.requestStream(req));
  }

  async json<S extends z.ZodType>(req: HttpRequest, schema: S): Promise<z.output<S>> {
    const res = await this.request(req);
    return parseJson(res.text, schema, `Zoho ${req.method ?? 'GET'} ${req.endpoint ?? req.path}`);
  }

  async fields(module: string, signal?: AbortSignal): Promise<ZohoField[]> {
    const body = await this.json(
      {
        path: '/crm/v8/settings/fields',
        query: { module },
        endpoint: 'GET /crm/v8/settings/fields',
        ...(signal ? { signal } : {}),
      },
      FieldsSchema,
    );
    return body.fields;
  }

  /** One page of `GET /crm/v8/{module}`; 204 and 304 read as an empty last page. */
  async recordsPage(module: string, q: PageQuery): Promise<RecordsPage> {
    const res = await this.request({
      path: `/crm/v8/${encodeURIComponent(module)}`,
      query: {
        fields: q.fields.join(','),
        per_page: q.ids === undefined ? q.perPage : undefined,
        page: q.page,
        page_token: q.pageToken,
        sort_by: q.sortBy,
        sort_order: q.sortBy === undefined ? undefined : 'asc',
        ids: q.ids === undefined ? undefined : q.ids.join(','),
      },
      headers: q.modifiedAfterMs === undefined ? {} : { 'if-modified-since': toZohoTime(q.modifiedAfterMs) },
      endpoint: `GET /crm/v8/${module}`,
      ...(q.signal ? { signal: q.signal } : {}),
    });
    if (res.status === 204 || res.status === 304 || res.text.trim() === '') return EMPTY;
    return parseJson(res.text, RecordsPageSchema, `Zoho GET /crm/v8/${module}`);
  }

  /** One page of the recycle bin and permanently deleted records since an instant. */
  async deletedPage(module: string, page: number, modifiedAfterMs: number | undefined, signal?: AbortSignal) {
    const res = await this.request({
      path: `/crm/v8/${encodeURIComponent(module)}/deleted`,
      query: { type: 'all', page, per_page: 200 },
      headers: modifiedAfterMs === undefined ? {} : { 'if-modified-since': toZohoTime(modifiedAfterMs) },
      endpoint: `GET /crm/v8/${module}/deleted`,
      ...(signal ? { signal } : {}),
    });
    if (res.status === 204 || res.status === 304 || res.text.trim() === '')
      return { data: [], info: undefined };
    return parseJson(res.text, DeletedPageSchema, `Zoho GET /crm/v8/${module}/deleted`);
  }

  async usersPage(page: number, modifiedAfterMs: number | undefined, signal?: AbortSignal) {
    const res = await this.request({
      path: '/crm/v8/users',
      query: { type: 'AllUsers', page, per_page: 200 },
      headers: modifiedAfterMs === undefined ? {} : { 'if-modified-since': toZohoTime(modifiedAfterMs) },
      ...(signal ? { signal } : {}),
    });
    if (res.status === 204 || res.status === 304 || res.text.trim() === '')
      return { users: [], info: undefined };
    return parseJson(res.text, UsersPageSchema, 'Zoho GET /crm/v8/users');
  }

  #client(): Promise<HttpClient> {
    this.#http ??= this.#options.oauth.session().then(
      (session) =>
        new HttpClient({
          baseUrl: session.apiDomain,
          source: this.#options.source,
          policy: this.#options.policy,
          // Zoho paces by daily credits and concurrency (both above), not by a request window.
          budget: new UnlimitedBudget(),
          ...(this.#options.requestLog ? { requestLog: this.#options.requestLog } : {}),
          ...(this.#options.rateLimitWaits ? { rateLimitWaits: this.#options.rateLimitWaits } : {}),
          ...(this.#options.maxRetries === undefined ? {} : { maxRetries: this.#options.maxRetries }),
          ...(this.#options.backoff ? { backoff: this.#options.backoff } : {}),
        }),
    );
    this.#http.catch(() => {
      this.#http = null;
    });
    return this.#http;
  }
}
