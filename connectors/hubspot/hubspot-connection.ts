import { TideError } from '../../core/tide-error.js';
import { HttpClient } from '../../http/http-client.js';
import { RollingWindowBudget, UnlimitedBudget } from '../../http/rate-budget.js';
import { type ConnectionDeps, ConnectionPool } from '../connections.js';
import { HubspotClient } from './hubspot-client.js';
import type { HubspotSourceConfig } from './hubspot-config.js';
import { HubspotExportClient } from './hubspot-export-client.js';
import { hubspotFilePolicy } from './hubspot-file-policy.js';
import { createHubspotPolicy } from './hubspot-policy.js';

/** This session's hubspot connections, by source name. */
const POOL = new ConnectionPool<HubspotClient>('hubspot');

/**
 * HubSpot counts a request when it arrives, Tide when it leaves: a request that travelled slower than
 * the one sent a window later would still be in HubSpot's window, and the 429 costs a whole interval.
 * A quarter second of slack (2.5 % of the window) absorbs that skew.
 */
const WINDOW_MARGIN_MS = 250;

/**
 * Tuning for tests: how long a ten-secondly 429 without HubSpot's interval header waits (10 s), and
 * the first wait before an export's status is asked for (2 s).
 */
export interface HubspotTuning {
  readonly burstRetryMs?: number;
  readonly exportPollMs?: number;
}

/**
 * The HubSpot account's client: one HTTP client with one burst budget (read from HubSpot's rate
 * headers) and one search budget (5 per second per account), shared by every stream of the account
 * and by reverse ETL writers. Both budgets hold a request's slot until a window after its answer
 * (http/rate-budget.ts), because HubSpot counts requests when they arrive.
 */
export function hubspotClientFor(
  config: HubspotSourceConfig,
  deps: ConnectionDeps & { readonly tuning?: HubspotTuning },
): HubspotClient {
  return POOL.shared(deps, config.name, () => {
    const token = deps.env[config.tokenEnv];
    if (token === undefined || token.trim() === '') {
      throw new TideError(
        'credentials_missing',
        `${config.name}: environment variable ${config.tokenEnv} is not set`,
        {
          hint: `export ${config.tokenEnv}=<HubSpot private-app access token> (Settings → Integrations → Private apps)`,
        },
      );
    }
    // The search limit is the account's and its answers carry no rate headers: a command started right
    // after another (the fault suite's back-to-back extracts) must not add its first searches to the
    // last second of the previous one's.
    const searchBudget = new RollingWindowBudget({
      limit: config.searchPerSecond,
      windowMs: 1000,
      fullAtStart: true,
    });
    const http = new HttpClient({
      baseUrl: deps.baseUrl ?? config.baseUrl,
      source: config.name,
      policy: createHubspotPolicy({
        token: token.trim(),
        tokenEnv: config.tokenEnv,
        searchBudget,
        ...(deps.tuning?.burstRetryMs === undefined ? {} : { burstRetryMs: deps.tuning.burstRetryMs }),
      }),
      budget: new RollingWindowBudget({ limit: config.burstLimit, windowMs: 10_000 + WINDOW_MARGIN_MS }),
      ...(deps.requestLog ? { requestLog: deps.requestLog } : {}),
      ...(deps.rateLimitWaits ? { rateLimitWaits: deps.rateLimitWaits } : {}),
    });
    // An export's file is not an API call: its own client, no token, no share of the burst budget.
    const files = new HttpClient({
      baseUrl: deps.baseUrl ?? config.baseUrl,
      source: config.name,
      policy: hubspotFilePolicy,
      budget: new UnlimitedBudget(),
      ...(deps.requestLog ? { requestLog: deps.requestLog } : {}),
      ...(deps.rateLimitWaits ? { rateLimitWaits: deps.rateLimitWaits } : {}),
    });
    return new HubspotClient(http, new HubspotExportClient(http, files));
  });
}
