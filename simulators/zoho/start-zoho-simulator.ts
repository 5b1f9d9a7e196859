import { SimControlClient } from '../kit/sim-client.js';
import { SimClock } from '../kit/sim-clock.js';
import { type RunningSimulator, startSimulator } from '../kit/sim-server.js';
import { ZohoBackend } from './zoho-backend.js';
import { ZohoBulkRead } from './zoho-bulk-read.js';
import { type BackendTuning, ZohoControl } from './zoho-control.js';
import { ZohoLimits } from './zoho-limits.js';
import { ZohoOAuthServer } from './zoho-oauth.js';
import { ZohoStore } from './zoho-store.js';

export interface ZohoSimulatorOptions {
  seed?: number;
  /** Size of the shared people universe; Zoho holds about 40% of it (contacts and leads). Default 1000. */
  scale?: number;
  /** Contacts updated at start (stamped with the clock), so repeated demo runs load something new. */
  mutationsPerStart?: number;
  port?: number;
  /** OAuth client and refresh token the accounts server accepts. */
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** Access-token lifetime. Default 3600 s. */
  tokenTtlSeconds?: number;
  /** API credits per rolling 24 h. Default 1,000,000; 0 = off. */
  dailyCredits?: number;
  /** Calls in flight per org (default 20, Enterprise); heavy calls 10. 0 = off. */
  concurrency?: number;
  /** Bulk Read downloads per rolling minute (Zoho: 10). 0 = off. */
  downloadsPerMinute?: number;
  /** How long a Bulk Read job takes to complete. Default 300 ms. */
  bulkJobMs?: number;
  /** The org's UTC offset in minutes. Default 330 (+05:30). */
  offsetMinutes?: number;
}

export interface StartedZohoSimulator extends RunningSimulator {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly control: SimControlClient;
}

/**
 * Starts a simulated Zoho CRM org on 127.0.0.1: the accounts server (`/oauth/v2/token`) and the API
 * (`/crm/v8/…`, `/crm/bulk/v8/read`) on one port, the token answer's `api_domain` pointing back at it,
 * plus the shared `/_sim/` control API. Seeded data depends only on the seed and scale.
 */
export async function startZohoSimulator(options: ZohoSimulatorOptions = {}): Promise<StartedZohoSimulator> {
  const seed = options.seed ?? 1;
  const clock = new SimClock();
  const store = new ZohoStore({
    seed,
    people: Math.max(1, Math.floor(options.scale ?? 1000)),
    clock,
    ...(options.offsetMinutes === undefined ? {} : { offsetMinutes: options.offsetMinutes }),
  });
  const limits = new ZohoLimits({
    dailyCredits: options.dailyCredits ?? 1_000_000,
    concurrency: options.concurrency ?? 20,
    heavyConcurrency: options.concurrency === 0 ? 0 : 10,
    downloadsPerMinute: options.downloadsPerMinute ?? 10,
  });
  const oauth = new ZohoOAuthServer({
    clientId: options.clientId ?? '1000.SIMZOHOCLIENT',
    clientSecret: options.clientSecret ?? 'sim-zoho-client-secret',
    refreshToken: options.refreshToken ?? '1000.sim-zoho-refresh-token',
    apiDomain: '',
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    deniedModules: [],
  });
  const bulk = new ZohoBulkRead(store, limits, {
    jobMs: options.bulkJobMs ?? 300,
    rowsPerJob: 200_000,
    failModules: [],
  });
  const tuning: BackendTuning = { latencyMs: 0 };
  const control = new ZohoControl(store, limits, oauth, bulk, tuning);
  if ((options.mutationsPerStart ?? 0) > 0)
    control.mutate({ object: 'Contacts', update: options.mutationsPerStart });
  const backend = new ZohoBackend(store, limits, oauth, bulk, tuning, control);
  const running = await startSimulator(
    backend,
    clock,
    options.port === undefined ? {} : { port: options.port },
  );
  oauth.settings.apiDomain = running.baseUrl;
  return {
    ...running,
    close: () => running.close(),
    clientId: oauth.settings.clientId,
    clientSecret: oauth.settings.clientSecret,
    refreshToken: oauth.settings.refreshToken,
    control: new SimControlClient(running.baseUrl),
  };
}
