import type { SalesforceSourceConfig } from '../../../connectors/salesforce/salesforce-config.js';
import { SalesforceSourceSchema } from '../../../connectors/salesforce/salesforce-config.js';
import { createSalesforceSource } from '../../../connectors/salesforce/salesforce-source.js';
import { CountingRequestLog } from '../../../core/request-log.js';
import type { Source, Stream } from '../../../core/source.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import {
  type SalesforceSimulatorOptions,
  type StartedSalesforceSimulator,
  startSalesforceSimulator,
} from '../../../simulators/salesforce/start-salesforce-simulator.js';

export const ENV_NAMES = { clientIdEnv: 'SF_CLIENT_ID', clientSecretEnv: 'SF_CLIENT_SECRET' } as const;

export interface SalesforceTestSource {
  readonly source: Source;
  readonly requests: CountingRequestLog;
  readonly log: MemoryLogger;
  stream(name: string): Stream;
}

/** A source against the simulator, configured like a user would (through the zod schema). */
export function salesforceSource(
  sim: StartedSalesforceSimulator,
  overrides: Partial<Record<keyof SalesforceSourceConfig, unknown>> = {},
  options: { refresh?: boolean } = {},
): SalesforceTestSource {
  const config = SalesforceSourceSchema.parse({
    kind: 'salesforce',
    ...ENV_NAMES,
    ...(options.refresh ? { refreshTokenEnv: 'SF_REFRESH_TOKEN' } : {}),
    bulkPollIntervalMs: 10,
    overlapMinutes: 0,
    ...overrides,
  });
  const requests = new CountingRequestLog();
  const log = new MemoryLogger();
  const source = createSalesforceSource(config, {
    env: {
      SF_CLIENT_ID: sim.clientId,
      SF_CLIENT_SECRET: sim.clientSecret,
      SF_REFRESH_TOKEN: sim.refreshToken,
    },
    baseUrl: sim.baseUrl,
    requestLog: requests,
    log,
    tuning: { maxRetries: 3, backoff: { baseMs: 5, maxMs: 20 } },
  });
  return {
    source,
    requests,
    log,
    stream(name) {
      const stream = source.streams().find((s) => s.name === name);
      if (!stream) throw new Error(`no stream ${name}`);
      return stream;
    },
  };
}

export function startSim(options: SalesforceSimulatorOptions = {}): Promise<StartedSalesforceSimulator> {
  return startSalesforceSimulator({ seed: 7, scale: 300, ...options });
}

/** The simulator's records of one object: id → IsDeleted. */
export async function truthOf(
  sim: StartedSalesforceSimulator,
  object: string,
): Promise<Map<string, boolean>> {
  const rows = (await sim.control.truth(object)) as { Id: string; IsDeleted: boolean }[];
  return new Map(rows.map((r) => [r.Id, r.IsDeleted]));
}

/** Advances the simulator clock, so what happens next has a later SystemModstamp than all before. */
export async function later(sim: StartedSalesforceSimulator, ms = 60_000): Promise<void> {
  await sim.control.advanceClock(ms);
}

/**
 * The simulator's now. Tests move the simulator clock ahead of the wall clock; a read that should
 * behave like a run started after those changes passes this as its `runStartedAt`.
 */
export async function simNow(sim: StartedSalesforceSimulator): Promise<Date> {
  const { now } = (await sim.control.advanceClock(0)) as { now: string };
  return new Date(Date.parse(now) + 1000);
}
