import type { z } from 'zod';
import type { RequestLog } from '../core/request-log.js';
import { TideError } from '../core/tide-error.js';
import { backoffMs, sleep } from './backoff.js';
import type { RateBudget } from './rate-budget.js';
import { defaultRateLimitWaits, type RateLimitWaits } from './rate-limit-waits.js';
import type { VendorPolicy } from './vendor-policy.js';

export type QueryValue = string | number | boolean | readonly string[] | undefined | null;

export interface HttpRequest {
  readonly method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path relative to the base URL, or an absolute path the vendor handed back (nextRecordsUrl). */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly json?: unknown;
  /** An application/x-www-form-urlencoded body (OAuth token endpoints), instead of `json`. */
  readonly form?: Readonly<Record<string, string>>;
  /** A body that is not JSON (Dataverse's multipart `$batch`), sent verbatim with its content type. */
  readonly body?: { readonly contentType: string; readonly text: string };
  readonly headers?: Readonly<Record<string, string>>;
  /** Label for statistics; defaults to the method and the path without ids. */
  readonly endpoint?: string;
  readonly signal?: AbortSignal;
  /** Statuses >= 400 the caller handles itself instead of the vendor policy. */
  readonly acceptStatuses?: readonly number[];
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** A success whose body is read as it arrives (HttpClient.requestStream). */
export interface HttpStreamResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: AsyncIterable<Uint8Array>;
}

interface Exchange {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: AsyncIterable<Uint8Array>;
}

export interface HttpClientOptions {
  readonly baseUrl: string;
  readonly source: string;
  readonly policy: VendorPolicy;
  readonly budget: RateBudget;
  readonly requestLog?: RequestLog;
  /**
   * The run's budget for waiting out rate limits, shared by every client of the run
   * (ConnectionDeps.rateLimitWaits); a client without one gets its own of the default size.
   */
  readonly rateLimitWaits?: RateLimitWaits;
  /** Failed attempts retried (5xx, timeouts); rate-limit waits do not count. */
  readonly maxRetries?: number;
  readonly timeoutMs?: number;
  readonly backoff?: { baseMs?: number; maxMs?: number };
}

/**
 * A vendor that answers a rate limit with "retry after 0" is still asked to wait this long, so a
 * vendor stuck on 429 spends the run's wait budget instead of being hammered in a tight loop.
 */
const MIN_RATE_LIMIT_WAIT_MS = 100;

/**
 * The single HTTP path every connector uses, against real vendors and simulators alike. It spends
 * from the account's rate budget, waits out rate limits as the vendor's signal says (bounded by the
 * run's wait budget, not by the attempt count), retries transient failures (5xx, timeouts and
 * connection errors with jittered backoff, bounded), and never puts credentials or query strings in
 * errors.
 */
export class HttpClient {
  readonly #options: HttpClientOptions;
  readonly #base: URL;
  readonly #waits: RateLimitWaits;
  /** The vendor's clock minus ours, from the newest response's `Date` header (null: none seen yet). */
  #serverOffsetMs: number | null = null;

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
    return this.#serverOffsetMs === null ? null : new Date(Date.now() + this.#serverOffsetMs);
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

  async #exchange(req: HttpRequest, mode: 'text' | 'stream'): Promise<Exchange> {
    const { policy, budget, requestLog, source } = this.#options;
    const method = req.method ?? 'GET';
    const maxRetries = this.#options.maxRetries ?? 6;
    const timeoutMs = this.#options.timeoutMs ?? 60_000;
    const url = this.url(req.path, req.query);
    const where = { method, path: url.pathname };
    const endpoint = req.endpoint ?? `${method} ${url.pathname.replace(/\/[0-9][^/]*/g, '/{id}')}`;
    const spend = policy.budgetFor?.(where) ?? budget;
    let reauthenticated = false;

