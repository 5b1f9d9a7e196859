/**
 * Runs the Pipedrive simulator as its own process. Options come from flags or PIPEDRIVE_SIM_* variables:
 *
 *   npx tsx simulators/pipedrive/bin.ts --scale=600000 --seed=7 --burst-limit=0
 *
 * It prints one JSON line `{"baseUrl":…,"apiToken":…,"persons":…,"pid":…}` once it listens (see
 * kit/serve-simulator-process.ts for how it stops).
 */
import { z } from 'zod';
import { serveSimulatorProcess } from '../kit/serve-simulator-process.js';
import { commonSimulatorFlags, countFlag, readSimulatorFlags } from '../kit/simulator-flags.js';
import { type PipedriveSimulatorOptions, startPipedriveSimulator } from './start-pipedrive-simulator.js';

const flags = {
  ...commonSimulatorFlags,
  apiToken: z.string().min(1),
  burstLimit: countFlag,
  dailyTokenBudget: countFlag,
} satisfies Partial<Record<keyof PipedriveSimulatorOptions, z.ZodType>>;

const sim = await startPipedriveSimulator(
  readSimulatorFlags(flags, 'PIPEDRIVE_SIM', process.argv.slice(2), process.env),
);
serveSimulatorProcess(sim, { baseUrl: sim.baseUrl, apiToken: sim.apiToken, persons: sim.persons });
