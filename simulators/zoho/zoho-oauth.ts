import { randomBytes } from 'node:crypto';
import type { SimRequest, SimResponse } from '../kit/sim-types.js';

export interface OAuthSettings {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  /** What `api_domain` says: where the client must send API calls (the simulator itself). */
  apiDomain: string;
  /** Access-token lifetime (Zoho: 3600 s). */
  tokenTtlSeconds: number;
  /** Modules the token's scope does not cover (answered with 401 OAUTH_SCOPE_MISMATCH). */
  deniedModules: string[];
}

const TEN_MINUTES = 10 * 60_000;
/** Zoho: at most 10 access tokens per refresh token per 10 minutes, then the refresh is refused. */
const TOKENS_PER_WINDOW = 10;

/**
 * Zoho's accounts server: `POST /oauth/v2/token` with the refresh-token grant, parameters in the query
 * string (as Zoho documents) or in a urlencoded / multipart form body (as the TypeScript SDK sends
 * them). Errors come back as `{"error": …}`, with HTTP 200 for bad credentials (INFERENCE: how Zoho's
 * accounts server answers `invalid_client` / `invalid_code`; verify live).
 */
export class ZohoOAuthServer {
  readonly settings: OAuthSettings;
  readonly #tokens = new Map<string, number>();
  readonly #issued: number[] = [];
  issuedCount = 0;

  constructor(settings: OAuthSettings) {
    this.settings = settings;
  }

  token(req: SimRequest): SimResponse {
    const params = formParams(req);
    const grant = params.get('grant_type');
    if (grant !== 'refresh_token') return { status: 200, json: { error: 'unsupported_grant_type' } };
    if (
      params.get('client_id') !== this.settings.clientId ||
      params.get('client_secret') !== this.settings.clientSecret
    ) {
      return { status: 200, json: { error: 'invalid_client' } };
    }
    if (params.get('refresh_token') !== this.settings.refreshToken) {
      return { status: 200, json: { error: 'invalid_code' } };
    }
    const now = Date.now();
    while (this.#issued.length > 0 && this.#issued[0]! <= now - TEN_MINUTES) this.#issued.shift();
    if (this.#issued.length >= TOKENS_PER_WINDOW) {
      return {
        status: 400,
        json: {
          error_description:
            'You have made too many requests continuously. Please try again after some time.',
          error: 'Access Denied',
          status: 'failure',
        },
      };
    }
    this.#issued.push(now);
    this.issuedCount++;
    const accessToken = `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
    this.#tokens.set(accessToken, now + this.settings.tokenTtlSeconds * 1000);
    return {
      status: 200,
      json: {
        access_token: accessToken,
        scope:
          'ZohoCRM.modules.ALL ZohoCRM.settings.ALL ZohoCRM.users.READ ZohoCRM.bulk.READ ZohoCRM.coql.READ',
        api_domain: this.settings.apiDomain,
        token_type: 'Bearer',
        expires_in: this.settings.tokenTtlSeconds,
      },
    };
  }

  /** Whether an `Authorization` header carries a live token: `Zoho-oauthtoken <token>`, not Bearer. */
  check(header: string | undefined): 'ok' | 'missing' | 'invalid' {
    if (header === undefined || header === '') return 'missing';
    const match = /^Zoho-oauthtoken (\S+)$/.exec(header);
    if (!match) return 'missing';
    const expires = this.#tokens.get(match[1]!);
    if (expires === undefined || expires <= Date.now()) return 'invalid';
    return 'ok';
  }

  /** Every issued token stops working (a test of the expiry path without waiting an hour). */
  expireAll(): void {
    this.#tokens.clear();
  }

  /** Lets tests issue more tokens than the 10-minute cap allows. */
  resetIssueWindow(): void {
    this.#issued.length = 0;
  }
}

/** Parameters from the query string and a urlencoded or multipart/form-data body (body wins). */
export function formParams(req: SimRequest): URLSearchParams {
  const out = new URLSearchParams(req.query);
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(req.rawBody)) out.set(k, v);
  } else if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
    if (boundary !== undefined) {
      for (const part of req.rawBody.split(`--${boundary}`)) {
        const name = /name="([^"]+)"/.exec(part)?.[1];
        const at = part.indexOf('\r\n\r\n');
        if (name === undefined || at < 0) continue;
        out.set(name, part.slice(at + 4).replace(/\r\n$/, ''));
      }
    }
  }
  return out;
}
