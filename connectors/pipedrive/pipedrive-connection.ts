import { TideError } from '../../core/tide-error.js';
import { HttpClient } from '../../http/http-client.js';
import { RollingWindowBudget } from '../../http/rate-budget.js';
import { type ConnectionDeps, ConnectionPool } from '../connections.js';
import { PipedriveClient } from './pipedrive-client.js';
import type { PipedriveSourceConfig } from './pipedrive-config.js';
import { BURST_WINDOW_MS, createPipedrivePolicy } from './pipedrive-policy.js';

/** This session's pipedrive connections, by source name. */
const POOL = new ConnectionPool<PipedriveClient>('pipedrive');

/**
 * Requests allowed before the first response tells the real limit: the smallest documented plan
 * limit (Essential, api_token: 20 per 2 s), so a first burst cannot overrun any account.
 */
const LIMIT_BEFORE_FIRST_RESPONSE = 20;

export interface PipedriveTuning {
  readonly maxRetries?: number;
  readonly backoff?: { baseMs?: number; maxMs?: number };
}

/**
 * The Pipedrive account's client: one HTTP client and one burst budget, shared by every stream of
 * the account and by reverse-ETL writers, paced by the account's own rate-limit headers.
 */
export function pipedriveClientFor(
  config: PipedriveSourceConfig,
  deps: ConnectionDeps & { readonly tuning?: PipedriveTuning },
): PipedriveClient {
  return POOL.shared(deps, config.name, () => {
    const auth = config.apiTokenEnv !== undefined ? 'apiToken' : 'oauth';
    const tokenEnv = (config.apiTokenEnv ?? config.oauthTokenEnv)!;
    const token = deps.env[tokenEnv];
    if (token === undefined || token.trim() === '') {
      throw new TideError(
        'credentials_missing',
        `${config.name}: environment variable ${tokenEnv} is not set`,
        {
          hint:
            auth === 'apiToken'
              ? `export ${tokenEnv}=<Pipedrive API token> (Personal preferences → API)`
              : `export ${tokenEnv}=<Pipedrive OAuth access token>`,
        },
      );
    }
    const http = new HttpClient({
      baseUrl: deps.baseUrl ?? config.baseUrl,
      source: config.name,
      policy: createPipedrivePolicy({ token: token.trim(), auth, tokenEnv }),
      // How many requests fit comes from x-ratelimit-limit on every response; a slot is held until a
      // window after its answer, because Pipedrive counts requests when they arrive.
      budget: new RollingWindowBudget({ limit: LIMIT_BEFORE_FIRST_RESPONSE, windowMs: BURST_WINDOW_MS }),
      ...(deps.requestLog ? { requestLog: deps.requestLog } : {}),
      ...(deps.rateLimitWaits ? { rateLimitWaits: deps.rateLimitWaits } : {}),
      ...(deps.tuning?.maxRetries === undefined ? {} : { maxRetries: deps.tuning.maxRetries }),
      ...(deps.tuning?.backoff ? { backoff: deps.tuning.backoff } : {}),
    });
    return new PipedriveClient(http);
  });
}
