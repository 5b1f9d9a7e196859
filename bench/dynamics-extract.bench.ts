import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamicsSourceSchema } from '../connectors/dynamics/dynamics-config.js';
import { createDynamicsSource } from '../connectors/dynamics/dynamics-source.js';
import type { CursorState } from '../core/cursor-state.js';
import { CountingRequestLog } from '../core/request-log.js';
import { MemoryLogger } from '../log/console-logger.js';
import { planSeed } from '../simulators/dynamics/dynamics-seed.js';
import { startSimProcess, stopSimProcess } from './reverse-bench-kit.js';

/**
 * Dynamics 365 extraction of 1,000,000 contacts through change tracking (`Prefer:
 * odata.track-changes,odata.maxpagesize=5000`, then the delta link), against the simulator in its own
 * process with Dataverse's default service protection limits (6,000 requests / 300 s per user):
 *
 *   npx tsx bench/dynamics-extract.bench.ts [contacts=1000000]
 *
 * A fresh child process reads the first load (records are counted and dropped: the load side has its
 * own benchmarks), then, after 1 % of the contacts changed, the delta. Reported: records, seconds,
 * records/s, requests, peak RSS and records per CPU-second of the extractor, and the simulator's
 * CPU-seconds (it generates every record on the fly).
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const SEED = 42;

interface SimInfo {
  readonly baseUrl: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly pid: number;
}

interface Result {
  readonly records: number;
  readonly seconds: number;
  readonly requests: number;
  readonly deltaRecords: number;
  readonly deltaSeconds: number;
  readonly deltaRequests: number;
  readonly peakRssMiB: number;
  readonly cpuSeconds: number;
}

function cpuSecondsOf(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

async function control(sim: SimInfo, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${sim.baseUrl}/_sim/${path}`, { method: 'POST', body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`simulator ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function read(
  sim: SimInfo,
  cursor: CursorState | null,
): Promise<{ records: number; cursor: CursorState | null; requests: number; seconds: number }> {
  const config = DynamicsSourceSchema.parse({
    kind: 'dynamics',
    environmentUrl: 'https://bench.crm.dynamics.com',
    tenantId: sim.tenantId,
    clientIdEnv: 'ID',
    clientSecretEnv: 'SECRET',
    streams: ['contacts'],
  });
  const requests = new CountingRequestLog();
  const log = new MemoryLogger();
  const source = createDynamicsSource(config, {
    env: { ID: sim.clientId, SECRET: sim.clientSecret },
    baseUrl: sim.baseUrl,
    requestLog: requests,
    log,
  });
  const now = new Date(((await control(sim, 'clock/advance', { ms: 0 })) as { now: string }).now);
  const started = performance.now();
  let records = 0;
  let last = cursor;
  for await (const batch of source.streams()[0]!.read({
    cursor,
    fullRefresh: false,
    startDate: null,
    runStartedAt: new Date(now.getTime() + 1000),
    signal: new AbortController().signal,
    progress: { page: () => {} },
    log,
  })) {
    records += batch.records.length;
    last = batch.checkpoint ?? last;
  }
  return { records, cursor: last, requests: requests.total(), seconds: (performance.now() - started) / 1000 };
}

async function childRun(sim: SimInfo, changes: number): Promise<Result> {
  const cpu0 = process.cpuUsage();
  const first = await read(sim, null);
  const cpu = process.cpuUsage(cpu0);
  await control(sim, 'clock/advance', { ms: 2000 });
  await control(sim, 'mutate', { object: 'contacts', update: changes });
  const delta = await read(sim, first.cursor);
  return {
    records: first.records,
    seconds: first.seconds,
    requests: first.requests,
    deltaRecords: delta.records,
    deltaSeconds: delta.seconds,
    deltaRequests: delta.requests,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/** The universe size at which Dynamics holds `contacts` contacts. */
function universeFor(contacts: number): number {
  let scale = Math.ceil(contacts / 0.45);
  while (planSeed(SEED, scale).contacts.length < contacts) scale += Math.ceil(contacts / 1000);
  return scale;
}

if (process.argv[2] === '--child') {
  const result = await childRun(JSON.parse(process.argv[3]!) as SimInfo, Number(process.argv[4]));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const contacts = Number(process.argv[2] ?? 1_000_000);
  const scale = universeFor(contacts);
  const held = planSeed(SEED, scale).contacts.length;
  const t0 = performance.now();
  const { child, info } = await startSimProcess<SimInfo>('simulators/dynamics/bin.ts', [
    `--seed=${SEED}`,
    `--scale=${scale}`,
  ]);
  console.log(
    `simulator: universe ${scale.toLocaleString()} people → ${held.toLocaleString()} contacts, ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  try {
    const changes = Math.round(held / 100);
    const simCpu0 = cpuSecondsOf(info.pid);
    const run = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', JSON.stringify(info), String(changes)],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    run.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const [code] = (await once(run, 'exit')) as [number];
    if (code !== 0) throw new Error(`benchmark child exited with ${code}`);
    const r = JSON.parse(out.trim().split('\n').pop()!) as Result;
    const simCpu1 = cpuSecondsOf(info.pid);
    if (r.records < held) throw new Error(`read ${r.records} contacts, expected at least ${held}`);
    console.log(
      `first load: ${r.records.toLocaleString()} contacts in ${r.seconds.toFixed(1)} s = ${Math.round(r.records / r.seconds).toLocaleString()} records/s; ${r.requests} requests; peak RSS ${r.peakRssMiB.toFixed(0)} MiB; ${Math.round(r.records / r.cpuSeconds).toLocaleString()} records per CPU-second of the extractor${simCpu0 === null || simCpu1 === null ? '' : ` (simulator: ${(simCpu1 - simCpu0).toFixed(1)} CPU-s)`}`,
    );
    console.log(
      `1 % delta: ${changes.toLocaleString()} changed → ${r.deltaRecords.toLocaleString()} records in ${r.deltaSeconds.toFixed(1)} s, ${r.deltaRequests} requests`,
    );
  } finally {
    await stopSimProcess(child);
  }
}
