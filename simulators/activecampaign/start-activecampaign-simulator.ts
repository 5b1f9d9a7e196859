import { SimControlClient } from '../kit/sim-client.js';
import { SimClock } from '../kit/sim-clock.js';
import { type RunningSimulator, startSimulator } from '../kit/sim-server.js';
import { AcBackend, type BackendSettings } from './ac-backend.js';
import { AcControl } from './ac-control.js';
import { BulkImports } from './ac-import.js';
import { AcLimits } from './ac-limits.js';
import { AccountMutations } from './ac-mutations.js';
import { seedAccount } from './ac-seed.js';
import { AcStore } from './ac-store.js';

export interface ActiveCampaignSimulatorOptions {
  seed?: number;
  /**
   * Size of the shared people universe, the same `scale` the other CRM simulators take, so the demo
   * CRMs overlap. Default 1000.
   */
  scale?: number;
  /** Share of the universe the account holds as contacts. Default 0.5. */
  share?: number;
  /** Contacts updated at start (stamped with the clock), so repeated demo runs load something new. */
  mutationsPerStart?: number;
  port?: number;
  /** The `Api-Token` the account accepts. Default 'sim-activecampaign-token'. */
  apiToken?: string;
  /** Requests per second for the account (reference: 5). 0 = off. */
  rateLimit?: number;
  /** Share of over-limit requests answered 503 instead of 429. Default 0.1. */
  busy503Share?: number;
  /** Bulk imports per rolling minute (reference: 100). 0 = off. */
  importsPerMinute?: number;
  /** How long a queued bulk import takes to complete. Default 200 ms. */
  importDelayMs?: number;
  /** The account's UTC offset in minutes (timestamps and filters use it). Default -300 (UTC-05:00). */
  utcOffsetMinutes?: number;
}

export interface StartedActiveCampaignSimulator extends RunningSimulator {
  readonly apiToken: string;
  readonly control: SimControlClient;
  /** Contacts the account holds at start. */
  readonly contacts: number;
}

/**
 * Starts a simulated ActiveCampaign account on 127.0.0.1: API v3 under `<baseUrl>/api/3/` (contacts
 * with custom fields and values, accounts with custom field meta/data, account–contact links, deals
 * with custom field meta/data, users, notes, contact writes, sync and bulk import) with the shared
 * `/_sim/` control API. Seeded data depends only on seed, scale and share.
 */
export async function startActiveCampaignSimulator(
  options: ActiveCampaignSimulatorOptions = {},
): Promise<StartedActiveCampaignSimulator> {
  const seed = options.seed ?? 1;
  const universe = Math.max(1, Math.floor(options.scale ?? 1000));
  const apiToken = options.apiToken ?? 'sim-activecampaign-token';
  const clock = new SimClock();
  const store = new AcStore(clock, options.utcOffsetMinutes ?? -300);
  seedAccount(store, { seed, universe, share: options.share ?? 0.5 });
  const limits = new AcLimits({
    rateLimit: options.rateLimit ?? 5,
    busy503Share: options.busy503Share ?? 0.1,
    importsPerMinute: options.importsPerMinute ?? 100,
  });
  const imports = new BulkImports(store, options.importDelayMs ?? 200);
  const mutations = new AccountMutations(store, seed, universe);
  if ((options.mutationsPerStart ?? 0) > 0)
    mutations.apply({ object: 'contacts', update: options.mutationsPerStart });
  const settings: BackendSettings = { apiToken, paymentRequired: false };
  const control = new AcControl(store, limits, imports, settings, mutations);
  const backend = new AcBackend(store, limits, imports, settings, control);
  const running = await startSimulator(
    backend,
    clock,
    options.port === undefined ? {} : { port: options.port },
  );
  return {
    ...running,
    close: async () => {
      imports.stop();
      await running.close();
    },
    apiToken,
    contacts: store.contacts.size,
    control: new SimControlClient(running.baseUrl),
  };
}
