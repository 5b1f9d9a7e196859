import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { HubspotSourceSchema } from '../connectors/hubspot/hubspot-config.js';
import { createHubspotSource } from '../connectors/hubspot/hubspot-source.js';
import { CountingRequestLog } from '../core/request-log.js';
import { runExtract } from '../extract/run-extract.js';
import { openDuckdbWarehouse } from '../load/duckdb/duckdb-warehouse.js';
import { MemoryLogger } from '../log/console-logger.js';

/**
 * HubSpot → DuckDB, first load of contacts then an incremental run after 1,000 changes, with the
 * simulator in its own process (its memory is not ours). Usage:
 *   npx tsx bench/hubspot-extract.bench.ts [scale ...]      (default: 100000 1000000)
 * `scale` is the simulator's shared population; HubSpot holds about 93% of it as contacts.
 */
/** TIDE_BENCH_LOAD_MEMORY_LIMIT=1GB compares with the warehouse's default load memory limit. */
const LOAD_MEMORY_LIMIT = process.env.TIDE_BENCH_LOAD_MEMORY_LIMIT;
const Started = z.object({ baseUrl: z.string(), token: z.string() });

async function startSim(scale: number) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'simulators/hubspot/bin.ts',
      `--scale=${scale}`,
      '--burst-limit=0',
      '--search-per-second=0',
      '--mutations-per-start=0',
    ],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited ${code}`)));
  });
  return { ...Started.parse(JSON.parse(line)), stop: () => child.kill('SIGTERM') };
}

async function once(scale: number): Promise<void> {
  const sim = await startSim(scale);
  const dir = mkdtempSync(join(tmpdir(), 'tide-bench-hs-'));
  const warehouse = await openDuckdbWarehouse({
    path: join(dir, 'bench.duckdb'),
    ...(LOAD_MEMORY_LIMIT === undefined ? {} : { loadMemoryLimit: LOAD_MEMORY_LIMIT }),
  });
  await warehouse.init();
  const requests = new CountingRequestLog();
  const config = HubspotSourceSchema.parse({
    kind: 'hubspot',
    tokenEnv: 'T',
    streams: ['contacts'],
    burstLimit: 1_000_000,
    searchPerSecond: 1_000_000,
    overlapMinutes: 0,
  });
  const source = createHubspotSource(config, {
    env: { T: sim.token },
    requestLog: requests,
    log: new MemoryLogger(),
    baseUrl: sim.baseUrl,
  });
  const plan = source.streams().map((stream) => ({ source, stream, startDate: null, fullRefresh: false }));
  const run = async (label: string) => {
    const before = requests.total();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const summary = await runExtract({
      runId: label,
      warehouse,
      plan,
      concurrency: 1,
      checkpointEvery: 50_000,
      log: new MemoryLogger(),
      progress: { page: () => {} },
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const records = summary.outcomes.reduce((n, o) => n + o.records, 0);
    // What DuckDB's buffer pool holds now vs the V8 heap: the rest of the RSS is neither.
    let duckdbMiB = 0;
    for await (const row of warehouse.query(
      'SELECT sum(memory_usage_bytes)::DOUBLE AS b FROM duckdb_memory()',
    ))
      duckdbMiB = Math.round(Number(row.b) / 1048576);
    console.log(
      JSON.stringify({
        bench: 'hubspot→duckdb',
        scale,
        run: label,
        status: summary.status,
        errors: summary.outcomes.flatMap((o) => (o.error ? [o.error] : [])),
        records,
        seconds: +seconds.toFixed(1),
        recordsPerSecond: Math.round(records / seconds),
        apiCalls: requests.total() - before,
        cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
        endRssMiB: Math.round(process.memoryUsage().rss / 1048576),
        endDuckdbBufferMiB: duckdbMiB,
        endV8HeapMiB: Math.round(process.memoryUsage().heapUsed / 1048576),
        loadAverage: loadavg().map((l) => +l.toFixed(2)),
      }),
    );
  };
  await run('first load (list API)');
  await fetch(`${sim.baseUrl}/_sim/clock/advance`, { method: 'POST', body: JSON.stringify({ ms: 60_000 }) });
  await fetch(`${sim.baseUrl}/_sim/mutate`, {
    method: 'POST',
    body: JSON.stringify({ object: 'contacts', update: 1_000 }),
  });
  await run('incremental after 1,000 changes (search API)');
  await warehouse.close();
  sim.stop();
  rmSync(dir, { recursive: true, force: true });
}

const scales = process.argv.slice(2).map(Number);
for (const scale of scales.length > 0 ? scales : [100_000, 1_000_000]) await once(scale);
