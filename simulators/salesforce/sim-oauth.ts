import { randomBytes } from 'node:crypto';
import type { SimClock } from '../kit/sim-clock.js';
import type { SimResponse } from '../kit/sim-types.js';

export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly orgId: string;
  readonly userId: string;
}

/**
 * The org's OAuth 2.0 token endpoint (client credentials and refresh token grants) and the sessions
 * it issues. Sessions expire on the simulator clock, so a test can advance time and see the API
 * answer 401 INVALID_SESSION_ID, as Salesforce does for an expired access token.
 */
export class SimOAuth {
  readonly #client: OAuthClient;
  readonly #clock: SimClock;
  readonly #sessions = new Map<string, number>();
  readonly #ttl: () => number;

  constructor(client: OAuthClient, clock: SimClock, ttlMs: () => number) {
    this.#client = client;
    this.#clock = clock;
    this.#ttl = ttlMs;
  }

  token(rawBody: string, instanceUrl: string): SimResponse {
    const form = new URLSearchParams(rawBody);
    const grant = form.get('grant_type');
    const c = this.#client;
    if (grant !== 'client_credentials' && grant !== 'refresh_token') {
      return oauthError('unsupported_grant_type', 'grant type not supported');
    }
    if (form.get('client_id') !== c.clientId)
      return oauthError('invalid_client_id', 'client identifier invalid');
    const secret = form.get('client_secret');
    if (grant === 'client_credentials' && secret !== c.clientSecret) {
      return oauthError('invalid_client', 'invalid client credentials');
    }
    if (grant === 'refresh_token') {
      if (secret !== null && secret !== c.clientSecret)
        return oauthError('invalid_client', 'invalid client credentials');
      if (form.get('refresh_token') !== c.refreshToken) {
        return oauthError('invalid_grant', 'expired access/refresh token');
      }
    }
    const accessToken = `${c.orgId}!AR${randomBytes(30).toString('base64url')}`;
    const issuedAt = this.#clock.now();
    this.#sessions.set(accessToken, issuedAt + this.#ttl());
    return {
      status: 200,
      json: {
        access_token: accessToken,
        signature: randomBytes(32).toString('base64'),
        scope: 'api refresh_token',
        instance_url: instanceUrl,
        id: `${instanceUrl}/id/${c.orgId}/${c.userId}`,
        token_type: 'Bearer',
        issued_at: String(issuedAt),
      },
    };
  }

  /** Whether an Authorization header carries a live session. */
  valid(authorization: string | undefined): boolean {
    const match = /^Bearer (.+)$/i.exec(authorization ?? '');
    if (!match) return false;
    const expires = this.#sessions.get(match[1]!);
    return expires !== undefined && expires > this.#clock.now();
  }

  expireAll(): void {
    this.#sessions.clear();
  }
}

function oauthError(error: string, description: string): SimResponse {
  return { status: 400, json: { error, error_description: description } };
}
