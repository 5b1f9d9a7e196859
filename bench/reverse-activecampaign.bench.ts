import { loadavg } from 'node:os';
import { ActiveCampaignSourceSchema } from '../connectors/activecampaign/activecampaign-config.js';
import { activeCampaignClientFor } from '../connectors/activecampaign/activecampaign-connection.js';
import { ActiveCampaignDestination } from '../connectors/activecampaign/activecampaign-destination.js';
import { SimControlClient } from '../simulators/kit/sim-client.js';
import {
  liveIds,
  printResult,
  pushScores,
  scoresWarehouse,
  startSimProcess,
  stopSimProcess,
} from './reverse-bench-kit.js';

/**
 * Reverse ETL to the ActiveCampaign simulator (in its own process, 5 requests per second): N changed
 * scores pushed three ways, one after another in one run on the same account:
 *
 *  - update by id: one `PUT /contacts/{id}` per record (the demo's sync);
 *  - upsert by email through `POST /contact/sync`, one per record;
 *  - upsert by email through bulk import: one import per batch of 100, polled on /import/info, its
 *    results resolved to contact ids with one `GET /contacts?ids[]=…` per 100.
 *
 *   npx tsx bench/reverse-activecampaign.bench.ts [records=1000]
 */
const TOTAL = Number(process.argv[2] ?? 1000);
const LIMIT = 5;

const { child, info } = await startSimProcess<{ baseUrl: string; apiToken: string }>(
  'simulators/activecampaign/bin.ts',
  ['--seed=3', `--scale=${Math.ceil((TOTAL * 2) / 0.5)}`, '--share=0.5', `--rate-limit=${LIMIT}`],
);
try {
  const control = new SimControlClient(info.baseUrl);
  const contacts = await liveIds(
    info.baseUrl,
    'contacts',
    TOTAL * 2,
    (c) => `${String(c['id'])} ${String(c['email'])}`,
  );
  const config = ActiveCampaignSourceSchema.parse({
    kind: 'activecampaign',
    accountUrl: 'https://bench.api-us1.com',
    apiTokenEnv: 'T',
  });
  const client = activeCampaignClientFor(config, { env: { T: info.apiToken }, baseUrl: info.baseUrl });
  const runs = [
    { name: 'update by id (PUT each)', match: 'id', bulk: 0 },
    { name: 'upsert by email (contact/sync each)', match: 'email', bulk: 0 },
    { name: 'upsert by email (bulk import)', match: 'email', bulk: 10 },
  ] as const;
  for (const [i, run] of runs.entries()) {
    // Each way gets its own contacts (the first two share none), so each push changes every record.
    const slice = contacts.slice(
      run.match === 'id' ? 0 : TOTAL * (i - 1),
      run.match === 'id' ? TOTAL : TOTAL * i,
    );
    const warehouse = await scoresWarehouse(
      slice.map((line, n) => {
        const [id, email] = line.split(' ');
        return { id: run.match === 'id' ? id! : email!.toLowerCase(), score: ((n * 7) % 100) + i };
      }),
    );
    const destination = new ActiveCampaignDestination('activecampaign', client, { bulkImportMin: run.bulk });
    const loadBefore = loadavg()[0]!.toFixed(2);
    await control.resetStats();
    const { report, seconds } = await pushScores(warehouse, destination, {
      to: { crm: 'activecampaign', object: 'contacts' },
      match: run.match === 'id' ? { by: 'id', column: 'crm_id' } : { by: 'email', column: 'crm_id' },
      ...(run.match === 'email' ? { mode: 'upsert' as const } : {}),
      fields: { score: 'Tide Score' },
    });
    const stats = await control.stats();
    process.stdout.write(`\n-- ${run.name}\n`);
    printResult({
      records: slice.length,
      written: report.counts?.written ?? 0,
      rejected: (report.counts?.rejected ?? 0) + (report.counts?.invalid ?? 0),
      'write requests': stats.writes,
      'all requests': stats.total,
      '429 / 503 answers': `${stats.byStatus['429'] ?? 0} / ${stats.byStatus['503'] ?? 0}`,
      seconds: seconds.toFixed(1),
      'records/s': Math.round(slice.length / seconds),
      'share of the ceiling': `${((100 * stats.total) / seconds / LIMIT).toFixed(1)} % of ${LIMIT} requests/s`,
      'load average before / after (1 min)': `${loadBefore} / ${loadavg()[0]!.toFixed(2)} (2 cores)`,
    });
    if (report.error) throw new Error(`${report.error.code}: ${report.error.message}`);
    await warehouse.close();
  }
} finally {
  await stopSimProcess(child);
}
