import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ZohoSourceSchema } from '../connectors/zoho/zoho-config.js';
import { createZohoSource } from '../connectors/zoho/zoho-source.js';
import { CountingRequestLog } from '../core/request-log.js';
import { MemoryLogger } from '../log/console-logger.js';
import { SimControlClient } from '../simulators/kit/sim-client.js';
import { personModule } from '../simulators/zoho/zoho-seed.js';

/**
 * Zoho first load of N Contacts (default 1,000,000), through Bulk Read and through the Records API,
 * against the simulator in its own process (so the figures are the extracting process's alone):
 *
 *   npx tsx bench/zoho-extract.bench.ts [contacts=1000000]
 *
 * Each path runs in a fresh child process reading the Contacts stream as a first load and dropping
 * the records after counting them (the load side has its own benchmark). The Records API path is
 * what `bulkRead: false` does: keyset pages of 200 records. Reported: records/s, API calls, API
 * credits the simulator charged (Records API 1 per call; Bulk Read's own credit price is not in the
 * protocol facts, so the simulator charges 1 per call there too), peak RSS and CPU of the extractor.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

interface SimInfo {
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
}

interface Result {
  readonly path: string;
  readonly records: number;
  readonly seconds: number;
  readonly calls: number;
  readonly callsByEndpoint: Record<string, number>;
  readonly peakRssMiB: number;
  readonly cpuSeconds: number;
}

async function extract(path: 'bulk' | 'records', sim: SimInfo): Promise<Result> {
  const config = ZohoSourceSchema.parse({
    kind: 'zoho',
    clientIdEnv: 'ZOHO_ID',
    clientSecretEnv: 'ZOHO_SECRET',
    refreshTokenEnv: 'ZOHO_REFRESH',
    streams: ['Contacts'],
    bulkRead: path === 'bulk',
    bulkPollMs: 250,
  });
  const requests = new CountingRequestLog();
  const log = new MemoryLogger();
  const source = createZohoSource(config, {
    env: { ZOHO_ID: sim.clientId, ZOHO_SECRET: sim.clientSecret, ZOHO_REFRESH: sim.refreshToken },
    baseUrl: sim.baseUrl,
    requestLog: requests,
    log,
  });
  const stream = source.streams()[0]!;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  let records = 0;
  for await (const batch of stream.read({
    cursor: null,
    fullRefresh: false,
    startDate: null,
    runStartedAt: new Date(Date.now() + 3_600_000),
    signal: new AbortController().signal,
    progress: { page: () => {} },
    log,
  })) {
    records += batch.records.length;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    path,
    records,
    seconds,
    calls: requests.total(),
    callsByEndpoint: Object.fromEntries(requests.rows().map((r) => [`${r.endpoint} ${r.status}`, r.count])),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/** The universe size at which the simulated org holds exactly `contacts` Contacts. */
function universeFor(seed: number, contacts: number): number {
  let held = 0;
  let i = 0;
  for (; held < contacts; i++) if (personModule(seed, i) === 'Contacts') held++;
  return i;
}

async function startSimulator(scale: number): Promise<{ child: ChildProcess; info: SimInfo }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'simulators/zoho/bin.ts'),
      '--seed=42',
      `--scale=${scale}`,
      '--daily-credits=0',
      '--concurrency=0',
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  return { child, info: JSON.parse(line) as SimInfo };
}

async function runChild(args: string[]): Promise<Result> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`benchmark child exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!) as Result;
}

async function creditsUsed(control: SimControlClient): Promise<number> {
  return ((await control.configure({})) as { creditsUsed: number }).creditsUsed;
}

if (process.argv[2] === '--child') {
  const [, , , path, sim] = process.argv;
  const result = await extract(path as 'bulk' | 'records', JSON.parse(sim!) as SimInfo);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const contacts = Number(process.argv[2] ?? 1_000_000);
  const scale = universeFor(42, contacts);
  const t0 = performance.now();
  const { child, info } = await startSimulator(scale);
  const control = new SimControlClient(info.baseUrl);
  console.log(
    `simulator: universe ${scale.toLocaleString()} people → ${contacts.toLocaleString()} Contacts, ready in ${((performance.now() - t0) / 1000).toFixed(1)} s; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  try {
    for (const path of ['bulk', 'records'] as const) {
      const before = await creditsUsed(control);
      const r = await runChild(['--child', path, JSON.stringify(info)]);
      const credits = (await creditsUsed(control)) - before;
      if (r.records !== contacts)
        throw new Error(`${path}: read ${r.records} Contacts, expected ${contacts}`);
      console.log(
        `${path === 'bulk' ? 'Bulk Read  ' : 'Records API'}: ${r.records.toLocaleString()} records in ${r.seconds.toFixed(1)} s = ${Math.round(
          r.records / r.seconds,
        ).toLocaleString()} records/s; ${r.calls} API calls; ${credits} credits; peak RSS ${r.peakRssMiB.toFixed(0)} MiB; ${Math.round(
          r.records / r.cpuSeconds,
        ).toLocaleString()} records per CPU-second of the extractor; load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      );
      console.log(`  calls: ${JSON.stringify(r.callsByEndpoint)}`);
    }
  } finally {
    child.kill('SIGTERM');
  }
}
