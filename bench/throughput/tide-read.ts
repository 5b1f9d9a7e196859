import { CountingRequestLog } from '../../core/request-log.js';
import { MemoryLogger } from '../../log/console-logger.js';
import { report } from './bench-kit.js';
import { type BenchSourceArgs, benchHubspotSource } from './hubspot-bench-source.js';

/**
 * Tide's HubSpot connector alone: the stream's records fetched, validated and typed exactly as
 * `tide extract` reads them, then dropped — no warehouse. Beside tide-extract.ts it splits Tide's
 * cost into reading and loading. Child process: argv[2] = {"baseUrl","token","streams"?,"source"?}.
 */
const args = JSON.parse(process.argv[2]!) as BenchSourceArgs;
const started = performance.now();
const log = new MemoryLogger();
const { source } = benchHubspotSource(args, { requestLog: new CountingRequestLog(), log });
let records = 0;
for (const stream of source.streams()) {
  await stream.columns();
  const batches = stream.read({
    cursor: null,
    fullRefresh: false,
    startDate: null,
    runStartedAt: new Date(),
    signal: new AbortController().signal,
    progress: { page: () => {} },
    log,
  });
  for await (const batch of batches) records += batch.records.length;
}
report(started, records);
