/**
 * Runs the HubSpot simulator as its own process. Options come from flags or HUBSPOT_SIM_* variables:
 *
 *   npx tsx simulators/hubspot/bin.ts --scale=1000000 --seed=7 --burst-limit=0
 *
 * It prints one JSON line `{"baseUrl":…,"token":…,"pid":…}` once it listens (see
 * kit/serve-simulator-process.ts for how it stops).
 */
import { z } from 'zod';
import { serveSimulatorProcess } from '../kit/serve-simulator-process.js';
import { commonSimulatorFlags, countFlag, readSimulatorFlags } from '../kit/simulator-flags.js';
import { type HubspotSimulatorOptions, startHubspotSimulator } from './start-hubspot-simulator.js';

const flags = {
  ...commonSimulatorFlags,
  token: z.string().min(1),
  burstLimit: countFlag,
  searchPerSecond: countFlag,
  searchLagMs: countFlag,
  dailyLimit: countFlag,
  extraProperties: countFlag,
} satisfies Partial<Record<keyof HubspotSimulatorOptions, z.ZodType>>;

const sim = await startHubspotSimulator(
  readSimulatorFlags(flags, 'HUBSPOT_SIM', process.argv.slice(2), process.env),
);
serveSimulatorProcess(sim, { baseUrl: sim.baseUrl, token: sim.token });
