import type { RequestLog } from '../../core/request-log.js';
import { TideError } from '../../core/tide-error.js';
import { HttpClient } from '../../http/http-client.js';
import { UnlimitedBudget } from '../../http/rate-budget.js';
import type { RateLimitWaits } from '../../http/rate-limit-waits.js';
import type { ResponseVerdict, VendorPolicy } from '../../http/vendor-policy.js';
import { parseSalesforceError } from './salesforce-error.js';
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
  readonly rateLimitWaits?: RateLimitWaits;
  readonly maxAttempts?: number;
}

export interface SalesforceSession {
  readonly accessToken: string;
  /** The org's API host, from the token response. */
  readonly instanceUrl: string;
}

const TOKEN_PATH = '/services/oauth2/token';

/**
 * OAuth 2.0 against `/services/oauth2/token` (client credentials or refresh token), over the shared
 * HTTP client. One token is shared by every request of the source; concurrent callers wait for the
 * same fetch; a 401 INVALID_SESSION_ID drops it (`invalidate`) so the next request fetches a fresh
 * one. The token is never logged or put in an error.
 */
export class SalesforceOAuth {
  readonly #options: SalesforceOAuthOptions;
  #session: Promise<SalesforceSession> | null = null;
  /** The token endpoint's own client: the shared HTTP path, paced by nothing but the vendor's answers. */
  #http: HttpClient | null = null;

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
    const { credentials, loginUrl } = this.#options;
    const form: Record<string, string> =
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
          };
    this.#http ??= new HttpClient({
      baseUrl: loginUrl,
      source: this.#options.source,
      policy: this.#tokenPolicy(),
      // The token endpoint is not paced by a request window; its rate-limit answers are waited out.
      budget: new UnlimitedBudget(),
      timeoutMs: 30_000,
      maxRetries: (this.#options.maxAttempts ?? 4) - 1,
      ...(this.#options.requestLog ? { requestLog: this.#options.requestLog } : {}),
      ...(this.#options.rateLimitWaits ? { rateLimitWaits: this.#options.rateLimitWaits } : {}),
    });
    const res = await this.#http.request({ method: 'POST', path: TOKEN_PATH, form });
    return this.#parse(res.text, this.#http.url(TOKEN_PATH).host);
  }

  /**
   * The token endpoint's answers: the org's rate limits (a 429, or REQUEST_LIMIT_EXCEEDED for the
   * concurrent-request limit) are waited out like the API's, 5xx retried, and any other 4xx is a
   * credentials problem to fix, named by the variables that hold them.
   */
  #tokenPolicy(): VendorPolicy {
    const { credentials, envNames, loginUrl } = this.#options;
    const host = new URL(loginUrl).host;
    const flow = credentials.refreshToken === undefined ? 'client-credentials' : 'refresh-token';
    return {
      vendor: 'Salesforce',
      async authorize() {},
      rateSignal: () => ({}),
      judge(status, headers, bodyText): ResponseVerdict {
        const apiError = parseSalesforceError(status, bodyText);
        if (
          status === 429 ||
          (apiError.errorCode === 'REQUEST_LIMIT_EXCEEDED' && /concurrent/i.test(apiError.message))
        ) {
          const retryAfter = Number(headers.get('retry-after') ?? Number.NaN);
          return {
            kind: 'wait',
            afterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : 5_000,
            reason: `${status} ${apiError.message || apiError.errorCode}`,
          };
        }
        if (status >= 500 || status === 408)
          return { kind: 'retry', afterMs: null, reason: `HTTP ${status}` };
        const body = OAuthErrorSchema.safeParse(safeJson(bodyText));
        const reason = body.success
          ? `${body.data.error}${body.data.error_description ? `: ${body.data.error_description}` : ''}`
          : `HTTP ${status}`;
        return {
          kind: 'fail',
          error: new TideError(
            'credentials_rejected',
            `Salesforce at ${host} rejected the OAuth ${flow} credentials (${reason})`,
            {
              hint: `check ${envNames.join(', ')}: the connected app's consumer key/secret${
                credentials.refreshToken === undefined
                  ? ', with the client credentials flow enabled and a run-as user'
                  : ' and a refresh token issued to that app'
              }`,
            },
          ),
        };
      },
    };
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
