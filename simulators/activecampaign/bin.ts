/**
 * Runs the ActiveCampaign simulator as its own process. Options come from flags or
 * ACTIVECAMPAIGN_SIM_* variables:
 *
 *   npx tsx simulators/activecampaign/bin.ts --scale=200000 --share=0.5 --rate-limit=5
 *
 * It prints one JSON line `{"baseUrl":…,"apiToken":…,"contacts":…,"pid":…}` once it listens (see
 * kit/serve-simulator-process.ts for how it stops).
 */
import { z } from 'zod';
import { serveSimulatorProcess } from '../kit/serve-simulator-process.js';
import { commonSimulatorFlags, countFlag, readSimulatorFlags } from '../kit/simulator-flags.js';
import {
  type ActiveCampaignSimulatorOptions,
  startActiveCampaignSimulator,
} from './start-activecampaign-simulator.js';

const flags = {
  ...commonSimulatorFlags,
  share: z.coerce.number().positive().max(1),
  apiToken: z.string().min(1),
  rateLimit: countFlag,
  busy503Share: z.coerce.number().min(0).max(1),
  importsPerMinute: countFlag,
  importDelayMs: countFlag,
  utcOffsetMinutes: z.coerce.number().int(),
} satisfies Partial<Record<keyof ActiveCampaignSimulatorOptions, z.ZodType>>;

const sim = await startActiveCampaignSimulator(
  readSimulatorFlags(flags, 'ACTIVECAMPAIGN_SIM', process.argv.slice(2), process.env),
);
serveSimulatorProcess(sim, { baseUrl: sim.baseUrl, apiToken: sim.apiToken, contacts: sim.contacts });
