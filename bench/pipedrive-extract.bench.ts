import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PipedriveSourceSchema } from '../connectors/pipedrive/pipedrive-config.js';
import { createPipedriveSource } from '../connectors/pipedrive/pipedrive-source.js';
import type { CursorState } from '../core/cursor-state.js';
import { CountingRequestLog } from '../core/request-log.js';
import { MemoryLogger } from '../log/console-logger.js';
import { holds } from '../simulators/kit/universe.js';
import { PIPEDRIVE_PEOPLE } from '../simulators/pipedrive/seed-context.js';

/**
 * Pipedrive extraction of 200k persons through API v2 (`updated_since` + cursor paging, 500 a page),
 * against the simulator in its own process, with the burst limit off, at Professional (80 per 2 s)
 * and at Essential (20 per 2 s) — the source paces itself by the x-ratelimit-* headers alone:
 *
 *   npx tsx bench/pipedrive-extract.bench.ts [persons=200000]
 *
 * Each mode runs a first load in a fresh child process (records are counted and dropped: the load
 * side has its own benchmark), then an incremental run after 1,000 persons changed. Reported: records,
 * seconds, records/s, API calls (and 429s), peak RSS and records per CPU-second of the extractor.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const SEED = 42;

interface SimInfo {
  readonly baseUrl: string;
  readonly apiToken: string;
  readonly persons: number;
  readonly pid: number;
}

/**
 * CPU seconds a process has used (Linux /proc; null elsewhere). Wall-clock numbers on a shared
 * machine move with everything else running; CPU time per record does not.
 */
function cpuSecondsOf(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

interface Result {
  readonly records: number;
  readonly seconds: number;
  readonly calls: number;
  readonly throttled: number;
  readonly incrementalRecords: number;
  readonly incrementalCalls: number;
  readonly peakRssMiB: number;
  readonly cpuSeconds: number;
}

async function read(
  sim: SimInfo,
  cursor: CursorState | null,
  runStartedAt: Date,
): Promise<{ records: number; cursor: CursorState | null; requests: CountingRequestLog }> {
  const config = PipedriveSourceSchema.parse({
    kind: 'pipedrive',
    apiTokenEnv: 'PIPEDRIVE_API_TOKEN',
    streams: ['persons'],
    overlapMinutes: 0,
  });
  const requests = new CountingRequestLog();
  const log = new MemoryLogger();
  const source = createPipedriveSource(config, {
    env: { PIPEDRIVE_API_TOKEN: sim.apiToken },
    baseUrl: sim.baseUrl,
    requestLog: requests,
    log,
  });
  let records = 0;
  let last = cursor;
  for await (const batch of source.streams()[0]!.read({
    cursor,
    fullRefresh: false,
    startDate: null,
    runStartedAt,
    signal: new AbortController().signal,
    progress: { page: () => {} },
    log,
  })) {
    records += batch.records.length;
    last = batch.checkpoint ?? last;
  }
  return { records, cursor: last, requests };
}

async function control(sim: SimInfo, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${sim.baseUrl}/_sim/${path}`, { method: 'POST', body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`simulator ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function childRun(sim: SimInfo): Promise<Result> {
  // Runs start at the simulator's now: earlier modes advanced its clock past the wall clock.
  const simNow = async (): Promise<Date> =>
    new Date(((await control(sim, 'clock/advance', { ms: 0 })) as { now: string }).now);
  const startedAt = await simNow();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const first = await read(sim, null, startedAt);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const rows = first.requests.rows();
  await control(sim, 'clock/advance', { ms: 2000 });
  await control(sim, 'mutate', { object: 'persons', update: 1000 });
  const next = await read(sim, first.cursor, await simNow());
  return {
    records: first.records,
    seconds,
    calls: first.requests.total(),
    throttled: rows.filter((r) => r.status === 429).reduce((n, r) => n + r.count, 0),
    incrementalRecords: next.records,
    incrementalCalls: next.requests.total(),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/** The universe size at which Pipedrive holds exactly `persons` people. */
function universeFor(seed: number, persons: number): number {
  let held = 0;
  let i = 0;
  for (; held < persons; i++) if (holds(seed, PIPEDRIVE_PEOPLE, i)) held++;
  return i;
}

async function startSimulator(scale: number): Promise<{ child: ChildProcess; info: SimInfo }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'simulators/pipedrive/bin.ts'),
      `--seed=${SEED}`,
      `--scale=${scale}`,
      '--burst-limit=0',
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  return { child, info: JSON.parse(line) as SimInfo };
}

async function runChild(sim: SimInfo): Promise<Result> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', JSON.stringify(sim)],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`benchmark child exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!) as Result;
}

if (process.argv[2] === '--child') {
  process.stdout.write(`${JSON.stringify(await childRun(JSON.parse(process.argv[3]!) as SimInfo))}\n`);
} else {
  const persons = Number(process.argv[2] ?? 200_000);
  const scale = universeFor(SEED, persons);
  const t0 = performance.now();
  const { child, info } = await startSimulator(scale);
  console.log(
    `simulator: universe ${scale.toLocaleString()} people → ${info.persons.toLocaleString()} persons, ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  try {
    for (const [label, burstLimit] of [
      ['burst limit off          ', 0],
      ['Professional, 80 per 2 s ', 80],
      ['Essential, 20 per 2 s    ', 20],
    ] as const) {
      await control(info, 'config', { burstLimit });
      const simCpu0 = cpuSecondsOf(info.pid);
      const r = await runChild(info);
      const simCpu1 = cpuSecondsOf(info.pid);
      // Every run of the child adds 1,000 updated persons; none are created or deleted.
      if (r.records !== info.persons)
        throw new Error(`${label}: read ${r.records} persons, expected ${info.persons}`);
      console.log(
        `${label}: ${r.records.toLocaleString()} persons in ${r.seconds.toFixed(1)} s = ${Math.round(
          r.records / r.seconds,
        ).toLocaleString()} records/s; ${r.calls} API calls (${r.throttled} × 429); peak RSS ${r.peakRssMiB.toFixed(
          0,
        )} MiB; ${Math.round(r.records / r.cpuSeconds).toLocaleString()} records per CPU-second of the extractor${
          simCpu0 === null || simCpu1 === null ? '' : ` (simulator: ${(simCpu1 - simCpu0).toFixed(1)} CPU-s)`
        }; incremental after 1,000 changes: ${r.incrementalRecords} records in ${r.incrementalCalls} calls`,
      );
    }
  } finally {
    child.kill('SIGTERM');
  }
}
