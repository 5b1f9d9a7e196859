import { parseArgs } from 'node:util';
import { serveSimulatorProcess } from '../kit/serve-simulator-process.js';
import { startSalesforceSimulator } from './start-salesforce-simulator.js';

/**
 * Runs the Salesforce simulator as its own process (benchmarks measure the extracting process alone):
 *
 *   node --import tsx simulators/salesforce/bin.ts --scale 1000000
 *
 * Prints one JSON line `{"baseUrl":…,"clientId":…,"clientSecret":…,"refreshToken":…,"pid":…}` once it
 * listens (see kit/serve-simulator-process.ts for how it stops).
 */
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '42' },
    scale: { type: 'string', default: '5000' },
    port: { type: 'string' },
    mutations: { type: 'string', default: '0' },
    'daily-api-limit': { type: 'string' },
    'bulk-page-size': { type: 'string' },
  },
});

const sim = await startSalesforceSimulator({
  seed: Number(values.seed),
  scale: Number(values.scale),
  mutationsPerStart: Number(values.mutations),
  ...(values.port === undefined ? {} : { port: Number(values.port) }),
  ...(values['daily-api-limit'] === undefined ? {} : { dailyApiLimit: Number(values['daily-api-limit']) }),
  settings:
    values['bulk-page-size'] === undefined ? {} : { bulkResultsPageSize: Number(values['bulk-page-size']) },
});
serveSimulatorProcess(sim, {
  baseUrl: sim.baseUrl,
  clientId: sim.clientId,
  clientSecret: sim.clientSecret,
  refreshToken: sim.refreshToken,
});
