import { loadavg } from 'node:os';
import { ActiveCampaignSourceSchema } from '../connectors/activecampaign/activecampaign-config.js';
import { createActiveCampaignSource } from '../connectors/activecampaign/activecampaign-source.js';
import { runExtract } from '../extract/run-extract.js';
import { openDuckdbWarehouse } from '../load/duckdb/duckdb-warehouse.js';
import { MemoryLogger } from '../log/console-logger.js';
import { SimControlClient } from '../simulators/kit/sim-client.js';
import { printResult, startSimProcess, stopSimProcess } from './reverse-bench-kit.js';

/**
 * First load of ActiveCampaign contacts (custom field values pivoted) into DuckDB, against the
 * simulator in its own process enforcing the account's 5 requests per second (429 with Retry-After
 * beyond it, and a 503 for one over-limit request in ten, as older clients saw).
 *
 *   npx tsx bench/activecampaign-extract.bench.ts [contacts=100000]
 *
 * The walk costs one request per 100 contacts (`id_greater`) plus one per 95 custom values (the
 * overlapping scan of /fieldValues, ~1.8 values a contact): at 5 a second the least it can take is
 * requests / 5 s. "share of the ceiling" = requests per second achieved / 5.
 */
const CONTACTS = Number(process.argv[2] ?? 100_000);
const LIMIT = 5;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const loadBefore = load();
const { child, info } = await startSimProcess<{ baseUrl: string; apiToken: string; contacts: number }>(
  'simulators/activecampaign/bin.ts',
  ['--seed=3', `--scale=${Math.ceil(CONTACTS / 0.5)}`, '--share=0.5', `--rate-limit=${LIMIT}`],
);
try {
  const control = new SimControlClient(info.baseUrl);
  const warehouse = await openDuckdbWarehouse({ path: ':memory:' });
  await warehouse.init();
  const config = ActiveCampaignSourceSchema.parse({
    kind: 'activecampaign',
    accountUrl: 'https://bench.api-us1.com',
    apiTokenEnv: 'T',
    streams: ['contacts'],
  });
  const source = createActiveCampaignSource(config, {
    env: { T: info.apiToken },
    baseUrl: info.baseUrl,
    log: new MemoryLogger(),
  });
  const stream = source.streams()[0]!;
  await control.resetStats();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const summary = await runExtract({
    runId: 'bench',
    warehouse,
    plan: [{ source, stream, startDate: null, fullRefresh: false }],
    concurrency: 1,
    checkpointEvery: 50_000,
    log: new MemoryLogger(),
    progress: { page: () => {} },
  });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const stats = await control.stats();
  const outcome = summary.outcomes[0]!;
  if (outcome.status !== 'ok') throw new Error(`${outcome.error?.code}: ${outcome.error?.message}`);
  printResult({
    contacts: info.contacts,
    loaded: outcome.records,
    'contact pages': stats.byEndpoint['GET /api/3/contacts'] ?? 0,
    'custom value pages': stats.byEndpoint['GET /api/3/fieldValues'] ?? 0,
    'all requests': stats.total,
    '429 / 503 answers': `${stats.byStatus['429'] ?? 0} / ${stats.byStatus['503'] ?? 0}`,
    seconds: seconds.toFixed(1),
    'least the limit allows': `${(stats.total / LIMIT).toFixed(1)} s`,
    'share of the ceiling': `${((100 * stats.total) / seconds / LIMIT).toFixed(1)} % of ${LIMIT} requests/s`,
    'contacts/s': Math.round(outcome.records / seconds),
    'CPU-seconds (loading process)': ((used.user + used.system) / 1e6).toFixed(1),
    'peak RSS (loading process)': `${Math.round((process.resourceUsage().maxRSS * 1024) / 1024 / 1024)} MiB`,
    'load average before / after': `${loadBefore} / ${load()} (2 cores)`,
  });
  await warehouse.close();
} finally {
  await stopSimProcess(child);
}
