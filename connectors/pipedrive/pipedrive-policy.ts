import { TideError } from '../../core/tide-error.js';
import type { RateSignal } from '../../http/rate-budget.js';
import type { ResponseVerdict, VendorPolicy } from '../../http/vendor-policy.js';
import { PipedriveErrorSchema } from './pipedrive-schemas.js';

/** Pipedrive's rolling burst window. */
export const BURST_WINDOW_MS = 2000;

export interface PipedrivePolicyOptions {
  readonly token: string;
  /** `x-api-token` for a personal API token, `Authorization: Bearer` for an OAuth access token. */
  readonly auth: 'apiToken' | 'oauth';
  /** The variable the token came from: errors name it, never the token. */
  readonly tokenEnv: string;
}

/**
 * Pipedrive's side of the HTTP path: `x-api-token` (or OAuth Bearer) auth; the 2-second burst window
 * read from x-ratelimit-limit / -remaining / -reset (which set the shared budget's size and pauses);
 * 429 over the burst window waited out after Retry-After or x-ratelimit-reset; 429 with the daily token
 * budget spent stops the run (quota_exhausted), since retrying before tomorrow cannot succeed.
 */
export function createPipedrivePolicy(options: PipedrivePolicyOptions): VendorPolicy {
  const label = options.auth === 'apiToken' ? 'API token' : 'OAuth access token';
  return {
    vendor: 'Pipedrive',
    async authorize(headers) {
      if (options.auth === 'apiToken') headers.set('x-api-token', options.token);
      else headers.set('authorization', `Bearer ${options.token}`);
    },
    rateSignal(headers): RateSignal {
      const reset = numberHeader(headers, 'x-ratelimit-reset');
      return {
        limit: numberHeader(headers, 'x-ratelimit-limit'),
        remaining: numberHeader(headers, 'x-ratelimit-remaining'),
        resetMs: reset === undefined ? undefined : reset * 1000,
      };
    },
    judge(status, headers, bodyText, request): ResponseVerdict {
      const parsed = PipedriveErrorSchema.safeParse(safeJson(bodyText));
      const body = parsed.success ? parsed.data : {};
      const message = body.error ?? bodyText.slice(0, 200);
      const where = `${request.method} ${request.path}`;
      if (status === 401) {
        return fail(
          'credentials_rejected',
          `Pipedrive rejected the ${label} in ${options.tokenEnv} (401 on ${where}): ${message}`,
          options.auth === 'apiToken'
            ? `set ${options.tokenEnv} to a current API token (Personal preferences → API in Pipedrive)`
            : `refresh the OAuth access token in ${options.tokenEnv}`,
        );
      }
      if (status === 403) {
        return fail(
          'permission_denied',
          `Pipedrive refused ${where} (403): ${message}`,
          `give the user behind ${options.tokenEnv} access to this data, or remove the stream from config`,
        );
      }
      if (status === 429) {
        if (dailyBudgetSpent(headers, message)) {
          return fail(
            'quota_exhausted',
            `Pipedrive daily API token budget is used up (${where}): ${message}`,
            'the budget resets daily; rerun later (loaded data and cursors are kept), or raise the plan',
          );
        }
        const retryAfter = numberHeader(headers, 'retry-after') ?? numberHeader(headers, 'x-ratelimit-reset');
        return {
          kind: 'wait',
          // Without either header, one whole burst window (2 s) is certain to have room again.
          afterMs: retryAfter === undefined ? BURST_WINDOW_MS : retryAfter * 1000,
          reason: `429 ${message}`,
        };
      }
      if (status >= 500 || status === 408) return { kind: 'retry', afterMs: null, reason: `HTTP ${status}` };
      return fail('http_error', `Pipedrive ${where} failed with ${status}: ${message}`);
    },
  };
}

/** The daily-budget 429 says so in its headers (no tokens left) or in its message. */
function dailyBudgetSpent(headers: Headers, message: string): boolean {
  return (
    numberHeader(headers, 'x-daily-ratelimit-token-remaining') === 0 ||
    numberHeader(headers, 'x-daily-requests-left') === 0 ||
    /daily/i.test(message)
  );
}

function fail(
  code: ConstructorParameters<typeof TideError>[0],
  message: string,
  hint?: string,
): ResponseVerdict {
  return { kind: 'fail', error: new TideError(code, message, hint === undefined ? undefined : { hint }) };
}

function numberHeader(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
