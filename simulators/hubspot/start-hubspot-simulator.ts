import { SimControlClient } from '../kit/sim-client.js';
import { SimClock } from '../kit/sim-clock.js';
import { type RunningSimulator, startSimulator } from '../kit/sim-server.js';
import { HubspotExports } from './export-jobs.js';
import { type BackendSettings, HubspotBackend } from './hubspot-backend.js';
import { HubspotControl } from './hubspot-control.js';
import { HubspotLimits } from './hubspot-limits.js';
import { HubspotStore } from './hubspot-store.js';
import { PortalMutations } from './portal-mutations.js';

export interface HubspotSimulatorOptions {
  seed?: number;
  /** Size of the shared people universe; HubSpot holds ~90% as contacts (+ a few duplicates). Default 1000. */
  scale?: number;
  /** Contacts updated at start (stamped with the clock), so repeated demo runs load something new. */
  mutationsPerStart?: number;
  port?: number;
  /** Accepted bearer token. Default 'sim-hubspot-token'. */
  token?: string;
  /** Requests per rolling 10 s on non-search endpoints. Default 190; 0 = off. */
  burstLimit?: number;
  /** Search requests per second. Default 5; 0 = off. */
  searchPerSecond?: number;
  /** Records modified this recently are not yet visible to search (HubSpot's index lag). Default 0. */
  searchLagMs?: number;
  /** Requests per day. Default 1,000,000 (Enterprise); 0 = off. */
  dailyLimit?: number;
  /** Extra custom contact properties present from the start (seeded values on ~20% of records). */
  extraProperties?: number;
  /** Name length of those properties. Default 40. */
  extraPropertyNameLength?: number;
}

export interface StartedHubspotSimulator extends RunningSimulator {
  readonly token: string;
  readonly control: SimControlClient;
}

/**
 * Starts a simulated HubSpot portal on 127.0.0.1 (CRM v3 objects, search, batch, properties, owners,
 * v4 associations, CRM exports) with the shared `/_sim/` control API. Seeded data depends only on the seed and
 * scale, so two starts with the same options serve identical records.
 */
export async function startHubspotSimulator(
  options: HubspotSimulatorOptions = {},
): Promise<StartedHubspotSimulator> {
  const seed = options.seed ?? 1;
  const token = options.token ?? 'sim-hubspot-token';
  const clock = new SimClock();
  const store = new HubspotStore({
    seed,
    people: Math.max(1, Math.floor(options.scale ?? 1000)),
    clock,
    ...(options.extraProperties === undefined ? {} : { extraProperties: options.extraProperties }),
    ...(options.extraPropertyNameLength === undefined
      ? {}
      : { extraPropertyNameLength: options.extraPropertyNameLength }),
  });
  const limits = new HubspotLimits({
    burstLimit: options.burstLimit ?? 190,
    searchPerSecond: options.searchPerSecond ?? 5,
    dailyLimit: options.dailyLimit ?? 1_000_000,
  });
  const settings: BackendSettings = { token, searchLagMs: options.searchLagMs ?? 0 };
  const mutations = new PortalMutations(store, seed);
  if ((options.mutationsPerStart ?? 0) > 0)
    mutations.apply({ object: 'contacts', update: options.mutationsPerStart });
  const exports = new HubspotExports(store);
  const control = new HubspotControl(store, limits, settings, mutations, exports);
  const backend = new HubspotBackend(store, limits, settings, control, exports);
  const running = await startSimulator(
    backend,
    clock,
    options.port === undefined ? {} : { port: options.port },
  );
  return { ...running, close: () => running.close(), token, control: new SimControlClient(running.baseUrl) };
}
