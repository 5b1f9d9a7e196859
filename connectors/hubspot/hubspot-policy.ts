import { TideError } from '../../core/tide-error.js';
import type { RateBudget, RateSignal } from '../../http/rate-budget.js';
import type { ResponseVerdict, VendorPolicy } from '../../http/vendor-policy.js';
import { HubspotErrorSchema } from './hubspot-schemas.js';

export interface HubspotPolicyOptions {
  readonly token: string;
  /** The variable the token came from: errors name it, never the token. */
  readonly tokenEnv: string;
  /** Search has its own per-second limit and sends no rate headers. */
  readonly searchBudget: RateBudget;
  /** Wait after a ten-secondly 429 when HubSpot sends no interval header. */
  readonly burstRetryMs?: number;
}

/**
 * HubSpot's side of the HTTP path: Bearer auth, the X-HubSpot-RateLimit-* headers, and its 429 bodies
 * (`policyName` tells a burst from the daily allowance: the first is waited out, the second stops the run).
 */
export function createHubspotPolicy(options: HubspotPolicyOptions): VendorPolicy {
  return {
    vendor: 'HubSpot',
    async authorize(headers) {
      headers.set('authorization', `Bearer ${options.token}`);
    },
    rateSignal(headers): RateSignal {
      return {
        limit: numberHeader(headers, 'x-hubspot-ratelimit-max'),
        remaining: numberHeader(headers, 'x-hubspot-ratelimit-remaining'),
        // The interval header is the rolling window's length, not the time until it has room: when
        // Remaining reaches 0 the shared budget's own rolling window (same Max, same length) already
        // waits exactly until the oldest request leaves it. Pausing a whole interval here would idle
        // the account for up to 10 s per window; a real 429 still waits the interval (judge below).
        resetMs: undefined,
      };
    },
    budgetFor(request) {
      return request.method === 'POST' && request.path.endsWith('/search') ? options.searchBudget : undefined;
    },
    judge(status, headers, bodyText, request): ResponseVerdict {
      const parsed = HubspotErrorSchema.safeParse(safeJson(bodyText));
      const body = parsed.success ? parsed.data : {};
      const message = body.message ?? bodyText.slice(0, 200);
      const where = `${request.method} ${request.path}`;
      if (status === 401) {
        return {
          kind: 'fail',
          error: new TideError(
            'credentials_rejected',
            `HubSpot rejected the token in ${options.tokenEnv} (401 on ${where}): ${message}`,
            {
              hint: `set ${options.tokenEnv} to a current private-app access token with the crm.objects.*.read scopes`,
            },
          ),
        };
      }
      if (status === 403) {
        return {
          kind: 'fail',
          error: new TideError(
            'permission_denied',
            `HubSpot refused ${where} (403 ${body.category ?? ''}): ${message}`,
            {
              hint: `grant the private app behind ${options.tokenEnv} the scopes this stream needs, or remove the stream from config`,
            },
          ),
        };
      }
      if (status === 429) {
        if (body.policyName === 'DAILY') {
          return {
            kind: 'fail',
            error: new TideError('quota_exhausted', `HubSpot daily API limit reached: ${message}`, {
              hint: 'the allowance resets at midnight in the portal time zone; rerun then',
            }),
          };
        }
        const retryAfter = numberHeader(headers, 'retry-after');
        const interval = numberHeader(headers, 'x-hubspot-ratelimit-interval-milliseconds');
        const secondly =
          body.policyName === 'SECONDLY' ||
          /secondly limit/i.test(message) ||
          request.path.endsWith('/search');
        const afterMs =
          retryAfter !== undefined
            ? retryAfter * 1000
            : secondly
              ? 1000
              : (interval ?? options.burstRetryMs ?? 10_000);
        return { kind: 'wait', afterMs, reason: `429 ${body.policyName ?? 'rate limit'}` };
      }
      if (status >= 500 || status === 408) return { kind: 'retry', afterMs: null, reason: `HTTP ${status}` };
      return {
        kind: 'fail',
        error: new TideError(
          'http_error',
          `HubSpot ${where} failed with ${status}${body.category ? ` ${body.category}` : ''}: ${message}${
            body.correlationId ? ` (correlationId ${body.correlationId})` : ''
          }`,
        ),
      };
    },
  };
}

function numberHeader(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null) return undefined;
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
