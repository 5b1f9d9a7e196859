import { randomBytes } from 'node:crypto';
import type { SimClock } from '../kit/sim-clock.js';
import type { SimResponse } from '../kit/sim-types.js';

export interface AppRegistration {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * Microsoft Entra ID's token endpoint for a server-to-server app (`POST /{tenant}/oauth2/v2.0/token`,
 * client credentials, `scope=<environment URL>/.default`; MicrosoftDocs authenticate-oauth.md), and
 * the tokens it issued. The simulator is both the authority and the environment, so the scope must
 * name the simulator's own URL. Tokens expire on the simulator clock: a test can advance it and see
 * the API answer 401 as Dataverse does for an expired token.
 */
export class DynamicsOAuth {
  readonly app: AppRegistration;
  readonly #clock: SimClock;
  readonly #lifetimeSeconds: () => number;
  readonly #tokens = new Map<string, { readonly clientId: string; readonly expiresMs: number }>();

  constructor(app: AppRegistration, clock: SimClock, lifetimeSeconds: () => number) {
    this.app = app;
    this.#clock = clock;
    this.#lifetimeSeconds = lifetimeSeconds;
  }

  token(tenant: string, rawBody: string, environmentUrl: string): SimResponse {
    const form = new URLSearchParams(rawBody);
    const { app } = this;
    if (tenant.toLowerCase() !== app.tenantId.toLowerCase()) {
      return entraError(
        400,
        'invalid_request',
        `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return entraError(
        400,
        'unsupported_grant_type',
        'AADSTS70003: The app requested an unsupported grant type.',
      );
    }
    if (form.get('client_id') !== app.clientId) {
      return entraError(
        400,
        'unauthorized_client',
        `AADSTS700016: Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory.`,
      );
    }
    if (form.get('client_secret') !== app.clientSecret) {
      return entraError(
        401,
        'invalid_client',
        `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
      );
    }
    const scope = (form.get('scope') ?? '').replace(/\/+\.default$/, '/.default');
    if (scope !== `${environmentUrl.replace(/\/+$/, '')}/.default`) {
      return entraError(
        400,
        'invalid_resource',
        `AADSTS500011: The resource principal named ${scope.replace(/\/\.default$/, '')} was not found in the tenant named ${app.tenantId}.`,
      );
    }
    const lifetime = this.#lifetimeSeconds();
    const accessToken = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.sim.${randomBytes(24).toString('base64url')}`;
    this.#tokens.set(accessToken, { clientId: app.clientId, expiresMs: this.#clock.now() + lifetime * 1000 });
    return {
      status: 200,
      json: {
        token_type: 'Bearer',
        expires_in: lifetime,
        ext_expires_in: lifetime,
        access_token: accessToken,
      },
    };
  }

  /** The application (user) a Bearer header authenticates, or null. */
  user(authorization: string | undefined): string | null {
    const m = /^Bearer (.+)$/i.exec(authorization ?? '');
    if (m === null) return null;
    const t = this.#tokens.get(m[1]!);
    return t !== undefined && t.expiresMs > this.#clock.now() ? t.clientId : null;
  }

  expireAll(): void {
    this.#tokens.clear();
  }
}

function entraError(status: number, error: string, description: string): SimResponse {
  return {
    status,
    json: {
      error,
      error_description: `${description}\r\nTrace ID: ${randomBytes(16).toString('hex')}\r\nTimestamp: ${new Date().toISOString()}`,
      error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)],
    },
  };
}
