import { HubspotSourceSchema } from '../connectors/hubspot/hubspot-config.js';
import { hubspotClientFor } from '../connectors/hubspot/hubspot-connection.js';
import { HubspotDestination } from '../connectors/hubspot/hubspot-destination.js';
import { createHubspotSource } from '../connectors/hubspot/hubspot-source.js';
import { runExtract } from '../extract/run-extract.js';
import { rawTableName } from '../load/warehouse.js';
import { MemoryLogger } from '../log/console-logger.js';
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
 * What conflict detection (issue 20) costs a push of N changed, previously pushed scores to the
 * HubSpot simulator (in its own process, 190 requests per rolling 10 s): read back from the CRM (one
 * batch/read per 100 records, `tide reverse` alone) against compared with the raw table `tide run`'s
 * extract just loaded (no read). A first push (nothing to compare) is the baseline.
 *
 *   npx tsx bench/reverse-conflicts.bench.ts [records=10000]
 */
const TOTAL = Number(process.argv[2] ?? 10_000);
const BURST = 190;
const pause = (): Promise<void> => new Promise((r) => setTimeout(r, 10_500)); // an empty window

const { child, info } = await startSimProcess<{ baseUrl: string; token: string }>(
  'simulators/hubspot/bin.ts',
  ['--seed=3', `--scale=${Math.ceil(TOTAL / 0.85)}`, `--burst-limit=${BURST}`, '--search-per-second=0'],
);
try {
  const control = new SimControlClient(info.baseUrl);
  const ids = await liveIds(info.baseUrl, 'contacts', TOTAL, (c) =>
    c.archived === true ? null : String(c.id),
  );
  const warehouse = await scoresWarehouse(ids.map((id, i) => ({ id, score: (i * 7) % 100 })));
  const config = HubspotSourceSchema.parse({
    kind: 'hubspot',
    name: 'hubspot',
    tokenEnv: 'T',
    burstLimit: BURST,
    streams: ['contacts'],
  });
  const deps = { env: { T: info.token }, baseUrl: info.baseUrl };
  const destination = new HubspotDestination('hubspot', hubspotClientFor(config, deps));
  const sync = { to: { crm: 'hubspot', object: 'contacts' }, fields: { score: 'tide_score' } };
  const rescore = (): Promise<void> =>
    warehouse.execute('UPDATE analytics.customer_scores SET score = (score + 1) % 100');
  const phase = async (name: string, raw: Parameters<typeof pushScores>[3] = null) => {
    await control.resetStats();
    const { report, seconds } = await pushScores(warehouse, destination, sync, raw);
    if (report.error) throw new Error(`${report.error.code}: ${report.error.message}`);
    const stats = await control.stats();
    const reads = stats.byEndpoint['POST /crm/v3/objects/contacts/batch/read'] ?? 0;
    const writes = stats.byEndpoint['POST /crm/v3/objects/contacts/batch/update'] ?? 0;
    const c = report.conflicts?.stats;
    const line = `${report.counts?.written} written, ${writes} writes + ${reads} reads (${stats.total} requests), ${seconds.toFixed(1)} s, conflicts ${c ? c.report + c.keepCrm + c.overwrite : '-'}`;
    return { line: { [name]: line }, seconds };
  };

  const first = await phase('first push (no comparison)');
  await rescore();
  await pause();
  const readBack = await phase('changed, read back');
  const source = createHubspotSource(config, { ...deps, log: new MemoryLogger() });
  const stream = source.streams()[0]!;
  await pause();
  const started = performance.now();
  await runExtract({
    runId: 'bench-extract',
    warehouse,
    plan: [{ source, stream, startDate: null, fullRefresh: false }],
    concurrency: 1,
    checkpointEvery: 10_000,
    log: new MemoryLogger(),
    progress: { page: () => {} },
  });
  const extractSeconds = (performance.now() - started) / 1000;
  await rescore();
  await pause();
  const fromRaw = await phase('changed, from the raw table', {
    relation: `raw.${rawTableName('hubspot', stream.name)}`,
    columns: await stream.columns(),
  });
  printResult({
    records: TOTAL,
    ...first.line,
    ...readBack.line,
    '(extract of contacts, which tide run does anyway)': `${extractSeconds.toFixed(1)} s`,
    ...fromRaw.line,
    'read back / raw table': `${(readBack.seconds / fromRaw.seconds).toFixed(2)}x the time`,
  });
  await warehouse.close();
} finally {
  await stopSimProcess(child);
}
