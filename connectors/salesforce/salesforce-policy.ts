import { TideError } from '../../core/tide-error.js';
import type { RateSignal } from '../../http/rate-budget.js';
import type { ResponseVerdict, VendorPolicy } from '../../http/vendor-policy.js';
import { parseSalesforceError, SalesforceApiError } from './salesforce-error.js';
import type { SalesforceOAuth } from './salesforce-oauth.js';
import type { ApiQuota } from './salesforce-quota.js';

export interface SalesforcePolicyOptions {
  readonly oauth: SalesforceOAuth;
  readonly quota: ApiQuota;
  /** Credential variable names, for hints. */
  readonly envNames: readonly string[];
  /** Wait after a concurrent-request limit before retrying. */
  readonly concurrencyRetryMs?: number;
}

/**
 * Salesforce's side of the HTTP path: Bearer tokens from OAuth (dropped and fetched again after a 401
 * INVALID_SESSION_ID), the daily allowance from Sforce-Limit-Info (checked before every request), and
 * Salesforce's error arrays. A 403 REQUEST_LIMIT_EXCEEDED for the daily total stops the run
 * (`quota_exhausted`); the same code for the concurrent-request limit is waited out.
 */
export function createSalesforcePolicy(options: SalesforcePolicyOptions): VendorPolicy {
  return {
    vendor: 'Salesforce',
    async authorize(headers) {
      options.quota.assertAvailable();
      const session = await options.oauth.session();
      headers.set('authorization', `Bearer ${session.accessToken}`);
    },
    invalidateCredentials() {
      options.oauth.invalidate();
    },
    rateSignal(headers): RateSignal {
      options.quota.observe(headers);
      // Salesforce has no per-second window to pace against: only the daily allowance above.
      return {};
    },
    judge(status, headers, bodyText, request): ResponseVerdict {
      const error = parseSalesforceError(status, bodyText);
      const where = `${request.method} ${request.path}`;
      const detail = `${error.errorCode}: ${error.message}${error.fields.length > 0 ? ` (fields ${error.fields.join(', ')})` : ''}`;
      if (status === 401) return { kind: 'reauthenticate' };
      if (error.errorCode === 'REQUEST_LIMIT_EXCEEDED') {
        if (/concurrent/i.test(error.message)) {
          return {
            kind: 'wait',
            afterMs: options.concurrencyRetryMs ?? 5_000,
            reason: `403 ${error.message}`,
          };
        }
        return {
          kind: 'fail',
          error: new SalesforceApiError(
            'quota_exhausted',
            status,
            error.errorCode,
            `Salesforce daily API limit reached: ${error.message}`,
            {
              hint: 'the allowance is a rolling 24 hours: rerun later, or ask Salesforce for a higher limit',
            },
          ),
        };
      }
      if (status === 429) {
        // Not documented for the REST API; honour Retry-After when an edge sends one.
        const retryAfter = Number(headers.get('retry-after') ?? Number.NaN);
        return {
          kind: 'wait',
          afterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : (options.concurrencyRetryMs ?? 5_000),
          reason: `HTTP 429 ${error.errorCode}`,
        };
      }
      if (status === 408 || status >= 500) {
        return { kind: 'retry', afterMs: null, reason: `HTTP ${status} ${error.errorCode}` };
      }
      if (status === 403) {
        return {
          kind: 'fail',
          error: new SalesforceApiError(
            'permission_denied',
            status,
            error.errorCode,
            `Salesforce refused ${where} (403 ${detail})`,
            {
              hint: `give the user behind ${options.envNames.join('/')} the "API Enabled" permission and read access to this object, or remove the stream from config`,
            },
          ),
        };
      }
      if (status === 404) {
        return {
          kind: 'fail',
          error: new SalesforceApiError(
            'not_found',
            status,
            error.errorCode,
            `Salesforce ${where} not found (${detail})`,
          ),
        };
      }
      return {
        kind: 'fail',
        error: new SalesforceApiError(
          'http_error',
          status,
          error.errorCode,
          `Salesforce ${where} failed with ${status} ${detail}`,
        ),
      };
    },
  };
}

export function isQuotaError(error: unknown): boolean {
  return error instanceof TideError && error.code === 'quota_exhausted';
}
