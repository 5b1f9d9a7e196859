import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { HubspotSourceSchema } from '../crm/hubspot/hubspot-config.js';
import { createHubspotSource } from '../extract/hubspot/hubspot-source.js';
import { runExtract } from '../extract/run-extract.js';
import { CountingRequestLog } from '../http/request-log.js';
import { openDuckdbWarehouse } from '../load/duckdb/duckdb-warehouse.js';
import { MemoryLogger } from '../log/console-logger.js';

/**
 * HubSpot → DuckDB, first load of contacts then an incremental run after 1,000 changes, with the
 * simulator in its own process (its memory is not ours). Usage:
 *   npx tsx bench/hubspot-extract.bench.ts [scale ...]      (default: 100000 1000000)
 * `scale` is the simulator's shared population; HubSpot holds about 93% of it as contacts.
 */
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
  const warehouse = await openDuckdbWarehouse({ path: join(dir, 'bench.duckdb') });
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
    const records = summary.outcomes.reduce((n, o) => n + o.records, 0);
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
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
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
