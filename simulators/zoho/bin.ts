/**
 * Runs the Zoho CRM simulator as its own process. Options come from flags or ZOHO_SIM_* variables:
 *
 *   npx tsx simulators/zoho/bin.ts --scale=2500000 --seed=42 --daily-credits=0
 *
 * It prints one JSON line `{"baseUrl":…,"clientId":…,"clientSecret":…,"refreshToken":…,"pid":…}` once
 * it listens (see kit/serve-simulator-process.ts for how it stops).
 */
import type { z } from 'zod';
import { serveSimulatorProcess } from '../kit/serve-simulator-process.js';
import { commonSimulatorFlags, countFlag, readSimulatorFlags } from '../kit/simulator-flags.js';
import { startZohoSimulator, type ZohoSimulatorOptions } from './start-zoho-simulator.js';

const flags = {
  ...commonSimulatorFlags,
  dailyCredits: countFlag,
  concurrency: countFlag,
  bulkJobMs: countFlag,
} satisfies Partial<Record<keyof ZohoSimulatorOptions, z.ZodType>>;

const sim = await startZohoSimulator(
  readSimulatorFlags(flags, 'ZOHO_SIM', process.argv.slice(2), process.env),
);
serveSimulatorProcess(sim, {
  baseUrl: sim.baseUrl,
  clientId: sim.clientId,
  clientSecret: sim.clientSecret,
  refreshToken: sim.refreshToken,
});