    for (let attempt = 0; ; attempt++) {
      // Credentials first: fetching a token is not a request of this budget, and a refusal here
      // (Salesforce's quota check) must not hold a slot.
      const headers = new Headers({ accept: 'application/json', ...req.headers });
      if (req.json !== undefined) headers.set('content-type', 'application/json');
      if (req.form !== undefined) headers.set('content-type', 'application/x-www-form-urlencoded');
      else if (req.body !== undefined) headers.set('content-type', req.body.contentType);
      await policy.authorize(headers);
      await spend.acquire(req.signal);
      // A streamed body outlives the request's timeout: it is bounded by an idle timer instead.
      const idle = mode === 'stream' ? new IdleAbort(timeoutMs) : null;
      const timeout = idle?.signal ?? AbortSignal.timeout(timeoutMs);
      const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;

      let status = 0;
      let responseHeaders = new Headers();
      let text = '';
      let body: ReadableStream<Uint8Array> | null = null;
      let transport: unknown = null;
      try {
        const res = await fetch(url, {
          method,
          headers,
          body: bodyOf(req),
          signal,
        });
        status = res.status;
        responseHeaders = res.headers;
        const ok = status < 400 || req.acceptStatuses?.includes(status) === true;
        if (mode === 'stream' && ok) body = res.body;
        else text = await res.text();
      } catch (error) {
        idle?.stop();
        if (req.signal?.aborted) throw req.signal.reason;
        transport = error;
      } finally {
        spend.release();
      }
      requestLog?.record({ source, endpoint, status });
      const serverDate = status === 0 ? Number.NaN : Date.parse(responseHeaders.get('date') ?? '');
      if (Number.isFinite(serverDate)) this.#serverOffsetMs = serverDate - Date.now();
      if (status !== 0) spend.observe(policy.rateSignal(responseHeaders));

      if (transport === null && (status < 400 || req.acceptStatuses?.includes(status))) {
        return { status, headers: responseHeaders, text, body: idle ? idle.watch(body) : emptyBody() };
      }
      idle?.stop();
      const verdict =
        transport !== null
          ? ({ kind: 'retry', afterMs: null, reason: describeTransport(transport) } as const)
          : policy.judge(status, responseHeaders, text, where);

      if (verdict.kind === 'fail') throw verdict.error;
      if (verdict.kind === 'wait') {
        await this.#waitOut(verdict.afterMs, verdict.reason, spend, `${method} ${url.pathname}`, req.signal);
        attempt--;
        continue;
      }
      if (verdict.kind === 'reauthenticate') {
        if (reauthenticated) {
          throw new TideError(
            'credentials_rejected',
            `${policy.vendor} rejected the credentials twice (${method} ${url.pathname})`,
          );
        }
        reauthenticated = true;
        policy.invalidateCredentials?.();
        attempt--;
        continue;
      }
      if (attempt >= maxRetries) {
        throw new TideError(
          'http_retries_exhausted',
          `${policy.vendor} ${method} ${url.pathname} still failing after ${attempt + 1} attempts: ${verdict.reason}`,
        );
      }
      const wait = verdict.afterMs ?? backoffMs(attempt, this.#options.backoff);
      if (verdict.afterMs !== null) spend.pauseFor(verdict.afterMs);
      await sleep(wait, req.signal);
    }
  }

  /**
   * The vendor said "not now": the whole account pauses for as long as it asked (every request of the
   * account would get the same answer), charged to the run's wait budget. When the budget cannot
   * cover the wait, the request stops with `rate_limited`, which the stages treat as partial: data and
   * cursors so far are kept, and the next run carries on.
   */
  async #waitOut(
    afterMs: number,
    reason: string,
    spend: RateBudget,
    what: string,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const ms = Math.max(MIN_RATE_LIMIT_WAIT_MS, afterMs);
    if (!this.#waits.claim(ms)) {
      const budget = Math.round(this.#waits.budgetMs / 1000);
      throw new TideError(
        'rate_limited',
        `${this.#options.policy.vendor} ${what} is still rate limited (${reason}) and this run has spent its ${budget} s budget for waiting out rate limits`,
        {
          hint: 'what was loaded so far is kept with its cursor; run again later, or raise rateLimitWaitSeconds in the config',
        },
      );
    }
    spend.pauseFor(ms);
    await sleep(ms, signal);
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

export function parseJson<S extends z.ZodType>(text: string, schema: S, what: string): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new TideError(
      'malformed_response',
      `${what} returned a body that is not JSON (${text.length} bytes: ${JSON.stringify(text.slice(0, 80))})`,
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new TideError('malformed_response', `${what} returned an unexpected shape: ${issues}`);
  }
  return parsed.data;
}

function bodyOf(req: HttpRequest): string | null {
  if (req.json !== undefined) return JSON.stringify(req.json);
  if (req.form !== undefined) return new URLSearchParams(req.form).toString();
  return req.body?.text ?? null;
}

function describeTransport(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timed out';
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? error.message;
  }
  return String(error);
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}

/**
 * Aborts when no data has arrived for `ms`: a download may take many minutes, but one that stops
 * sending must not hang the run.
 */
class IdleAbort {
  readonly #controller = new AbortController();
  readonly #ms: number;
  #timer: ReturnType<typeof setTimeout>;

  constructor(ms: number) {
    this.#ms = ms;
    this.#timer = this.#arm();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  async *watch(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
    try {
      if (body === null) return;
      this.#reset();
      for await (const chunk of body) {
        this.#reset();
        yield chunk;
      }
    } catch (error) {
      if (this.#controller.signal.aborted) {
        throw new TideError('http_error', `the download stopped sending for ${this.#ms / 1000} s`, {
          cause: error,
        });
      }
      throw error;
    } finally {
      this.stop();
      // A consumer that stops early releases the connection.
      if (body !== null && !body.locked) await body.cancel().catch(() => {});
    }
  }

  #reset(): void {
    clearTimeout(this.#timer);
    this.#timer = this.#arm();
  }

  #arm(): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => this.#controller.abort(new Error('idle timeout')), this.#ms);
    timer.unref?.();
    return timer;
  }
}
