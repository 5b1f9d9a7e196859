import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { RequestLog } from '../../core/request-log.js';
import { TideError } from '../../core/tide-error.js';
import { backoffMs, sleep } from '../../http/backoff.js';
import { defaultRateLimitWaits, type RateLimitWaits } from '../../http/rate-limit-waits.js';
import { waitOutThrottledToken } from '../../http/token-throttle.js';

export interface ZohoCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
}

export interface ZohoOAuthOptions {
  /** The org's accounts server (`https://accounts.zoho.eu`); the token endpoint lives under it. */
  readonly accountsUrl: string;
  readonly credentials: ZohoCredentials;
  /** The variables the credentials came from: errors name them, never their values. */
  readonly envNames: readonly string[];
  readonly source: string;
  readonly requestLog?: RequestLog;
  /** The run's budget for waiting out rate limits, shared with the API client. */
  readonly rateLimitWaits?: RateLimitWaits;
  readonly maxAttempts?: number;
  readonly now?: () => number;
}

export interface ZohoSession {
  readonly accessToken: string;
  /** Where API calls go (`api_domain` of the token answer). */
  readonly apiDomain: string;
  readonly expiresAt: number;
}

const TokenSchema = z.object({
  access_token: z.string().min(1),
  api_domain: z.string().min(1),
  expires_in: z.number().positive(),
});
const TokenErrorSchema = z.looseObject({ error: z.string(), error_description: z.string().optional() });

/** Refresh this long before Zoho's hour is up, so no request carries a token about to expire. */
const EARLY_MS = 5 * 60_000;

/**
 * Access tokens by (accounts server, client, refresh token), for the whole process: Zoho issues at most
 * ten per refresh token per ten minutes and blocks the refresh token after that, so every source,
 * destination and session of one process shares each live token.
 */
const SESSIONS = new Map<string, Promise<ZohoSession>>();

/**
 * Zoho OAuth 2.0 with the refresh-token grant: `POST {accounts}/oauth/v2/token` with the parameters in
 * the query string (as Zoho documents it). The answer's `api_domain` is the org's API host. A token is
 * reused until five minutes before it expires, or until a 401 INVALID_TOKEN drops it. Tokens and
 * secrets are never logged or put in an error.
 */
export class ZohoOAuth {
  readonly #options: ZohoOAuthOptions;
  readonly #waits: RateLimitWaits;
  readonly #key: string;

  constructor(options: ZohoOAuthOptions) {
    this.#options = options;
    this.#waits = options.rateLimitWaits ?? defaultRateLimitWaits();
    const c = options.credentials;
    this.#key = createHash('sha256')
      .update(`${options.accountsUrl}\u0000${c.clientId}\u0000${c.clientSecret}\u0000${c.refreshToken}`)
      .digest('hex');
  }

  async session(): Promise<ZohoSession> {
    const now = this.#options.now ?? Date.now;
    const cached = SESSIONS.get(this.#key);
    if (cached !== undefined) {
      const session = await cached.catch(() => null);
      if (session !== null && session.expiresAt - EARLY_MS > now()) return session;
      if (SESSIONS.get(this.#key) === cached) SESSIONS.delete(this.#key);
      else return this.session();
    }
    const pending = this.#fetch();
    SESSIONS.set(this.#key, pending);
    pending.catch(() => {
      if (SESSIONS.get(this.#key) === pending) SESSIONS.delete(this.#key);
    });
    return pending;
  }

  /** Drops the token a request was refused with (a newer one another caller fetched stays). */
  invalidate(rejected?: string): void {
    const cached = SESSIONS.get(this.#key);
    if (cached === undefined) return;
    if (rejected === undefined) {
      SESSIONS.delete(this.#key);
      return;
    }
    void cached.then(
      (s) => {
        if (s.accessToken === rejected && SESSIONS.get(this.#key) === cached) SESSIONS.delete(this.#key);
      },
      () => {},
    );
  }

  async #fetch(): Promise<ZohoSession> {
    const { credentials, accountsUrl, requestLog, source, envNames } = this.#options;
    const url = new URL('/oauth/v2/token', accountsUrl);
    url.searchParams.set('refresh_token', credentials.refreshToken);
    url.searchParams.set('client_id', credentials.clientId);
    url.searchParams.set('client_secret', credentials.clientSecret);
    url.searchParams.set('grant_type', 'refresh_token');
    const maxAttempts = this.#options.maxAttempts ?? 4;
    let throttled = 0;
    const hint = `check ${envNames.join(', ')}: the client id / secret of your Zoho API console client and a refresh token it issued (access_type=offline), for the data centre in config (dataCentre / accountsUrl)`;
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      let text = '';
      let retryAfter: string | null = null;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { accept: 'application/json' },
          signal: AbortSignal.timeout(30_000),
        });
        status = res.status;
        retryAfter = res.headers.get('retry-after');
        text = await res.text();
      } catch {
        status = 0;
      }
      requestLog?.record({ source, endpoint: 'POST /oauth/v2/token', status });
      const body = safeJson(text);
      const error = TokenErrorSchema.safeParse(body);
      if (error.success) {
        if (
          /too many requests/i.test(error.data.error_description ?? '') ||
          error.data.error === 'Access Denied'
        ) {
          throw new TideError(
            'rate_limited',
            `Zoho at ${url.host} refused to issue another access token: ${error.data.error_description ?? error.data.error}`,
            { hint: 'Zoho allows 10 access tokens per refresh token per 10 minutes; wait, then rerun' },
          );
        }
        throw new TideError(
          'credentials_rejected',
          `Zoho at ${url.host} rejected the OAuth refresh-token credentials (${error.data.error})`,
          { hint },
        );
      }
      if (status === 200) {
        const parsed = TokenSchema.safeParse(body);
        if (!parsed.success) {
          throw new TideError(
            'malformed_response',
            `Zoho token endpoint at ${url.host} answered without access_token / api_domain / expires_in`,
          );
        }
        const now = this.#options.now ?? Date.now;
        return {
          accessToken: parsed.data.access_token,
          apiDomain: parsed.data.api_domain,
          expiresAt: now() + parsed.data.expires_in * 1000,
        };
      }
      if (status === 429) {
        await waitOutThrottledToken({
          waits: this.#waits,
          retryAfter,
          throttledBefore: throttled++,
          who: `Zoho at ${url.host}`,
        });
        attempt--;
        continue;
      }
      if (status >= 400 && status < 500) {
        throw new TideError(
          'credentials_rejected',
          `Zoho at ${url.host} refused the token request (HTTP ${status})`,
          { hint },
        );
      }
      if (attempt + 1 >= maxAttempts) {
        throw new TideError(
          'http_retries_exhausted',
          `Zoho token endpoint at ${url.host} still failing after ${attempt + 1} attempts (status ${status || 'no response'})`,
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
