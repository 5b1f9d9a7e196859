import type { Logger } from '../../core/logger.js';
import { backoffMs, sleep } from '../../http/backoff.js';

export interface WebhookOptions {
  readonly url: string;
  readonly body: unknown;
  readonly attempts: number;
  readonly timeoutMs: number;
  readonly log: Logger;
  /** Base of the exponential backoff between attempts (tests shorten it). */
  readonly backoffBaseMs?: number;
  /** Longest wait a Retry-After may ask for before the next attempt. */
  readonly maxWaitMs?: number;
  readonly fetch?: typeof fetch;
}

/** Retried: the receiver may be back a moment later. Anything else (400, 403, 404 …) will not change. */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * POSTs one JSON message to a webhook, retrying network errors, timeouts, 408, 429 and 5xx with
 * full-jitter exponential backoff (http/backoff.ts; a Retry-After is honoured up to maxWaitMs).
 * Never throws: an alert that cannot be delivered is a warning, never a failed run. The URL is a
 * credential and appears in no log line; a failure is described by its status or error code only.
 */
export async function postWebhook(options: WebhookOptions): Promise<boolean> {
  const send = options.fetch ?? fetch;
  const maxWait = options.maxWaitMs ?? 30_000;
  let last = '';
  for (let attempt = 0; attempt < options.attempts; attempt++) {
    let wait = 0;
    try {
      const response = await send(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      // The body is not needed; reading it frees the connection.
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) {
        options.log.info('alert sent', { attempt: attempt + 1, status: response.status });
        return true;
      }
      last = `HTTP ${response.status}`;
      if (!retryable(response.status)) break;
      wait = retryAfterMs(response.headers.get('retry-after')) ?? 0;
    } catch (error) {
      last = describe(error);
    }
    if (attempt + 1 < options.attempts) {
      const delay = Math.min(
        maxWait,
        Math.max(wait, backoffMs(attempt, { baseMs: options.backoffBaseMs ?? 500 })),
      );
      options.log.warn('alert not delivered yet; retrying', {
        attempt: attempt + 1,
        error: last,
        retryInMs: delay,
      });
      await sleep(delay);
    }
  }
  options.log.warn('alert not delivered; the run itself is unaffected', {
    error: last,
    attempts: options.attempts,
  });
  return false;
}

function retryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/**
 * A fetch failure without the URL: Node's errors name the host and port in their cause (and a
 * webhook URL's path is its secret), so only the error's kind and code are kept.
 */
function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
    const cause = (error as { cause?: unknown }).cause;
    const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
    return typeof code === 'string' ? `network error (${code})` : 'network error';
  }
  return 'network error';
}
