import { HubspotSourceSchema } from '../connectors/hubspot/hubspot-config.js';
import { hubspotClientFor } from '../connectors/hubspot/hubspot-connection.js';
import { HubspotDestination } from '../connectors/hubspot/hubspot-destination.js';
import { SimControlClient } from '../simulators/kit/sim-client.js';
import {
  fastestUnderLimit,
  liveIds,
  printResult,
  pushScores,
  rss,
  scoresWarehouse,
  startSimProcess,
  stopSimProcess,
} from './reverse-bench-kit.js';

/**
 * Reverse ETL to the HubSpot simulator (in its own process): N changed contacts pushed with
 * batch/update, 100 per call, under HubSpot's Professional/Enterprise burst limit of 190 requests per
 * rolling 10 s, which the simulator enforces (429 beyond it) and Tide paces itself to.
 *
 *   npx tsx bench/reverse-hubspot.bench.ts [records=100000]
 *
 * "share of the limit" = requests per second achieved (every request of the run: the properties
 * check and each batch) / 19 per second allowed; a rolling window lets a run start with a full burst,
 * so short runs can exceed 100 %. "pace vs the limit" compares the time taken with the least time the
 * window allows for that many requests.
 */
const TOTAL = Number(process.argv[2] ?? 100_000);
const BURST = 190;
const WINDOW_S = 10;

// HubSpot holds ~90% of the universe as contacts, a few of them archived.
const { child, info } = await startSimProcess<{ baseUrl: string; token: string }>(
  'simulators/hubspot/bin.ts',
  ['--seed=3', `--scale=${Math.ceil(TOTAL / 0.85)}`, `--burst-limit=${BURST}`, '--search-per-second=0'],
);
try {
  const control = new SimControlClient(info.baseUrl);
  const ids = await liveIds(info.baseUrl, 'contacts', TOTAL, (c) =>
    c.archived === true ? null : String(c.id),
  );
  if (ids.length < TOTAL) throw new Error(`the simulator has only ${ids.length} live contacts`);
  const warehouse = await scoresWarehouse(ids.map((id, i) => ({ id, score: (i * 7) % 100 })));
  const config = HubspotSourceSchema.parse({
    kind: 'hubspot',
    name: 'hubspot',
    tokenEnv: 'T',
    burstLimit: BURST,
  });
  const client = hubspotClientFor(config, { env: { T: info.token }, baseUrl: info.baseUrl });
  const destination = new HubspotDestination('hubspot', client);
  await control.resetStats();

  const { report, seconds } = await pushScores(warehouse, destination, {
    to: { crm: 'hubspot', object: 'contacts' },
    fields: { score: 'tide_score' },
  });
  const stats = await control.stats();
  printResult({
    records: TOTAL,
    written: report.counts?.written ?? 0,
    rejected: (report.counts?.rejected ?? 0) + (report.counts?.invalid ?? 0),
    'batch/update calls': stats.byEndpoint['POST /crm/v3/objects/contacts/batch/update'] ?? 0,
    'all requests': stats.total,
    '429 answers': stats.byStatus['429'] ?? 0,
    seconds: seconds.toFixed(1),
    'records/s': Math.round(TOTAL / seconds),
    'share of the limit': `${((100 * stats.total) / seconds / (BURST / WINDOW_S)).toFixed(1)} % (requests/s ÷ 19/s)`,
    'pace vs the limit': `${((100 * fastestUnderLimit(stats.total, BURST, WINDOW_S)) / seconds).toFixed(1)} % (${fastestUnderLimit(stats.total, BURST, WINDOW_S)} s is the least the limit allows)`,
    'rss (pushing process)': rss(),
  });
  if (report.error) throw new Error(`${report.error.code}: ${report.error.message}`);
  await warehouse.close();
} finally {
  await stopSimProcess(child);
}
