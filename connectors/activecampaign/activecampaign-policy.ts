import { TideError, type TideErrorCode } from '../../core/tide-error.js';
import type { RateSignal } from '../../http/rate-budget.js';
import { numberHeader, type ResponseVerdict, type VendorPolicy } from '../../http/vendor-policy.js';
import { errorReason } from './activecampaign-schemas.js';

export interface ActiveCampaignPolicyOptions {
  readonly token: string;
  /** The variable the token came from: errors name it, never the token. */
  readonly tokenEnv: string;
}

/**
 * ActiveCampaign's side of the HTTP path: `Api-Token` auth (one key per user, no expiry); a bad
 * token is 403, not 401, and 402 means the account has a payment problem (reference: errors); the
 * account's 5 requests per second read from `RateLimit-Limit` / `RateLimit-Remaining`; 429 waited out
 * by `Retry-After` (seconds) without using up an attempt, bounded by the run's wait budget; 503, which
 * older clients saw at the limit, and other 5xx retried.
 */
export function createActiveCampaignPolicy(options: ActiveCampaignPolicyOptions): VendorPolicy {
  return {
    vendor: 'ActiveCampaign',
    async authorize(headers) {
      headers.set('api-token', options.token);
    },
    rateSignal(headers): RateSignal {
      return {
        limit: numberHeader(headers, 'ratelimit-limit'),
        // No reset header is documented: the shared one-second window paces the account itself.
        remaining: numberHeader(headers, 'ratelimit-remaining'),
      };
    },
    judge(status, headers, bodyText, request): ResponseVerdict {
      const where = `${request.method} ${request.path}`;
      const reason = errorReason(status, bodyText);
      if (status === 403) {
        return fail(
          'credentials_rejected',
          `ActiveCampaign refused the API token in ${options.tokenEnv} (403 on ${where}): ${reason}`,
          `set ${options.tokenEnv} to a current API token (Settings → Developer in ActiveCampaign), and accountUrl to that account's API URL`,
        );
      }
      if (status === 402) {
        return fail(
          'permission_denied',
          `ActiveCampaign refused ${where} because the account has a payment problem (402): ${reason}`,
          'settle the account billing in ActiveCampaign, then rerun (loaded data and cursors are kept)',
        );
      }
      if (status === 429) {
        // A rate limit is waited out as the vendor says (http/request-loop.ts), not retried away;
        // without Retry-After, the account's one-second window frees a slot within a second.
        const after = numberHeader(headers, 'retry-after');
        return { kind: 'wait', afterMs: after === undefined ? 1000 : after * 1000, reason: `429 ${reason}` };
      }
      if (status >= 500 || status === 408) return { kind: 'retry', afterMs: null, reason: `HTTP ${status}` };
      return fail('http_error', `ActiveCampaign ${where} failed with ${reason}`);
    },
  };
}

function fail(code: TideErrorCode, message: string, hint?: string): ResponseVerdict {
  return { kind: 'fail', error: new TideError(code, message, hint === undefined ? undefined : { hint }) };
}
