import { TideError } from '../core/tide-error.js';
import { failureVerdict, isAccepted } from './attempt-verdict.js';
import { backoffMs, sleep } from './backoff.js';
import type { HttpClientOptions } from './http-client-options.js';
import type { HttpRequest } from './http-request.js';
import type { RateLimitWaits } from './rate-limit-waits.js';
import { sendAttempt } from './send-attempt.js';
import type { ServerClock } from './server-clock.js';
import { waitOutRateLimit } from './wait-out-rate-limit.js';

/** A request's accepted answer: `text` read whole, or `body` to be streamed (the other one empty). */
export interface Exchange {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: AsyncIterable<Uint8Array>;
}

/** What the request loop needs of the client that runs it. */
export interface ExchangeContext {
  readonly options: HttpClientOptions;
  readonly url: URL;
  readonly clock: ServerClock;
  readonly waits: RateLimitWaits;
}

/**
 * Asks until the vendor answers with a success (or a status the caller accepts): rate limits are
 * waited out without using up an attempt, rejected credentials are fetched again once, and other
 * failures are retried with backoff up to `maxRetries` times. Every attempt is logged and tells the
 * account's budget and the server clock what the vendor said.
 */
export async function exchange(
  req: HttpRequest,
  mode: 'text' | 'stream',
  ctx: ExchangeContext,
): Promise<Exchange> {
  const { policy, budget, requestLog, source } = ctx.options;
  const { url } = ctx;
  const method = req.method ?? 'GET';
  const maxRetries = ctx.options.maxRetries ?? 6;
  const timeoutMs = ctx.options.timeoutMs ?? 60_000;
  const where = { method, path: url.pathname };
  const endpoint = req.endpoint ?? `${method} ${url.pathname.replace(/\/[0-9][^/]*/g, '/{id}')}`;
  const spend = policy.budgetFor?.(where) ?? budget;
  let reauthenticated = false;

  for (let attempt = 0; ; attempt++) {
    const sent = await sendAttempt(url, req, mode, policy, spend, timeoutMs);
    const { status, idle } = sent;
    requestLog?.record({ source, endpoint, status });
    if (status !== 0) {
      ctx.clock.hear(sent.headers);
      spend.observe(policy.rateSignal(sent.headers));
    }

    if (sent.transport === null && isAccepted(status, req)) {
      return {
        status,
        headers: sent.headers,
        text: sent.text,
        body: idle ? idle.watch(sent.body) : emptyBody(),
      };
    }
    idle?.stop();
    const verdict = failureVerdict(sent, policy, where);

    if (verdict.kind === 'fail') throw verdict.error;
    if (verdict.kind === 'wait') {
      await waitOutRateLimit({
        waits: ctx.waits,
        vendor: policy.vendor,
        afterMs: verdict.afterMs,
        reason: verdict.reason,
        spend,
        what: `${method} ${url.pathname}`,
        signal: req.signal,
      });
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
    const wait = verdict.afterMs ?? backoffMs(attempt, ctx.options.backoff);
    if (verdict.afterMs !== null) spend.pauseFor(verdict.afterMs);
    await sleep(wait, req.signal);
  }
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}
