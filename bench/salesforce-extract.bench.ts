import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SalesforceSourceSchema } from '../connectors/salesforce/salesforce-config.js';
import { createSalesforceSource } from '../connectors/salesforce/salesforce-source.js';
import { CountingRequestLog } from '../core/request-log.js';
import { MemoryLogger } from '../log/console-logger.js';
import { holds } from '../simulators/kit/universe.js';
import { SALESFORCE_PEOPLE } from '../simulators/salesforce/seed-context.js';

/**
 * Salesforce extraction of 1M Contacts, by Bulk API 2.0 and by REST query, against the simulator in its
 * own process (so the numbers are the extracting process's alone):
 *
 *   npx tsx bench/salesforce-extract.bench.ts [contacts=1000000] [bulkPageRecords=25000]
 *
 * Each path runs in a fresh child process and reads the Contact stream as a first load, dropping the
 * records after counting them (the load side has its own benchmark). REST is forced the way a real org
 * forces it: no Bulk query jobs left for the day (bulkJobsDailyCap 0), so the first load pages a
 * queryAll ordered by (SystemModstamp, Id), 2,000 records a call. Reported: API calls, records/s, peak
 * RSS of the extracting process, and records per CPU-second of that process.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

interface Result {
  readonly path: string;
  readonly records: number;
  readonly seconds: number;
  readonly calls: number;
  readonly callsByEndpoint: Record<string, number>;
  readonly peakRssMiB: number;
  readonly cpuSeconds: number;
}

async function extract(path: 'bulk' | 'rest', sim: SimInfo, pageRecords: number): Promise<Result> {
  const config = SalesforceSourceSchema.parse({
    kind: 'salesforce',
    clientIdEnv: 'SF_CLIENT_ID',
    clientSecretEnv: 'SF_CLIENT_SECRET',
    streams: ['Contact'],
    bulkPollIntervalMs: 250,
    bulkPageRecords: pageRecords,
    ...(path === 'rest' ? { bulkJobsDailyCap: 0 } : {}),
  });
  const requests = new CountingRequestLog();
  const log = new MemoryLogger();
  const source = createSalesforceSource(config, {
    env: { SF_CLIENT_ID: sim.clientId, SF_CLIENT_SECRET: sim.clientSecret },
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
    runStartedAt: new Date(),
    signal: new AbortController().signal,
    progress: { page: () => {} },
    log,
  })) {
    records += batch.records.length;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (!log.text().includes(path === 'bulk' ? 'Bulk API 2.0' : 'REST queryAll')) {
    throw new Error(`expected the ${path} path, the log says: ${log.text()}`);
  }
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

interface SimInfo {
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** The universe size at which Salesforce holds exactly `contacts` people. */
function universeFor(seed: number, contacts: number): number {
  let held = 0;
  let i = 0;
  for (; held < contacts; i++) if (holds(seed, SALESFORCE_PEOPLE, i)) held++;
  return i;
}

async function startSimulator(
  scale: number,
  pageRecords: number,
): Promise<{ child: ChildProcess; info: SimInfo }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'simulators/salesforce/bin.ts'),
      '--seed=42',
      `--scale=${scale}`,
      '--daily-api-limit=10000000',
      `--bulk-results-page-size=${pageRecords}`,
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

if (process.argv[2] === '--child') {
  const [, , , path, sim, pageRecords] = process.argv;
  const result = await extract(path as 'bulk' | 'rest', JSON.parse(sim!) as SimInfo, Number(pageRecords));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const contacts = Number(process.argv[2] ?? 1_000_000);
  const pageRecords = Number(process.argv[3] ?? 25_000);
  const scale = universeFor(42, contacts);
  const t0 = performance.now();
  const { child, info } = await startSimulator(scale, pageRecords);
  console.log(
    `simulator: universe ${scale.toLocaleString()} people → ${contacts.toLocaleString()} Contacts, ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  try {
    for (const path of ['bulk', 'rest'] as const) {
      const r = await runChild(['--child', path, JSON.stringify(info), String(pageRecords)]);
      if (r.records !== contacts)
        throw new Error(`${path}: read ${r.records} Contacts, expected ${contacts}`);
      console.log(
        `${path === 'bulk' ? 'Bulk API 2.0' : 'REST query  '}: ${r.records.toLocaleString()} records in ${r.seconds.toFixed(1)} s = ${Math.round(
          r.records / r.seconds,
        ).toLocaleString()} records/s; ${r.calls} API calls; peak RSS ${r.peakRssMiB.toFixed(0)} MiB; ${Math.round(
          r.records / r.cpuSeconds,
        ).toLocaleString()} records per CPU-second of the extractor`,
      );
      console.log(`  calls: ${JSON.stringify(r.callsByEndpoint)}`);
    }
  } finally {
    child.kill('SIGTERM');
  }
}
