import { TideError } from '../../core/tide-error.js';
import { type ConnectionDeps, ConnectionPool } from '../connections.js';
import { ZohoClient } from './zoho-client.js';
import { DATA_CENTRES, type ZohoSourceConfig } from './zoho-config.js';
import { ZohoFieldCatalog } from './zoho-field-catalog.js';
import { ZohoOAuth } from './zoho-oauth.js';
import { createZohoPolicy, ZohoCredits } from './zoho-policy.js';

/** This session's Zoho connections, by source name. */
const POOL = new ConnectionPool<ZohoConnection>('zoho');

/** Tuning for tests: retries and backoff of the shared HTTP client. */
export interface ZohoTuning {
  readonly maxRetries?: number;
  readonly backoff?: { baseMs?: number; maxMs?: number };
}

/**
 * One Zoho org's connection: one OAuth token (shared process-wide), one concurrency limit, one
 * credits tracker and one field catalog, shared by every stream of the source and by reverse ETL, so
 * together they stay inside what the org allows.
 */
export interface ZohoConnection {
  readonly client: ZohoClient;
  readonly catalog: ZohoFieldCatalog;
  readonly credits: ZohoCredits;
}

export function zohoConnectionFor(
  config: ZohoSourceConfig,
  deps: ConnectionDeps & { readonly tuning?: ZohoTuning },
): ZohoConnection {
  return POOL.shared(deps, config.name, () => {
    const envNames = [config.clientIdEnv, config.clientSecretEnv, config.refreshTokenEnv];
    const read = (name: string, what: string): string => {
      const value = deps.env[name];
      if (value === undefined || value.trim() === '') {
        throw new TideError(
          'credentials_missing',
          `${config.name}: environment variable ${name} is not set`,
          {
            hint: `export ${name}=<${what}> (Zoho API console → your server-based client; README, "Real Zoho CRM credentials")`,
          },
        );
      }
      return value.trim();
    };
    const credentials = {
      clientId: read(config.clientIdEnv, 'the client id'),
      clientSecret: read(config.clientSecretEnv, 'the client secret'),
      refreshToken: read(config.refreshTokenEnv, 'a refresh token (access_type=offline)'),
    };
    const oauth = new ZohoOAuth({
      accountsUrl: deps.baseUrl ?? config.accountsUrl ?? DATA_CENTRES[config.dataCentre].accounts,
      credentials,
      envNames,
      source: config.name,
      ...(deps.requestLog ? { requestLog: deps.requestLog } : {}),
      ...(deps.rateLimitWaits ? { rateLimitWaits: deps.rateLimitWaits } : {}),
    });
    const credits = new ZohoCredits(config.creditsReserve);
    const client = new ZohoClient({
      oauth,
      policy: createZohoPolicy({ oauth, credits, envNames }),
      source: config.name,
      concurrency: config.concurrency,
      ...(deps.requestLog ? { requestLog: deps.requestLog } : {}),
      ...(deps.rateLimitWaits ? { rateLimitWaits: deps.rateLimitWaits } : {}),
      ...(deps.tuning?.maxRetries === undefined ? {} : { maxRetries: deps.tuning.maxRetries }),
      ...(deps.tuning?.backoff ? { backoff: deps.tuning.backoff } : {}),
    });
    return { client, catalog: new ZohoFieldCatalog(client), credits };
  });
}
