import { z } from 'zod';
import { TideError, type TideErrorCode } from '../../core/tide-error.js';
import type { RateSignal } from '../../http/rate-budget.js';
import type { ResponseVerdict, VendorPolicy } from '../../http/vendor-policy.js';
import type { EntraToken } from './dynamics-token.js';

const ErrorBodySchema = z.object({
  error: z.object({ code: z.string().optional(), message: z.string().optional() }),
});

/** Dataverse's error body `{"error":{"code":"0x…","message":"…"}}`, read leniently. */
export function dataverseError(bodyText: string): { readonly code: string; readonly message: string } {
  try {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(bodyText));
    if (parsed.success)
      return { code: parsed.data.error.code ?? '', message: parsed.data.error.message ?? '' };
  } catch {
    // not JSON: fall through
  }
  return { code: '', message: bodyText.slice(0, 200) };
}

export class DataverseApiError extends TideError {
  readonly status: number;
  readonly dataverseCode: string;

  constructor(code: TideErrorCode, status: number, dataverseCode: string, message: string, hint?: string) {
    super(code, message, hint === undefined ? undefined : { hint });
    this.status = status;
    this.dataverseCode = dataverseCode;
  }
}

export interface DynamicsPolicyOptions {
  readonly token: EntraToken;
  /** A 429 asking for a longer wait than this stops the run (partial) instead of waiting. */
  readonly maxRetryAfterMs: number;
  readonly envNames: readonly string[];
}

/**
 * Dataverse's side of the HTTP path (MicrosoftDocs webapi/compose-http-requests-handle-errors.md,
 * api-limits.md): Bearer tokens from Entra ID (fetched again after a 401), the OData headers, the
 * service protection signals (429 + Retry-After; the burst-remaining debug header as a hint), and
 * the error JSON. A Retry-After longer than `maxRetryAfterMs` is no burst: the run stops as partial
 * with its data committed, instead of sleeping for hours inside a nightly job.
 */
export function createDynamicsPolicy(options: DynamicsPolicyOptions): VendorPolicy {
  return {
    vendor: 'Dynamics 365',
    async authorize(headers) {
      headers.set('authorization', `Bearer ${await options.token.bearer()}`);
      if (!headers.has('odata-maxversion')) headers.set('OData-MaxVersion', '4.0');
      if (!headers.has('odata-version')) headers.set('OData-Version', '4.0');
    },
    invalidateCredentials() {
      options.token.invalidate();
    },
    rateSignal(headers): RateSignal {
      // Microsoft calls these headers debugging aids; a spent burst still only means "slow down a
      // moment": the 429 that follows names the real wait.
      const burst = numberHeader(headers, 'x-ms-ratelimit-burst-remaining-xrm-requests');
      const time = numberHeader(headers, 'x-ms-ratelimit-time-remaining-xrm-requests');
      const spent = (burst !== undefined && burst <= 0) || (time !== undefined && time <= 0);
      return spent ? { remaining: 0, resetMs: 1000 } : {};
    },
    judge(status, headers, bodyText, request): ResponseVerdict {
      const where = `${request.method} ${request.path}`;
      if (status === 401) return { kind: 'reauthenticate' };
      const error = dataverseError(bodyText);
      const detail = `${error.code ? `${error.code} ` : ''}${error.message}`.trim();
      if (status === 429) {
        const retryAfter = numberHeader(headers, 'retry-after');
        const afterMs = retryAfter === undefined ? null : retryAfter * 1000;
        if (afterMs !== null && afterMs > options.maxRetryAfterMs) {
          return {
            kind: 'fail',
            error: new DataverseApiError(
              'quota_exhausted',
              status,
              error.code,
              `Dynamics 365 asks Tide to wait ${retryAfter} s before the next request (${detail}); stopping with every cursor where its data is`,
              'the daily request entitlement or sustained throttling: rerun later, or raise maxRetryAfterSeconds to wait it out',
            ),
          };
        }
        // Service protection: nothing failed, Dataverse said "not now". Waited out by Retry-After
        // (1 s without one) from the run's wait budget, not from the attempts.
        return { kind: 'wait', afterMs: afterMs ?? 1000, reason: `429 ${detail}` };
      }
      if (status === 408 || status === 502 || status === 503 || status === 504 || status === 500) {
        return { kind: 'retry', afterMs: null, reason: `HTTP ${status} ${detail}` };
      }
      if (status === 403) {
        return {
          kind: 'fail',
          error: new DataverseApiError(
            'permission_denied',
            status,
            error.code,
            `Dynamics 365 refused ${where} (403 ${detail})`,
            `give the application user behind ${options.envNames[0] ?? 'the client id'} a security role with organization-level read (and write, for reverse ETL) on this table, or remove the stream`,
          ),
        };
      }
      if (status === 404) {
        return {
          kind: 'fail',
          error: new DataverseApiError(
            'not_found',
            status,
            error.code,
            `Dynamics 365 ${where} not found (${detail})`,
          ),
        };
      }
      return {
        kind: 'fail',
        error: new DataverseApiError(
          'http_error',
          status,
          error.code,
          `Dynamics 365 ${where} failed with ${status} ${detail}`,
        ),
      };
    },
  };
}

/** A numeric header, tolerant of thousands separators (`1,199,975.00`). */
function numberHeader(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null) return undefined;
  const n = Number(raw.replace(/,/g, '').trim());
  return Number.isFinite(n) ? n : undefined;
}
