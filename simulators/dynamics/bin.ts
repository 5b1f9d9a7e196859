/**
 * Runs the Dynamics 365 simulator as its own process. Options come from flags or DYNAMICS_SIM_*
 * variables:
 *
 *   npx tsx simulators/dynamics/bin.ts --scale=2200000 --seed=7 --requests-per-window=0
 *
 * It prints one JSON line `{"baseUrl":…,"tenantId":…,"clientId":…,"clientSecret":…,"pid":…}` once it
 * listens (see kit/serve-simulator-process.ts for how it stops).
 */
import { z } from 'zod';
import { serveSimulatorProcess } from '../kit/serve-simulator-process.js';
import { commonSimulatorFlags, countFlag, readSimulatorFlags } from '../kit/simulator-flags.js';
import { type DynamicsSimulatorOptions, startDynamicsSimulator } from './start-dynamics-simulator.js';

const flags = {
  ...commonSimulatorFlags,
  tenantId: z.string().min(1),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  requestsPerWindow: countFlag,
  executionMsPerWindow: countFlag,
  concurrentRequests: countFlag,
  dailyEntitlement: countFlag,
  responseDelayMs: countFlag,
  expireChangeTrackingInDays: z.coerce.number().positive(),
} satisfies Partial<Record<keyof DynamicsSimulatorOptions, z.ZodType>>;

const sim = await startDynamicsSimulator(
  readSimulatorFlags(flags, 'DYNAMICS_SIM', process.argv.slice(2), process.env),
);
serveSimulatorProcess(sim, {
  baseUrl: sim.baseUrl,
  tenantId: sim.tenantId,
  clientId: sim.clientId,
  clientSecret: sim.clientSecret,
});
