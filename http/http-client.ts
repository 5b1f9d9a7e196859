import type { z } from 'zod';
import type { HttpClientOptions } from './http-client-options.js';
import type { HttpRequest, HttpResponse, HttpStreamResponse, QueryValue } from './http-request.js';
import { parseJson } from './parse-json.js';
import type { RateBudget } from './rate-budget.js';
import { defaultRateLimitWaits, type RateLimitWaits } from './rate-limit-waits.js';
import { type Exchange, exchange } from './request-loop.js';
import { ServerClock } from './server-clock.js';
import { waitOutRateLimit } from './wait-out-rate-limit.js';

/**
 * The single HTTP path every connector uses, against real vendors and simulators alike. It spends
 * from the account's rate budget, waits out rate limits as the vendor's signal says (bounded by the
 * run's wait budget, not by the attempt count), retries transient failures (5xx, timeouts and
 * connection errors with jittered backoff, bounded), and never puts credentials or query strings in
 * errors. The loop itself is http/request-loop.ts; this class holds what lasts between requests.
 */
export class HttpClient {
  readonly #options: HttpClientOptions;
  readonly #base: URL;
  readonly #waits: RateLimitWaits;
  readonly #clock = new ServerClock();

  constructor(options: HttpClientOptions) {
    this.#options = options;
    this.#waits = options.rateLimitWaits ?? defaultRateLimitWaits();
    this.#base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  }

  get baseUrl(): string {
    return this.#base.toString();
  }

  /**
   * The vendor's "now" as its last `Date` header told it, carried forward on our clock; null before
   * the first answer. The header has whole seconds and is stamped before the answer travels, so this
   * errs early, never late: what a cursor clamp needs (records the CRM stamped after it are read
   * again next time, none is skipped). Cursors clamp to the CRM's clock, not the machine's: with the
   * CRM an hour ahead, a clamp to the local clock kept every cursor an hour behind its data.
   */
  serverNow(): Date | null {
    return this.#clock.now();
  }

  /**
   * The later of the vendor's clock (serverNow) and `local`, a time on ours: the cap of a cursor at
   * a read's start. A vendor clock ahead of ours wins; otherwise `local` (the run's start, as before
   * the header was heard), which also covers the current second the header's whole seconds drop.
   */
  notBefore(local: Date): Date {
    const heard = this.serverNow();
    return heard !== null && heard.getTime() > local.getTime() ? heard : local;
  }

  url(path: string, query?: Readonly<Record<string, QueryValue>>): URL {
    const url = new URL(path.replace(/^\//, ''), this.#base);
    if (path.startsWith('/')) url.pathname = this.#base.pathname.replace(/\/$/, '') + path;
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, v);
      else url.searchParams.set(key, String(value));
    }
    return url;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const res = await this.#exchange(req, 'text');
    return { status: res.status, headers: res.headers, text: res.text };
  }

  /**
   * A request whose successful body is streamed instead of read into memory (a bulk export's file).
   * Errors and retries are those of `request` (the body of a failed attempt is read for the vendor
   * policy); once a success is returned, the body is the caller's: `idleTimeoutMs` (default: the
   * client's timeout) aborts a download that stops sending, and `signal` aborts it on demand.
   */
  async requestStream(req: HttpRequest): Promise<HttpStreamResponse> {
    const res = await this.#exchange(req, 'stream');
    return { status: res.status, headers: res.headers, body: res.body };
  }

  #exchange(req: HttpRequest, mode: 'text' | 'stream'): Promise<Exchange> {
    return exchange(req, mode, {
      options: this.#options,
      url: this.url(req.path, req.query),
      clock: this.#clock,
      waits: this.#waits,
    });
  }

  /**
   * A rate limit a vendor signals outside the HTTP status (ActiveCampaign refuses an import over its
   * per-minute limit with a 400 the caller reads): waited out like a 429, charged to the run's wait
   * budget, and `rate_limited` when the budget cannot cover it. Only `budget` pauses (the limit's own
   * budget, not the account's request budget).
   */
  waitOutSignalledLimit(
    afterMs: number,
    reason: string,
    budget: RateBudget,
    what: string,
    signal?: AbortSignal,
  ): Promise<void> {
    return this.#waitOut(afterMs, reason, budget, what, signal);
  }

  /**
   * A rate-limit answer the caller had to read itself (it accepted the status to tell a refusal from
   * a limit by the body, as HubSpot's export start does): waited out like any 429, pausing the
   * account's budget and charged to the run's wait budget.
   */
  waitOutAccountLimit(afterMs: number, reason: string, what: string, signal?: AbortSignal): Promise<void> {
    return this.#waitOut(afterMs, reason, this.#options.budget, what, signal);
  }

  #waitOut(
    afterMs: number,
    reason: string,
    spend: RateBudget,
    what: string,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const vendor = this.#options.policy.vendor;
    return waitOutRateLimit({ waits: this.#waits, vendor, afterMs, reason, spend, what, signal });
  }

  /** A request whose JSON body is parsed with `schema`; a body that does not fit is a clear error. */
  async json<S extends z.ZodType>(req: HttpRequest, schema: S): Promise<z.output<S>> {
    const res = await this.request(req);
    return parseJson(
      res.text,
      schema,
      `${this.#options.policy.vendor} ${req.method ?? 'GET'} ${this.url(req.path).pathname}`,
    );
  }
}
