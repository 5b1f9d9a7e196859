import { TideError } from '../../core/tide-error.js';
import { HttpClient } from '../../http/http-client.js';
import { RollingWindowBudget } from '../../http/rate-budget.js';
import { type ConnectionDeps, ConnectionPool } from '../connections.js';
import { ActiveCampaignClient } from './activecampaign-client.js';
import { type ActiveCampaignSourceConfig, apiBase } from './activecampaign-config.js';
import { createActiveCampaignPolicy } from './activecampaign-policy.js';

/** This session's ActiveCampaign connections, by source name. */
const POOL = new ConnectionPool<ActiveCampaignClient>('activecampaign');

/** The reference: 5 requests per second per account, every key of the account sharing them. */
const REQUESTS_PER_SECOND = 5;
/**
 * One second plus a margin: the server counts a request when it arrives, the budget when it leaves,
 * and a 429 costs its Retry-After (the reference's example says 30 s), so latency jitter at the
 * window's edge must not tip a sixth request into the same server second.
 */
const WINDOW_MS = 1000 + 100;

export interface ActiveCampaignTuning {
  readonly maxRetries?: number;
  readonly backoff?: { baseMs?: number; maxMs?: number };
}

/**
 * The ActiveCampaign account's client: one HTTP client and ONE 5-per-second budget, shared by every
 * stream of the account and by the reverse-ETL writer (the session's ConnectionPool hands the same
 * client to both). `RateLimit-Limit` on responses resizes the budget if the account's limit differs.
 */
export function activeCampaignClientFor(
  config: ActiveCampaignSourceConfig,
  deps: ConnectionDeps & { readonly tuning?: ActiveCampaignTuning },
): ActiveCampaignClient {
  return POOL.shared(deps, config.name, () => {
    const tokenEnv = config.apiTokenEnv;
    const token = deps.env[tokenEnv];
    if (token === undefined || token.trim() === '') {
      throw new TideError(
        'credentials_missing',
        `${config.name}: environment variable ${tokenEnv} is not set`,
        {
          hint: `export ${tokenEnv}=<ActiveCampaign API token> (Settings → Developer)`,
        },
      );
    }
    const url = deps.baseUrl ?? config.accountUrl;
    if (url === undefined) {
      throw new TideError('config_invalid', `${config.name}: accountUrl is not set`, {
        hint: 'set accountUrl to the API URL shown under Settings → Developer in ActiveCampaign',
      });
    }
    const http = new HttpClient({
      baseUrl: apiBase(url),
      source: config.name,
      policy: createActiveCampaignPolicy({ token: token.trim(), tokenEnv }),
      budget: new RollingWindowBudget({
        limit: REQUESTS_PER_SECOND,
        windowMs: WINDOW_MS,
        sharedAccount: true,
      }),
      ...(deps.requestLog ? { requestLog: deps.requestLog } : {}),
      ...(deps.rateLimitWaits ? { rateLimitWaits: deps.rateLimitWaits } : {}),
      ...(deps.tuning?.maxRetries === undefined ? {} : { maxRetries: deps.tuning.maxRetries }),
      ...(deps.tuning?.backoff ? { backoff: deps.tuning.backoff } : {}),
    });
    return new ActiveCampaignClient(http);
  });
}
