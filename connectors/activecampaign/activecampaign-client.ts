import { z } from 'zod';
import { TideError } from '../../core/tide-error.js';
import type { HttpClient } from '../../http/http-client.js';
import type { HttpRequest, HttpResponse, QueryValue } from '../../http/http-request.js';
import { parseJson } from '../../http/parse-json.js';
import { RollingWindowBudget } from '../../http/rate-budget.js';
import { ContactSchema, MetaSchema } from './activecampaign-schemas.js';
import { AccountClock } from './activecampaign-time.js';

/** A list body: resource-keyed rows (parsed by the caller's schema) and `meta.total`. */
const Envelope = z.looseObject({ meta: MetaSchema.optional() });

/** The reference's page size limit: `limit` ≤ 100. */
export const PAGE_LIMIT = 100;

export type Query = Readonly<Record<string, QueryValue>>;

export interface Page<T> {
  readonly items: readonly T[];
  /** `meta.total`: every record the query matches (null when the body has no meta). */
  readonly total: number | null;
}

/**
 * Typed ActiveCampaign calls over the account's shared HTTP client (one rate budget for every stream
 * and writer). Requests are labelled with their v3 path (`GET /api/3/contacts`) for statistics. The
 * account clock learns the account's UTC offset from the first timestamps it sees.
 */
export class ActiveCampaignClient {
  readonly http: HttpClient;
  readonly clock = new AccountClock();
  /** The account's bulk-import limit (reference: 100 imports a minute), shared like the request budget. */
  readonly imports = new RollingWindowBudget({ limit: 100, windowMs: 61_000 });
  #offsetProbe: Promise<void> | null = null;

  constructor(http: HttpClient) {
    this.http = http;
  }

  /** One page of a list endpoint (`GET /api/3/<resource>`), parsed with `item`. */
  async page<S extends z.ZodType>(
    resource: string,
    key: string,
    item: S,
    query: Query,
    signal?: AbortSignal,
  ): Promise<Page<z.output<S>>> {
    const what = `ActiveCampaign GET /api/3/${resource}`;
    const res = await this.http.request(this.#get(resource, query, signal));
    const body = parseJson(res.text, Envelope, what);
    const items = z.array(item).safeParse(body[key]);
    if (!items.success) {
      const issue = items.error.issues[0];
      throw new TideError(
        'malformed_response',
        `${what} returned an unexpected shape: ${key}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'not a list'}`,
      );
    }
    return { items: items.data, total: body.meta?.total ?? null };
  }

  /** A GET of any v3 path, parsed with `schema`; `label` names it in statistics. */
  get<S extends z.ZodType>(
    path: string,
    label: string,
    schema: S,
    query: Query = {},
    signal?: AbortSignal,
  ): Promise<z.output<S>> {
    return this.http.json(
      { path, query, endpoint: `GET /api/3/${label}`, ...(signal ? { signal } : {}) },
      schema,
    );
  }

  /** A write; statuses in `accept` come back to the caller instead of failing. */
  send(
    method: 'PUT' | 'POST' | 'DELETE',
    path: string,
    label: string,
    json: unknown,
    accept: readonly number[],
    signal?: AbortSignal,
  ): Promise<HttpResponse> {
    const req: HttpRequest = {
      method,
      path,
      json,
      endpoint: `${method} /api/3/${label}`,
      acceptStatuses: accept,
      ...(signal ? { signal } : {}),
    };
    return this.http.request(req);
  }

  /**
   * Makes sure the account's UTC offset is known before a filter is sent: one `limit=1` read of a
   * resource with timestamps, once per connection (skipped when a read already taught it).
   */
  ensureOffset(signal?: AbortSignal): Promise<void> {
    if (this.clock.offsetMinutes !== null) return Promise.resolve();
    this.#offsetProbe ??= (async () => {
      const { items } = await this.page('contacts', 'contacts', ContactSchema, { limit: 1 }, signal);
      this.clock.learn(items[0]?.udate, items[0]?.cdate);
    })().catch((error: unknown) => {
      this.#offsetProbe = null;
      throw error;
    });
    return this.#offsetProbe;
  }

  #get(resource: string, query: Query, signal: AbortSignal | undefined): HttpRequest {
    return { path: resource, query, endpoint: `GET /api/3/${resource}`, ...(signal ? { signal } : {}) };
  }
}
