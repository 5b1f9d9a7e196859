/**
 * Runs the Salesforce simulator as its own process. Options come from flags or SALESFORCE_SIM_*
 * variables (benchmarks measure the extracting process alone):
 *
 *   npx tsx simulators/salesforce/bin.ts --scale=1000000 --seed=42 --daily-api-limit=10000000
 *
 * It prints one JSON line `{"baseUrl":…,"clientId":…,"clientSecret":…,"refreshToken":…,"pid":…}` once
 * it listens (see kit/serve-simulator-process.ts for how it stops).
 */
import { z } from 'zod';
import { serveSimulatorProcess } from '../kit/serve-simulator-process.js';
import { commonSimulatorFlags, countFlag, readSimulatorFlags } from '../kit/simulator-flags.js';
import { startSalesforceSimulator } from './start-salesforce-simulator.js';

const flags = {
  ...commonSimulatorFlags,
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  dailyApiLimit: z.coerce.number().int().positive(),
  /** Rows per Bulk API results page when the client sends no maxRecords (an org setting). */
  bulkResultsPageSize: countFlag,
};

const { bulkResultsPageSize, ...options } = readSimulatorFlags(
  flags,
  'SALESFORCE_SIM',
  process.argv.slice(2),
  process.env,
);
const sim = await startSalesforceSimulator({
  ...options,
  settings: bulkResultsPageSize === undefined ? {} : { bulkResultsPageSize },
});
serveSimulatorProcess(sim, {
  baseUrl: sim.baseUrl,
  clientId: sim.clientId,
  clientSecret: sim.clientSecret,
  refreshToken: sim.refreshToken,
});
