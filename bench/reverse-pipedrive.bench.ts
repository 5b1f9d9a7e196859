import { PipedriveSourceSchema } from '../connectors/pipedrive/pipedrive-config.js';
import { pipedriveClientFor } from '../connectors/pipedrive/pipedrive-connection.js';
import { PipedriveDestination } from '../connectors/pipedrive/pipedrive-destination.js';
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
 * Reverse ETL to the Pipedrive simulator (in its own process): N changed persons, one
 * `PATCH /api/v2/persons/{id}` each (Pipedrive has no batch update), paced by the 2-second burst
 * window the simulator enforces (429 beyond it) and announces in x-ratelimit-* headers.
 *
 *   npx tsx bench/reverse-pipedrive.bench.ts [records=100000] [burst per 2 s=480]
 *
 * 480 per 2 s is Pipedrive's Enterprise OAuth limit, the highest plan (api_token plans allow
 * 20–120): 100k PATCHes take at least 100000 / 240 ≈ 417 s there, and proportionally longer on
 * smaller plans. "share of the limit" = requests per second achieved / (burst / 2 s).
 */
const TOTAL = Number(process.argv[2] ?? 100_000);
const BURST = Number(process.argv[3] ?? 480);
const WINDOW_S = 2;

// Pipedrive holds ~35% of the universe as persons.
const { child, info } = await startSimProcess<{ baseUrl: string; apiToken: string }>(
  'simulators/pipedrive/bin.ts',
  ['--seed=3', `--scale=${Math.ceil(TOTAL / 0.3)}`, `--burst-limit=${BURST}`],
);
try {
  const control = new SimControlClient(info.baseUrl);
  const ids = await liveIds(info.baseUrl, 'persons', TOTAL, (p) =>
    p.is_deleted === true ? null : String(p.id),
  );
  if (ids.length < TOTAL) throw new Error(`the simulator has only ${ids.length} live persons`);
  const warehouse = await scoresWarehouse(ids.map((id, i) => ({ id, score: ((i * 7) % 100) + 0.5 })));
  const config = PipedriveSourceSchema.parse({ kind: 'pipedrive', name: 'pipedrive', oauthTokenEnv: 'T' });
  const client = pipedriveClientFor(config, { env: { T: info.apiToken }, baseUrl: info.baseUrl });
  const destination = new PipedriveDestination('pipedrive', client);
  await control.resetStats();

  const { report, seconds } = await pushScores(warehouse, destination, {
    to: { crm: 'pipedrive', object: 'persons' },
    fields: { score: 'Lead score' },
  });
  const stats = await control.stats();
  printResult({
    records: TOTAL,
    written: report.counts?.written ?? 0,
    rejected: (report.counts?.rejected ?? 0) + (report.counts?.invalid ?? 0),
    'PATCH calls': stats.byEndpoint['PATCH /api/v2/persons/{id}'] ?? 0,
    'all requests': stats.total,
    '429 answers': stats.byStatus['429'] ?? 0,
    seconds: seconds.toFixed(1),
    'records/s': Math.round(TOTAL / seconds),
    'share of the limit': `${((100 * stats.total) / seconds / (BURST / WINDOW_S)).toFixed(1)} % of ${BURST} per ${WINDOW_S} s`,
    'pace vs the limit': `${((100 * fastestUnderLimit(stats.total, BURST, WINDOW_S)) / seconds).toFixed(1)} % (${fastestUnderLimit(stats.total, BURST, WINDOW_S)} s is the least the limit allows)`,
    'rss (pushing process)': rss(),
  });
  if (report.error) throw new Error(`${report.error.code}: ${report.error.message}`);
  await warehouse.close();
} finally {
  await stopSimProcess(child);
}
