import { parseArgs } from 'node:util';
import { startSalesforceSimulator } from './start-salesforce-simulator.js';

/**
 * Runs the Salesforce simulator as its own process (benchmarks measure the extracting process alone):
 *
 *   node --import tsx simulators/salesforce/salesforce-sim-bin.ts --scale 1000000
 *
 * Prints one JSON line `{"baseUrl":…,"clientId":…,"clientSecret":…,"refreshToken":…}` on stdout once
 * it listens, and exits on SIGTERM, SIGINT or when stdin closes (its parent went away).
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
process.stdout.write(
  `${JSON.stringify({
    baseUrl: sim.baseUrl,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    refreshToken: sim.refreshToken,
  })}\n`,
);

const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
