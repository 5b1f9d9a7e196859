import { z } from 'zod';
import type { RequestLog } from '../../core/request-log.js';
import { TideError } from '../../core/tide-error.js';
import { backoffMs, sleep } from '../../http/backoff.js';
import { defaultRateLimitWaits, type RateLimitWaits } from '../../http/rate-limit-waits.js';
import { waitOutThrottledToken } from '../../http/token-throttle.js';

const TokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  token_type: z.string().optional(),
});
interface Token {
  readonly value: string;
  readonly renewAtMs: number;
  readonly obtainedMs: number;
}

const EntraErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

export interface EntraTokenOptions {
  /** `https://login.microsoftonline.com` (or the cloud's authority). */
  readonly authorityUrl: string;
  readonly tenantId: string;
  /** The Dataverse environment URL: the token's scope is `<environmentUrl>/.default`. */
  readonly environmentUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The variables the credentials came from: errors name them, never their values. */
  readonly envNames: readonly string[];
  readonly source: string;
  readonly requestLog?: RequestLog;
  /** The run's budget for waiting out rate limits, shared with the Dataverse client. */
  readonly rateLimitWaits?: RateLimitWaits;
  readonly maxAttempts?: number;
  readonly now?: () => number;
}

/** Tokens are renewed this long before they expire, so no request goes out with a dying one. */
const EARLY_RENEWAL_MS = 5 * 60_000;

/**
 * Microsoft Entra ID's client-credentials flow for a server-to-server Dataverse integration
 * (MicrosoftDocs authenticate-oauth.md): `POST <authority>/<tenant>/oauth2/v2.0/token` with the app
 * registration's id and secret and `scope=<environment URL>/.default`. There is no refresh token:
 * a token is fetched again before it expires, or after Dataverse answers 401. Concurrent callers
 * share one fetch; the token and the secret never appear in logs or errors.
 */
export class EntraToken {
  readonly #o: EntraTokenOptions;
  readonly #waits: RateLimitWaits;
  #current: Token | null = null;
  #pending: Promise<Token> | null = null;

  constructor(options: EntraTokenOptions) {
    this.#o = options;
    this.#waits = options.rateLimitWaits ?? defaultRateLimitWaits();
  }

  get #now(): number {
    return (this.#o.now ?? Date.now)();
  }

  async bearer(): Promise<string> {
    const current = this.#current;
    if (current !== null && current.renewAtMs > this.#now) return current.value;
    if (this.#pending === null) {
      const pending = this.#fetch().then((t) => {
        this.#current = t;
        return t;
      });
      this.#pending = pending;
      const clear = (): void => {
        if (this.#pending === pending) this.#pending = null;
      };
      pending.then(clear, clear);
    }
    return (await this.#pending).value;
  }

  /**
   * Drops the token after a 401 (expired or revoked). Concurrent callers then share one new fetch;
   * requests that were already in flight with the old token may each renew it once more.
   */
  invalidate(): void {
    this.#current = null;
  }

  async #fetch(): Promise<Token> {
    const o = this.#o;
    const authority = o.authorityUrl.replace(/\/+$/, '');
    const url = new URL(`${authority}/${encodeURIComponent(o.tenantId)}/oauth2/v2.0/token`);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: o.clientId,
      client_secret: o.clientSecret,
      scope: `${o.environmentUrl.replace(/\/+$/, '')}/.default`,
    });
    const maxAttempts = o.maxAttempts ?? 4;
    let throttled = 0;
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      let text = '';
      let retryAfter: string | null = null;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form.toString(),
          signal: AbortSignal.timeout(30_000),
        });
        status = res.status;
        retryAfter = res.headers.get('retry-after');
        text = await res.text();
      } catch {
        status = 0;
      }
      o.requestLog?.record({ source: o.source, endpoint: 'POST /{tenant}/oauth2/v2.0/token', status });
      if (status === 200) {
        const parsed = TokenSchema.safeParse(safeJson(text));
        if (!parsed.success) {
          throw new TideError(
            'malformed_response',
            `Microsoft Entra ID at ${url.host} answered without an access token`,
          );
        }
        const lifetimeMs = parsed.data.expires_in * 1000;
        return {
          value: parsed.data.access_token,
          renewAtMs: this.#now + Math.max(lifetimeMs / 2, lifetimeMs - EARLY_RENEWAL_MS),
          obtainedMs: this.#now,
        };
      }
      if (status === 429) {
        await waitOutThrottledToken({
          waits: this.#waits,
          retryAfter,
          throttledBefore: throttled++,
          who: `Microsoft Entra ID at ${url.host}`,
        });
        attempt--;
        continue;
      }
      if (status >= 400 && status < 500) {
        const body = EntraErrorSchema.safeParse(safeJson(text));
        // The first line of AADSTS descriptions says what is wrong; the rest is trace ids.
        const reason = body.success
          ? `${body.data.error}: ${(body.data.error_description ?? '').split(/\r?\n/)[0]}`
          : `HTTP ${status}`;
        throw new TideError(
          'credentials_rejected',
          `Microsoft Entra ID refused a Dataverse token for tenant ${o.tenantId} (${reason})`,
          {
            hint: `check ${o.envNames.join(', ')} (the app registration's client id and a current secret value, not its id), tenantId, and that environmentUrl is the environment the app user was added to`,
          },
        );
      }
      if (attempt + 1 >= maxAttempts) {
        throw new TideError(
          'http_retries_exhausted',
          `Microsoft Entra ID at ${url.host} still failing after ${attempt + 1} attempts (status ${status || 'no response'})`,
        );
      }
      await sleep(backoffMs(attempt));
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
