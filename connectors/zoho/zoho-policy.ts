import { z } from 'zod';
import { TideError, type TideErrorCode } from '../../core/tide-error.js';
import type { RateSignal } from '../../http/rate-budget.js';
import type { ResponseVerdict, VendorPolicy } from '../../http/vendor-policy.js';
import type { ZohoOAuth } from './zoho-oauth.js';

/** Zoho's request-level error envelope `{code, details, message, status: "error"}`. */
export const ZohoErrorSchema = z.looseObject({
  code: z.string(),
  message: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export function parseZohoError(
  status: number,
  bodyText: string,
): { code: string; message: string; details: string } {
  let json: unknown = null;
  try {
    json = JSON.parse(bodyText);
  } catch {
    // A proxy's HTML page.
  }
  const parsed = ZohoErrorSchema.safeParse(json);
  if (!parsed.success) return { code: `HTTP_${status}`, message: bodyText.slice(0, 200).trim(), details: '' };
  const details =
    parsed.data.details && Object.keys(parsed.data.details).length > 0
      ? JSON.stringify(parsed.data.details)
      : '';
  return { code: parsed.data.code, message: parsed.data.message ?? '', details };
}

/**
 * The org's API credits as Zoho reports them (`X-API-CREDITS-REMAINING`, sent once half the day's
 * credits are used). With a reserve, a run stops cleanly (quota_exhausted → partial, exit 3) before
 * it spends what the org's other integrations need.
 */
export class ZohoCredits {
  readonly #reserve: number;
  #remaining: number | null = null;

  constructor(reserve: number) {
    this.#reserve = reserve;
  }

  get remaining(): number | null {
    return this.#remaining;
  }

  observe(headers: Headers): void {
    const raw = headers.get('x-api-credits-remaining');
    if (raw === null || raw.trim() === '') return;
    const n = Number(raw);
    if (Number.isFinite(n)) this.#remaining = n;
  }

  assertAvailable(): void {
    if (this.#remaining === null || this.#reserve === 0 || this.#remaining > this.#reserve) return;
    throw new TideError(
      'quota_exhausted',
      `Zoho reports ${this.#remaining} API credits left today, at the reserve of ${this.#reserve} Tide keeps (creditsReserve); stopping with each cursor where its data is`,
      { hint: 'credits are counted over a rolling 24 hours: rerun later, or lower creditsReserve' },
    );
  }
}

/**
 * Zoho's side of the HTTP path: `Authorization: Zoho-oauthtoken …` (not Bearer), a new token after a
 * 401 INVALID_TOKEN, the credits header, and Zoho's error envelope. A 429 is either the day's credits
 * (stop: quota_exhausted, the run ends partial) or the concurrency limit (waited out, 2 s a time);
 * Zoho documents no Retry-After, so they are told apart by `X-API-CREDITS-REMAINING: 0` or the
 * message naming credits (INFERENCE, see README).
 */
export function createZohoPolicy(options: {
  readonly oauth: ZohoOAuth;
  readonly credits: ZohoCredits;
  readonly envNames: readonly string[];
  /** Wait after a 429 on a Bulk Read download (Zoho allows 10 a minute). */
  readonly downloadRetryMs?: number;
  /** Wait after a concurrency 429 (Zoho documents no Retry-After). */
  readonly concurrencyRetryMs?: number;
}): VendorPolicy {
  const fail = (code: TideErrorCode, message: string, hint?: string): ResponseVerdict => ({
    kind: 'fail',
    error: new TideError(code, message, hint === undefined ? undefined : { hint }),
  });
  return {
    vendor: 'Zoho',
    async authorize(headers) {
      options.credits.assertAvailable();
      const session = await options.oauth.session();
      headers.set('authorization', `Zoho-oauthtoken ${session.accessToken}`);
    },
    invalidateCredentials() {
      options.oauth.invalidate();
    },
    rateSignal(headers): RateSignal {
      options.credits.observe(headers);
      return {};
    },
    judge(status, headers, bodyText, request): ResponseVerdict {
      const error = parseZohoError(status, bodyText);
      const where = `${request.method} ${request.path}`;
      const detail = `${error.code}: ${error.message}${error.details ? ` ${error.details}` : ''}`;
      if (status === 401 && error.code === 'OAUTH_SCOPE_MISMATCH') {
        return fail(
          'permission_denied',
          `Zoho refused ${where}: the token's scopes do not cover it (${detail})`,
          `grant the client ZohoCRM.modules.ALL, ZohoCRM.settings.ALL, ZohoCRM.users.READ, ZohoCRM.bulk.READ and ZohoCRM.coql.READ, issue a new refresh token into ${options.envNames.join('/')}, or remove the stream from config`,
        );
      }
      if (status === 401) return { kind: 'reauthenticate' };
      if (status === 429) {
        if (headers.get('x-api-credits-remaining') === '0' || /credit/i.test(error.message)) {
          return fail(
            'quota_exhausted',
            `Zoho API credits for the day are used up (${where}): ${error.message}`,
            'credits are counted over a rolling 24 hours: rerun later (loaded data and cursors are kept), or buy more credits',
          );
        }
        // Rate limits are waited out (http/request-loop.ts), not retried away: a slot frees soon.
        // Bulk Read files: 10 downloads a minute per org; a slot frees within the minute.
        if (/\/crm\/bulk\/v\d+\/read\/[^/]+\/result$/.test(request.path)) {
          return { kind: 'wait', afterMs: options.downloadRetryMs ?? 10_000, reason: `429 ${detail}` };
        }
        return { kind: 'wait', afterMs: options.concurrencyRetryMs ?? 2_000, reason: `429 ${detail}` };
      }
      if (status === 408 || status >= 500)
        return { kind: 'retry', afterMs: null, reason: `HTTP ${status} ${error.code}` };
      if (status === 403) {
        return fail(
          'permission_denied',
          `Zoho refused ${where} (403 ${detail})`,
          `give the user behind ${options.envNames.join('/')} access to this module, or remove the stream from config`,
        );
      }
      if (status === 404) return fail('not_found', `Zoho ${where} not found (${detail})`);
      return fail('http_error', `Zoho ${where} failed with ${status} ${detail}`);
    },
  };
}
