import { SimControlClient } from '../kit/sim-client.js';
import { SimClock } from '../kit/sim-clock.js';
import { type RunningSimulator, startSimulator } from '../kit/sim-server.js';
import { SalesforceSimBackend } from './salesforce-backend.js';
import type { SalesforceMutation } from './salesforce-control.js';
import { mintId } from './salesforce-ids.js';
import type { SalesforceSimSettings } from './salesforce-settings.js';
import { SalesforceStore } from './salesforce-store.js';

export interface SalesforceSimulatorOptions {
  readonly seed?: number;
  /**
   * People in the shared universe (as for the HubSpot simulator). Salesforce holds about 60% of them
   * as Contacts; the other objects scale with it.
   */
  readonly scale?: number;
  /** Records changed when the simulator starts (stamped with the clock's now). */
  readonly mutationsPerStart?: number;
  readonly port?: number;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly refreshToken?: string;
  readonly dailyApiLimit?: number;
  readonly tokenTtlMs?: number;
  /** Any other org setting (Bulk poll count, results page size, …). */
  readonly settings?: Partial<SalesforceSimSettings>;
}

export interface StartedSalesforceSimulator extends RunningSimulator {
  readonly control: SimControlClient;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  /** The org's settings, live (tests may read API usage directly). */
  readonly settings: SalesforceSimSettings;
  /** Records of each object the org was seeded with (before mutationsPerStart). */
  readonly counts: Readonly<Record<string, number>>;
}

/**
 * Starts a Salesforce org simulator on a free loopback port. The same seed gives the same org on every
 * start (timestamps are anchored at a fixed instant); `mutationsPerStart` then changes a few records
 * at the clock's now, so a demo's second run has something to load incrementally.
 */
export async function startSalesforceSimulator(
  options: SalesforceSimulatorOptions = {},
): Promise<StartedSalesforceSimulator> {
  const seed = options.seed ?? 42;
  const store = new SalesforceStore(seed, options.scale ?? 5_000);
  const clock = new SimClock();
  const client = {
    clientId: options.clientId ?? `3MVG9sim${seed}ClientId`,
    clientSecret: options.clientSecret ?? `sim-secret-${seed}`,
    refreshToken: options.refreshToken ?? `5Aep861sim${seed}RefreshToken`,
    orgId: mintId('00D', seed).slice(0, 15),
    userId: mintId('005', 0),
  };
  const backend = new SalesforceSimBackend(store, clock, client, {
    ...options.settings,
    ...(options.dailyApiLimit === undefined ? {} : { dailyApiLimit: options.dailyApiLimit }),
    ...(options.tokenTtlMs === undefined ? {} : { tokenTtlMs: options.tokenTtlMs }),
  });
  for (const mutation of startMutations(options.mutationsPerStart ?? 0)) backend.control.mutate(mutation);

  const running = await startSimulator(
    backend,
    clock,
    options.port === undefined ? {} : { port: options.port },
  );
  return {
    ...running,
    close: () => running.close(),
    control: new SimControlClient(running.baseUrl),
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    refreshToken: client.refreshToken,
    settings: backend.settings,
    counts: store.context.counts,
  };
}

/** A day's worth of sales activity, in proportion to `n`. */
function startMutations(n: number): SalesforceMutation[] {
  if (n <= 0) return [];
  return [
    { object: 'Contact', update: n, create: Math.ceil(n / 10), delete: Math.ceil(n / 25) },
    { object: 'Account', update: Math.ceil(n / 5) },
    { object: 'Lead', update: Math.ceil(n / 5), create: Math.ceil(n / 10) },
    { object: 'Opportunity', update: Math.ceil(n / 5), create: Math.ceil(n / 20) },
    { object: 'Task', create: Math.ceil(n / 2) },
    { object: 'Event', create: Math.ceil(n / 5) },
  ];
}
