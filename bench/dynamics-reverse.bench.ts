import { CrmConnections } from '../connectors/connections.js';
import { type DynamicsSourceConfig, DynamicsSourceSchema } from '../connectors/dynamics/dynamics-config.js';
import { dynamicsConnectionFor } from '../connectors/dynamics/dynamics-connection.js';
import { DynamicsDestination } from '../connectors/dynamics/dynamics-destination.js';
import { planSeed } from '../simulators/dynamics/dynamics-seed.js';
import { SimControlClient } from '../simulators/kit/sim-client.js';
import {
  liveIds,
  printResult,
  pushScores,
  rss,
  scoresWarehouse,
  startSimProcess,
  stopSimProcess,
} from './reverse-bench-kit.js';

/**
 * Reverse ETL to the Dynamics 365 simulator (in its own process): N changed scores pushed to
 * contacts, once as one `$batch` of 100 PATCHes per call (continue-on-error, 4 calls in flight) and
 * once as one PATCH per record (16 in flight): N records with Dataverse's default service protection
 * limits (6,000 requests / 300 s per user), and min(N, 5,000) with the limits off, runs interleaved:
 *
 *   npx tsx bench/dynamics-reverse.bench.ts [records=10000]
 *
 * Every run pushes a new score to the same N contacts, so each run writes all of them. Reported:
 * write requests, all requests, seconds, records/s, 429s seen.
 */
const TOTAL = Number(process.argv[2] ?? 10_000);
const SEED = 5;

interface SimInfo {
  readonly baseUrl: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

let scale = Math.ceil((TOTAL * 1.3) / 0.45);
while (planSeed(SEED, scale).contacts.length < TOTAL * 1.1) scale += 1000;
const { child, info } = await startSimProcess<SimInfo>('simulators/dynamics/bin.ts', [
  `--seed=${SEED}`,
  `--scale=${scale}`,
]);
try {
  const control = new SimControlClient(info.baseUrl);
  const ids = await liveIds(info.baseUrl, 'contacts', TOTAL, (c) =>
    c.deleted === true ? null : String(c.id),
  );
  if (ids.length < TOTAL) throw new Error(`the simulator has only ${ids.length} live contacts`);

  // Without limits, N/2 records: Tide's own request window (at most Dataverse's 6,000 per 300 s)
  // must not bind either, so those two runs show the protocol's cost alone.
  const runs: readonly { mode: DynamicsSourceConfig['writeMode']; limits: boolean; n: number }[] = [
    { mode: 'batch', limits: false, n: Math.min(TOTAL, 5000) },
    { mode: 'parallel', limits: false, n: Math.min(TOTAL, 5000) },
    { mode: 'batch', limits: true, n: TOTAL },
    { mode: 'parallel', limits: true, n: TOTAL },
  ];
  for (const [round, run] of runs.entries()) {
    await control.configure(
      run.limits
        ? { requestsPerWindow: 6000, executionMsPerWindow: 1_200_000, concurrentRequests: 52 }
        : { requestsPerWindow: 0, executionMsPerWindow: 0, concurrentRequests: 0 },
    );
    const warehouse = await scoresWarehouse(
      ids.slice(0, run.n).map((id, i) => ({ id, score: (i * 7 + round) % 100 })),
    );
    const config = DynamicsSourceSchema.parse({
      kind: 'dynamics',
      environmentUrl: 'https://bench.crm.dynamics.com',
      tenantId: info.tenantId,
      clientIdEnv: 'ID',
      clientSecretEnv: 'SECRET',
      writeMode: run.mode,
    });
    // A fresh session per run: each starts with an empty request window, as a new process would.
    const connection = dynamicsConnectionFor(config, {
      env: { ID: info.clientId, SECRET: info.clientSecret },
      baseUrl: info.baseUrl,
      connections: new CrmConnections(),
    });
    const destination = new DynamicsDestination('dynamics', connection, {
      mode: config.writeMode,
      concurrency: config.writeConcurrency,
    });
    await control.resetStats();
    const { report, seconds } = await pushScores(warehouse, destination, {
      to: { crm: 'dynamics', object: 'contacts' },
      fields: { score: 'tide_score' },
    });
    const stats = await control.stats();
    const writes =
      (stats.byEndpoint['POST /api/data/v9.2/$batch'] ?? 0) +
      (stats.byEndpoint['PATCH /api/data/v9.2/contacts({key})'] ?? 0);
    printResult({
      run: `${run.mode}, ${run.n.toLocaleString()} records, service protection ${run.limits ? 'on (6,000 / 300 s)' : 'off'}`,
      written: report.counts?.written ?? 0,
      rejected: (report.counts?.rejected ?? 0) + (report.counts?.invalid ?? 0),
      'write requests': writes,
      'all requests': stats.total,
      '429s': stats.byStatus['429'] ?? 0,
      seconds: seconds.toFixed(1),
      'records/s': Math.round(run.n / seconds),
      'rss (pushing process)': rss(),
    });
    process.stdout.write('\n');
    if (report.error) throw new Error(`${report.error.code}: ${report.error.message}`);
    await warehouse.close();
  }
} finally {
  await stopSimProcess(child);
}
