import type pLimit from 'p-limit';
import type { z } from 'zod';
import { TideError } from '../../core/tide-error.js';
import type { HttpClient } from '../../http/http-client.js';
import type { HttpRequest, HttpResponse } from '../../http/http-request.js';
import { parseJson } from '../../http/parse-json.js';
import { type CollectionPage, CollectionPageSchema } from './dynamics-schemas.js';

/** One page of a collection read, with the server's clock when it answered (HTTP Date). */
export interface TimedPage {
  readonly page: CollectionPage;
  readonly serverMs: number | null;
}

export interface CollectionRead {
  /** Path under the environment (`/api/data/v9.2/contacts`) or an absolute link Dataverse gave. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  /** The `Prefer` header: resent with every next-page request, as Dataverse asks. */
  readonly prefer: string;
  readonly endpoint: string;
  readonly signal?: AbortSignal;
  /** Statuses the caller handles itself (an expired delta token is a 400). */
  readonly acceptStatuses?: readonly number[];
}

/**
 * Typed Dataverse Web API calls over the shared HTTP client, at most `concurrency` in flight for the
 * application user (service protection refuses more than 52 at once).
 */
export class DynamicsClient {
  readonly http: HttpClient;
  readonly apiPath: string;
  readonly #limit: ReturnType<typeof pLimit>;

  constructor(http: HttpClient, apiVersion: string, limit: ReturnType<typeof pLimit>) {
    this.http = http;
    this.apiPath = `/api/data/v${apiVersion}`;
    this.#limit = limit;
  }

  request(req: HttpRequest): Promise<HttpResponse> {
    return this.#limit(() => this.http.request(req));
  }

  async json<S extends z.ZodType>(req: HttpRequest, schema: S): Promise<z.output<S>> {
    const res = await this.request(req);
    return parseJson(res.text, schema, `Dynamics 365 ${req.method ?? 'GET'} ${req.endpoint ?? req.path}`);
  }

  /**
   * The pages of a collection read, following `@odata.nextLink` verbatim until a page has none (the
   * last page of a change-tracking read carries `@odata.deltaLink` instead). A next link to another
   * host is refused: it would carry the bearer token away. A link that repeats would never end.
   * A status in `acceptStatuses` on the first page ends the read with that response instead.
   */
  async *pages(read: CollectionRead): AsyncGenerator<TimedPage | HttpResponse> {
    const origin = new URL(this.http.baseUrl).origin;
    const seen = new Set<string>();
    let next: string | null = null;
    for (;;) {
      const res: HttpResponse = await this.request({
        path: next ?? read.path,
        ...(next === null && read.query ? { query: read.query } : {}),
        headers: { prefer: read.prefer },
        endpoint: read.endpoint,
        ...(read.signal ? { signal: read.signal } : {}),
        ...(next === null && read.acceptStatuses ? { acceptStatuses: read.acceptStatuses } : {}),
      });
      if (res.status >= 400) {
        yield res;
        return;
      }
      const page = parseJson(res.text, CollectionPageSchema, `Dynamics 365 ${read.endpoint}`);
      yield { page, serverMs: serverTime(res) };
      const link = page['@odata.nextLink'];
      if (link === undefined) return;
      const url = new URL(link, origin);
      if (url.origin !== origin) {
        throw new TideError(
          'malformed_response',
          `Dynamics 365 sent a next-page link to another host (${url.host}); refusing to follow it`,
        );
      }
      if (seen.has(url.href)) {
        throw new TideError(
          'pagination_loop',
          `Dynamics 365 repeated a next-page link for ${read.endpoint}; stopping instead of looping`,
        );
      }
      seen.add(url.href);
      next = url.href;
    }
  }
}

function serverTime(res: HttpResponse): number | null {
  const date = res.headers.get('date');
  const ms = date === null ? Number.NaN : Date.parse(date);
  return Number.isFinite(ms) ? ms : null;
}
