import { SalesforceSourceSchema } from '../connectors/salesforce/salesforce-config.js';
import { salesforceConnectionFor } from '../connectors/salesforce/salesforce-connection.js';
import { SalesforceDestination } from '../connectors/salesforce/salesforce-destination.js';
import { SimControlClient } from '../simulators/kit/sim-client.js';
import {
  liveIds,
  printResult,
  pushScores,
  rss,
  scoresWarehouse,
  startSimProcess,
  stopSimProcess,
  TimedDestination,
} from './reverse-bench-kit.js';

/**
 * Reverse ETL to the Salesforce simulator (in its own process): N changed Contacts pushed with sObject
 * Collections update (`PATCH /composite/sobjects`, 100 per call, allOrNone false).
 *
 *   npx tsx bench/reverse-salesforce.bench.ts [records=100000]
 *
 * Salesforce has no per-second window: an org is limited by requests in flight (Tide's default 4 per
 * org, shared with extraction) and by a daily allowance. "share of the limit" is the share of the
 * run during which all 4 request slots were busy (time inside write calls / (elapsed × 4)); the daily
 * allowance used is reported beside it.
 */
const TOTAL = Number(process.argv[2] ?? 100_000);
const DAILY = 1_000_000;

// Salesforce holds ~60% of the universe as Contacts, a few of them deleted.
const { child, info } = await startSimProcess<{ baseUrl: string; clientId: string; clientSecret: string }>(
  'simulators/salesforce/bin.ts',
  ['--seed=3', `--scale=${Math.ceil(TOTAL / 0.55)}`, `--daily-api-limit=${DAILY}`],
);
try {
  const control = new SimControlClient(info.baseUrl);
  const ids = await liveIds(info.baseUrl, 'Contact', TOTAL, (c) =>
    c.IsDeleted === true ? null : String(c.Id),
  );
  if (ids.length < TOTAL) throw new Error(`the simulator has only ${ids.length} live contacts`);
  const warehouse = await scoresWarehouse(ids.map((id, i) => ({ id, score: ((i * 7) % 100) + 0.5 })));
  const config = SalesforceSourceSchema.parse({
    kind: 'salesforce',
    name: 'salesforce',
    clientIdEnv: 'ID',
    clientSecretEnv: 'SECRET',
  });
  const connection = salesforceConnectionFor(config, {
    env: { ID: info.clientId, SECRET: info.clientSecret },
    baseUrl: info.baseUrl,
  });
  const destination = new TimedDestination(new SalesforceDestination('salesforce', connection));
  await control.resetStats();

  const { report, seconds } = await pushScores(warehouse, destination, {
    to: { crm: 'salesforce', object: 'Contact' },
    fields: { score: 'Tide_Score__c' },
    concurrency: config.concurrency,
  });
  const stats = await control.stats();
  const calls = stats.byEndpoint['PATCH /services/data/v62.0/composite/sobjects'] ?? 0;
  printResult({
    records: TOTAL,
    written: report.counts?.written ?? 0,
    rejected: (report.counts?.rejected ?? 0) + (report.counts?.invalid ?? 0),
    'collections calls': calls,
    'all requests': stats.total,
    seconds: seconds.toFixed(1),
    'records/s': Math.round(TOTAL / seconds),
    'share of the limit': `${((100 * destination.busyMs) / (seconds * 1000 * config.concurrency)).toFixed(1)} % of ${config.concurrency} slots`,
    'daily allowance used': `${((100 * stats.total) / DAILY).toFixed(2)} % of ${DAILY}`,
    'rss (pushing process)': rss(),
  });
  if (report.error) throw new Error(`${report.error.code}: ${report.error.message}`);
  await warehouse.close();
} finally {
  await stopSimProcess(child);
}
