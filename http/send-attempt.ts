import { isAccepted } from './attempt-verdict.js';
import type { HttpRequest } from './http-request.js';
import { IdleAbort } from './idle-abort.js';
import type { RateBudget } from './rate-budget.js';
import type { VendorPolicy } from './vendor-policy.js';

/** One attempt's outcome: an answer (`status` > 0), or the transport error that stopped it. */
export interface Attempt {
  readonly status: number;
  readonly headers: Headers;
  /** The body read whole: every answer except a streamed success. */
  readonly text: string;
  /** A streamed success's body, still unread. */
  readonly body: ReadableStream<Uint8Array> | null;
  /** What fetch threw (a timeout, a refused connection); null when an answer came. */
  readonly transport: unknown;
  /** The idle timer of a streamed attempt, still running until the body is watched or stopped. */
  readonly idle: IdleAbort | null;
}

/**
 * Sends a request once: credentials, a slot of `spend` held for as long as it is in flight, and a
 * timeout. Only the caller's own abort is thrown; a transport failure is returned for the request
 * loop to judge like any other failed attempt.
 */
export async function sendAttempt(
  url: URL,
  req: HttpRequest,
  mode: 'text' | 'stream',
  policy: VendorPolicy,
  spend: RateBudget,
  timeoutMs: number,
): Promise<Attempt> {
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
      method: req.method ?? 'GET',
      headers,
      body: bodyOf(req),
      signal,
    });
    status = res.status;
    responseHeaders = res.headers;
    if (mode === 'stream' && isAccepted(status, req)) body = res.body;
    else text = await res.text();
  } catch (error) {
    idle?.stop();
    if (req.signal?.aborted) throw req.signal.reason;
    transport = error;
  } finally {
    spend.release();
  }
  return { status, headers: responseHeaders, text, body, transport, idle };
}

function bodyOf(req: HttpRequest): string | null {
  if (req.json !== undefined) return JSON.stringify(req.json);
  if (req.form !== undefined) return new URLSearchParams(req.form).toString();
  return req.body?.text ?? null;
}
