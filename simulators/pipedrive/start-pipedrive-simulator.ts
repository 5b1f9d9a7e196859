import { SimControlClient } from '../kit/sim-client.js';
import { SimClock } from '../kit/sim-clock.js';
import { type RunningSimulator, startSimulator } from '../kit/sim-server.js';
import { CompanyMutations } from './company-mutations.js';
import { PipedriveBackend } from './pipedrive-backend.js';
import { PipedriveControl } from './pipedrive-control.js';
import { PipedriveLimits } from './pipedrive-limits.js';
import { PipedriveStore } from './pipedrive-store.js';

export interface PipedriveSimulatorOptions {
  seed?: number;
  /**
   * Size of the shared people universe, the same `scale` the other CRM simulators take, so the demo
   * CRMs overlap; Pipedrive holds about 35% of it as persons. Default 1000.
   */
  scale?: number;
  /** Persons updated at start (stamped with the clock), so repeated demo runs load something new. */
  mutationsPerStart?: number;
  port?: number;
  /** Accepted as `x-api-token` (and as an OAuth Bearer token). Default 'sim-pipedrive-token'. */
  apiToken?: string;
  /** Requests per rolling 2 s (Professional plan, api_token: 80). 0 = off. */
  burstLimit?: number;
  /** Daily token budget of the company; each call costs its endpoint's tokens. 0 = off (default). */
  dailyTokenBudget?: number;
}

export interface StartedPipedriveSimulator extends RunningSimulator {
  readonly apiToken: string;
  readonly control: SimControlClient;
  /** Persons the simulated company holds at start. */
  readonly persons: number;
}

/**
 * Starts a simulated Pipedrive company on 127.0.0.1 (API v2 persons, organizations, deals and
 * activities; v1 leads, recents, *Fields and users) with the shared `/_sim/` control API. Seeded data
 * depends only on the seed and scale.
 */
export async function startPipedriveSimulator(
  options: PipedriveSimulatorOptions = {},
): Promise<StartedPipedriveSimulator> {
  const seed = options.seed ?? 1;
  const apiToken = options.apiToken ?? 'sim-pipedrive-token';
  const clock = new SimClock();
  const store = new PipedriveStore({ seed, universe: Math.max(1, Math.floor(options.scale ?? 1000)), clock });
  const limits = new PipedriveLimits({
    burstLimit: options.burstLimit ?? 80,
    dailyTokenBudget: options.dailyTokenBudget ?? 0,
  });
  const mutations = new CompanyMutations(store, seed);
  if ((options.mutationsPerStart ?? 0) > 0)
    mutations.apply({ object: 'persons', update: options.mutationsPerStart });
  const control = new PipedriveControl(store, limits, mutations);
  const backend = new PipedriveBackend(store, limits, { apiToken }, control);
  const running = await startSimulator(
    backend,
    clock,
    options.port === undefined ? {} : { port: options.port },
  );
  return {
    ...running,
    close: () => running.close(),
    apiToken,
    persons: store.table('persons').size,
    control: new SimControlClient(running.baseUrl),
  };
}
