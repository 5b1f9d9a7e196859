import { SimControlClient } from '../kit/sim-client.js';
import { SimClock } from '../kit/sim-clock.js';
import { type RunningSimulator, startSimulator } from '../kit/sim-server.js';
import { DynamicsBackend, type DynamicsSettings } from './dynamics-backend.js';
import { DynamicsControl } from './dynamics-control.js';
import { DynamicsLimits, type LimitSettings } from './dynamics-limits.js';
import { DynamicsOAuth } from './dynamics-oauth.js';
import { DynamicsStore } from './dynamics-store.js';

export interface DynamicsSimulatorOptions extends Partial<LimitSettings> {
  seed?: number;
  /** Size of the shared people universe; Dynamics holds ~45% as contacts. Default 1000. */
  scale?: number;
  /** Contacts updated at start (stamped with the clock), so repeated demo runs load something new. */
  mutationsPerStart?: number;
  port?: number;
  /** The Entra tenant, app registration and its secret the token endpoint accepts. */
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Access token lifetime. Default 3,600 s. */
  tokenLifetimeSeconds?: number;
  /** Org setting ExpireChangeTrackingInDays. Default 7. */
  expireChangeTrackingInDays?: number;
  responseDelayMs?: number;
}

export interface StartedDynamicsSimulator extends RunningSimulator {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly control: SimControlClient;
}

export const SIM_TENANT_ID = '5eed7e4a-0000-4000-8000-00000000d365';
export const SIM_CLIENT_ID = '5eedc11e-0000-4000-8000-00000000d365';

/**
 * Starts a simulated Dynamics 365 environment on 127.0.0.1: Entra ID's token endpoint
 * (`/{tenant}/oauth2/v2.0/token`) and the Dataverse Web API (`/api/data/v9.2/…`) on one port, the
 * base URL being both the authority and the environment URL, with the shared `/_sim/` control API.
 * Seeded data depends only on seed and scale.
 */
export async function startDynamicsSimulator(
  options: DynamicsSimulatorOptions = {},
): Promise<StartedDynamicsSimulator> {
  const seed = options.seed ?? 1;
  const clock = new SimClock();
  const store = new DynamicsStore({ seed, universe: Math.max(1, Math.floor(options.scale ?? 1000)), clock });
  const limits = new DynamicsLimits({
    ...(options.requestsPerWindow === undefined ? {} : { requestsPerWindow: options.requestsPerWindow }),
    ...(options.executionMsPerWindow === undefined
      ? {}
      : { executionMsPerWindow: options.executionMsPerWindow }),
    ...(options.concurrentRequests === undefined ? {} : { concurrentRequests: options.concurrentRequests }),
    ...(options.dailyEntitlement === undefined ? {} : { dailyEntitlement: options.dailyEntitlement }),
    ...(options.executionMsPerRequest === undefined
      ? {}
      : { executionMsPerRequest: options.executionMsPerRequest }),
    ...(options.executionMsPerRecord === undefined
      ? {}
      : { executionMsPerRecord: options.executionMsPerRecord }),
  });
  const settings: DynamicsSettings = {
    expireChangeTrackingInDays: options.expireChangeTrackingInDays ?? 7,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    responseDelayMs: options.responseDelayMs ?? 0,
    deniedEntities: new Set(),
  };
  const app = {
    tenantId: options.tenantId ?? SIM_TENANT_ID,
    clientId: options.clientId ?? SIM_CLIENT_ID,
    clientSecret: options.clientSecret ?? 'sim-dynamics-secret',
  };
  const oauth = new DynamicsOAuth(app, clock, () => settings.tokenLifetimeSeconds);
  const control = new DynamicsControl(store, limits, settings, () => oauth, seed);
  if ((options.mutationsPerStart ?? 0) > 0)
    control.mutate({ object: 'contacts', update: options.mutationsPerStart });
  const backend = new DynamicsBackend(store, oauth, limits, settings, control);
  const running = await startSimulator(
    backend,
    clock,
    options.port === undefined ? {} : { port: options.port },
  );
  return {
    ...running,
    close: () => running.close(),
    ...app,
    control: new SimControlClient(running.baseUrl),
  };
}
