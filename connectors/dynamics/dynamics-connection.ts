import pLimit from 'p-limit';
import { TideError } from '../../core/tide-error.js';
import { HttpClient } from '../../http/http-client.js';
import { RollingWindowBudget } from '../../http/rate-budget.js';
import { type ConnectionDeps, ConnectionPool } from '../connections.js';
import { DynamicsClient } from './dynamics-client.js';
import type { DynamicsSourceConfig } from './dynamics-config.js';
import { TableCache } from './dynamics-metadata.js';
import { createDynamicsPolicy } from './dynamics-policy.js';
import { EntraToken } from './dynamics-token.js';

/** This session's Dynamics connections, by source name. */
const POOL = new ConnectionPool<DynamicsConnection>('dynamics');

/** Service protection counts requests in a 300-second sliding window. */
const WINDOW_MS = 300_000;

/** Tuning for tests: retries and backoff of the shared HTTP client. */
export interface DynamicsTuning {
  readonly maxRetries?: number;
  readonly backoff?: { baseMs?: number; maxMs?: number };
}

/**
 * One Dataverse environment's connection: one Entra token, one request window and one concurrency
 * limit for the application user, shared by every stream of the source and by reverse ETL writes, so
 * together they stay inside the user's service protection limits.
 */
export interface DynamicsConnection {
  readonly client: DynamicsClient;
  readonly tables: TableCache;
}

export function dynamicsConnectionFor(
  config: DynamicsSourceConfig,
  deps: ConnectionDeps & { readonly tuning?: DynamicsTuning },
): DynamicsConnection {
  return POOL.shared(deps, config.name, () => {
    const read = (name: string, what: string): string => {
      const value = deps.env[name];
      if (value === undefined || value.trim() === '') {
        throw new TideError(
          'credentials_missing',
          `${config.name}: environment variable ${name} is not set`,
          {
            hint: `export ${name}=<${what}> (Microsoft Entra admin center → App registrations → your app)`,
          },
        );
      }
      return value.trim();
    };
    const clientId = read(config.clientIdEnv, "the app registration's application (client) id");
    const clientSecret = read(config.clientSecretEnv, "a client secret's value");
    // The demo's simulator is the authority and the environment at once.
    const environmentUrl = deps.baseUrl ?? config.environmentUrl;
    const token = new EntraToken({
      authorityUrl: deps.baseUrl ?? config.authorityUrl,
      tenantId: config.tenantId,
      environmentUrl,
      clientId,
      clientSecret,
      envNames: [config.clientIdEnv, config.clientSecretEnv],
      source: config.name,
      ...(deps.requestLog ? { requestLog: deps.requestLog } : {}),
      ...(deps.rateLimitWaits ? { rateLimitWaits: deps.rateLimitWaits } : {}),
    });
    const http = new HttpClient({
      baseUrl: environmentUrl,
      source: config.name,
      policy: createDynamicsPolicy({
        token,
        maxRetryAfterMs: config.maxRetryAfterSeconds * 1000,
        envNames: [config.clientIdEnv, config.clientSecretEnv],
      }),
      budget: new RollingWindowBudget({ limit: config.requestsPerWindow, windowMs: WINDOW_MS }),
      ...(deps.requestLog ? { requestLog: deps.requestLog } : {}),
      ...(deps.rateLimitWaits ? { rateLimitWaits: deps.rateLimitWaits } : {}),
      ...(deps.tuning?.maxRetries === undefined ? {} : { maxRetries: deps.tuning.maxRetries }),
      ...(deps.tuning?.backoff ? { backoff: deps.tuning.backoff } : {}),
    });
    const client = new DynamicsClient(http, config.apiVersion, pLimit(config.concurrency));
    return { client, tables: new TableCache(client) };
  });
}
