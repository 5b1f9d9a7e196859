import { CountingRequestLog } from '../../core/request-log.js';
import { runExtract } from '../../extract/run-extract.js';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import { MemoryLogger } from '../../log/console-logger.js';
import { report } from './bench-kit.js';
import { type BenchSourceArgs, benchHubspotSource } from './hubspot-bench-source.js';

/**
 * Tide's extract of a HubSpot portal into a DuckDB file, as `tide extract` runs it (one source, its
 * streams `concurrency` at a time, packages of 50,000). Run again on the same file it is the next
 * (incremental) run. Child process: argv[2] = {"baseUrl","token","db","streams"?,"burstLimit"?,
 * "searchPerSecond"?, "source"?: config overrides}.
 */
const args = JSON.parse(process.argv[2]!) as BenchSourceArgs & { db: string };
const started = performance.now();
const warehouse = await openDuckdbWarehouse({ path: args.db });
await warehouse.init();
const requests = new CountingRequestLog();
const log = new MemoryLogger();
const { source, concurrency } = benchHubspotSource(args, { requestLog: requests, log });
const summary = await runExtract({
  runId: `bench-${Date.now()}`,
  warehouse,
  plan: source.streams().map((stream) => ({ source, stream, startDate: null, fullRefresh: false })),
  concurrency,
  checkpointEvery: 50_000,
  log,
  progress: { page: () => {} },
});
await warehouse.close();
const records = summary.outcomes.reduce((n, o) => n + o.records, 0);
report(started, records, {
  status: summary.status,
  errors: summary.outcomes.flatMap((o) => (o.error ? [`${o.stream}: ${o.error.message}`] : [])),
  byStream: Object.fromEntries(summary.outcomes.map((o) => [o.stream, o.records])),
  requests: requests.total(),
});
