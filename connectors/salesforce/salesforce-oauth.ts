import type { RequestLog } from '../../core/request-log.js';
import { TideError } from '../../core/tide-error.js';
import { backoffMs, sleep } from '../../http/backoff.js';
import { OAuthErrorSchema, TokenResponseSchema } from './salesforce-schemas.js';

export interface SalesforceCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Present: refresh-token flow; absent: client-credentials flow. */
  readonly refreshToken?: string;
}

export interface SalesforceOAuthOptions {
  /** Login host or My Domain (`https://login.salesforce.com`); the token endpoint lives under it. */
  readonly loginUrl: string;
  readonly credentials: SalesforceCredentials;
  /** The variables the credentials came from: errors name them, never their values. */
  readonly envNames: readonly string[];
  readonly source: string;
  readonly requestLog?: RequestLog;
  readonly maxAttempts?: number;
}

export interface SalesforceSession {
  readonly accessToken: string;
  /** The org's API host, from the token response. */
  readonly instanceUrl: string;
}

const TOKEN_PATH = '/services/oauth2/token';

/**
 * OAuth 2.0 against `/services/oauth2/token` (client credentials or refresh token). One token is
 * shared by every request of the source; concurrent callers wait for the same fetch; a 401
 * INVALID_SESSION_ID drops it (`invalidate`) so the next request fetches a fresh one. The token is
 * never logged or put in an error.
 */
export class SalesforceOAuth {
  readonly #options: SalesforceOAuthOptions;
  #session: Promise<SalesforceSession> | null = null;

  constructor(options: SalesforceOAuthOptions) {
    this.#options = options;
  }

  session(): Promise<SalesforceSession> {
    if (this.#session === null) {
      const pending = this.#fetch();
      this.#session = pending;
      pending.catch(() => {
        if (this.#session === pending) this.#session = null;
      });
    }
    return this.#session;
  }

  invalidate(): void {
    this.#session = null;
  }

  async #fetch(): Promise<SalesforceSession> {
    const { credentials, loginUrl, requestLog, source } = this.#options;
    const form = new URLSearchParams(
      credentials.refreshToken === undefined
        ? {
            grant_type: 'client_credentials',
            client_id: credentials.clientId,
            client_secret: credentials.clientSecret,
          }
        : {
            grant_type: 'refresh_token',
            client_id: credentials.clientId,
            client_secret: credentials.clientSecret,
            refresh_token: credentials.refreshToken,
          },
    );
    const url = new URL(TOKEN_PATH, loginUrl.endsWith('/') ? loginUrl : `${loginUrl}/`);
    const flow = credentials.refreshToken === undefined ? 'client-credentials' : 'refresh-token';
    const maxAttempts = this.#options.maxAttempts ?? 4;
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      let text = '';
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form.toString(),
          signal: AbortSignal.timeout(30_000),
        });
        status = res.status;
        text = await res.text();
      } catch {
        status = 0;
      }
      requestLog?.record({ source, endpoint: `POST ${TOKEN_PATH}`, status });
      if (status === 200) return this.#parse(text, url.host);
      if (status >= 400 && status < 500) {
        const body = OAuthErrorSchema.safeParse(safeJson(text));
        const reason = body.success
          ? `${body.data.error}${body.data.error_description ? `: ${body.data.error_description}` : ''}`
          : `HTTP ${status}`;
        throw new TideError(
          'credentials_rejected',
          `Salesforce at ${url.host} rejected the OAuth ${flow} credentials (${reason})`,
          {
            hint: `check ${this.#options.envNames.join(', ')}: the connected app's consumer key/secret${
              credentials.refreshToken === undefined
                ? ', with the client credentials flow enabled and a run-as user'
                : ' and a refresh token issued to that app'
            }`,
          },
        );
      }
      if (attempt + 1 >= maxAttempts) {
        throw new TideError(
          'http_retries_exhausted',
          `Salesforce token endpoint at ${url.host} still failing after ${attempt + 1} attempts (status ${status || 'no response'})`,
        );
      }
      await sleep(backoffMs(attempt));
    }
  }

  #parse(text: string, host: string): SalesforceSession {
    const parsed = TokenResponseSchema.safeParse(safeJson(text));
    if (!parsed.success) {
      throw new TideError(
        'malformed_response',
        `Salesforce token endpoint at ${host} answered without access_token/instance_url`,
      );
    }
    return { accessToken: parsed.data.access_token, instanceUrl: parsed.data.instance_url };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
