import pLimit from 'p-limit';
import type { z } from 'zod';
import type { RequestLog } from '../../core/request-log.js';
import { TideError } from '../../core/tide-error.js';
import { HttpClient } from '../../http/http-client.js';
import type { HttpRequest, HttpResponse } from '../../http/http-request.js';
import { parseJson } from '../../http/parse-json.js';
import { UnlimitedBudget } from '../../http/rate-budget.js';
import type { RateLimitWaits } from '../../http/rate-limit-waits.js';
import type { VendorPolicy } from '../../http/vendor-policy.js';
import { parseSalesforceError } from './salesforce-error.js';
import type { SalesforceOAuth } from './salesforce-oauth.js';
import {
  DeletedSchema,
  DescribeSchema,
  LimitsSchema,
  type QueryPage,
  QueryPageSchema,
  type SObjectDescribe,
} from './salesforce-schemas.js';

export interface SalesforceClientOptions {
  readonly oauth: SalesforceOAuth;
  readonly policy: VendorPolicy;
  readonly source: string;
  readonly apiVersion: string;
  readonly concurrency: number;
  readonly requestLog?: RequestLog;
  readonly rateLimitWaits?: RateLimitWaits;
  readonly maxRetries?: number;
  readonly backoff?: { baseMs?: number; maxMs?: number };
}

export type DeletedWindow =
  | {
      readonly kind: 'ok';
      readonly records: readonly { readonly id: string; readonly deletedMs: number }[];
      /** Newest deletion Salesforce already purged: deletions before it may be unknown. */
      readonly earliestAvailableMs: number | null;
    }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** A response plus the server's clock when it answered (HTTP Date, whole seconds). */
export interface Timed<T> {
  readonly value: T;
  readonly serverMs: number | null;
}

/**
 * Typed Salesforce REST calls over the shared HTTP client. The client is made on first use, because
 * the API host is the `instance_url` of the OAuth token response, not the login host.
 */
export class SalesforceClient {
  readonly #options: SalesforceClientOptions;
  readonly #limit: ReturnType<typeof pLimit>;
  #http: Promise<HttpClient> | null = null;

  constructor(options: SalesforceClientOptions) {
    this.#options = options;
    this.#limit = pLimit(options.concurrency);
  }

  get apiPath(): string {
    return `/services/data/v${this.#options.apiVersion}`;
  }

  /** One request (at most `concurrency` in flight per org). */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const http = await this.#client();
    return this.#limit(() => http.request(req));
  }

  async json<S extends z.ZodType>(req: HttpRequest, schema: S): Promise<Timed<z.output<S>>> {
    const res = await this.request(req);
    const what = `Salesforce ${req.method ?? 'GET'} ${req.endpoint ?? req.path}`;
    return { value: parseJson(res.text, schema, what), serverMs: serverTime(res) };
  }

  async describe(object: string, signal?: AbortSignal): Promise<SObjectDescribe> {
    const res = await this.json(
      { path: `${this.apiPath}/sobjects/${object}/describe`, ...(signal ? { signal } : {}) },
      DescribeSchema,
    );
    return res.value;
  }

  async limits(signal?: AbortSignal): Promise<z.output<typeof LimitsSchema>> {
    return (await this.json({ path: `${this.apiPath}/limits`, ...(signal ? { signal } : {}) }, LimitsSchema))
      .value;
  }

  /** `SELECT COUNT()` through queryAll (deleted records count: incremental reads include them). */
  async count(soql: string, signal?: AbortSignal): Promise<Timed<number>> {
    const res = await this.json(
      { path: `${this.apiPath}/queryAll`, query: { q: soql }, ...(signal ? { signal } : {}) },
      QueryPageSchema,
    );
    return { value: res.value.totalSize, serverMs: res.serverMs };
  }

  /**
   * Pages of a query or queryAll, following `nextRecordsUrl` until `done`. A locator that repeats
   * means the server replays a page; following it would never end.
   */
  async *queryPages(
    soql: string,
    options: { readonly all: boolean; readonly signal?: AbortSignal; readonly batchSize?: number },
  ): AsyncGenerator<QueryPage> {
    const headers = { 'sforce-query-options': `batchSize=${options.batchSize ?? 2000}` };
    const signal = options.signal ? { signal: options.signal } : {};
    let page = (
      await this.json(
        {
          path: `${this.apiPath}/${options.all ? 'queryAll' : 'query'}`,
          query: { q: soql },
          headers,
          ...signal,
        },
        QueryPageSchema,
      )
    ).value;
    const seen = new Set<string>();
    for (;;) {
      yield page;
      if (page.done || page.nextRecordsUrl === undefined) return;
      const next = new URL(page.nextRecordsUrl, 'http://instance.invalid').pathname;
      if (seen.has(next)) {
        throw new TideError(
          'pagination_loop',
          `Salesforce repeated the query locator ${next.split('/').pop()}`,
        );
      }
      seen.add(next);
      page = (
        await this.json(
          { path: next, headers, endpoint: `GET ${this.apiPath}/query/{locator}`, ...signal },
          QueryPageSchema,
        )
      ).value;
    }
  }

  /**
   * The deletion log between two instants. Salesforce refuses windows that start more than 30 days
   * ago (INVALID_REPLICATION_DATE); that and a purge inside the window both mean the log no longer
   * reaches back far enough.
   */
  async deleted(
    object: string,
    startMs: number,
    endMs: number,
    signal?: AbortSignal,
  ): Promise<DeletedWindow> {
    const res = await this.request({
      path: `${this.apiPath}/sobjects/${object}/deleted/`,
      query: { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString() },
      acceptStatuses: [400],
      ...(signal ? { signal } : {}),
    });
    if (res.status === 400) {
      const error = parseSalesforceError(400, res.text);
      if (error.errorCode === 'INVALID_REPLICATION_DATE')
        return { kind: 'unavailable', reason: error.message };
      throw new TideError(
        'http_error',
        `Salesforce ${object} deleted records failed with 400 ${error.errorCode}: ${error.message}`,
      );
    }
    const body = parseJson(res.text, DeletedSchema, `Salesforce ${object} deleted records`);
    return {
      kind: 'ok',
      records: body.deletedRecords.map((r) => ({ id: r.id, deletedMs: parseSalesforceTime(r.deletedDate) })),
      earliestAvailableMs: body.earliestDateAvailable
        ? parseSalesforceTime(body.earliestDateAvailable)
        : null,
    };
  }

  #client(): Promise<HttpClient> {
    this.#http ??= this.#options.oauth.session().then(
      (session) =>
        new HttpClient({
          baseUrl: session.instanceUrl,
          source: this.#options.source,
          policy: this.#options.policy,
          // Salesforce paces by daily allowance and concurrency, not a request window.
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

/** `2013-05-20T20:49:32.000+0000` (REST) and ISO forms → epoch ms. */
export function parseSalesforceTime(text: string): number {
  const ms = Date.parse(text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  if (!Number.isFinite(ms))
    throw new TideError('malformed_response', `Salesforce sent an unreadable datetime: ${text}`);
  return ms;
}

function serverTime(res: HttpResponse): number | null {
  const date = res.headers.get('date');
  const ms = date === null ? Number.NaN : Date.parse(date);
  return Number.isFinite(ms) ? ms : null;
}
