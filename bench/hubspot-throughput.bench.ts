import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  type ChildReport,
  fmt,
  load1,
  type RunningSim,
  runChild,
  simControl,
  simCpuSeconds,
  simStats,
  sleep,
  startHubspotSim,
  table,
  writeSection,
} from './throughput/bench-kit.js';

/**
 * Issue #15's figures, each beside its peer in one run, interleaved and repeated, written into
 * BENCHMARKS.md (the block of each scenario is regenerated):
 *
 *   npm run bench -- hubspot-throughput realworld [scale] [rounds]   (target 1)
 *   npm run bench -- hubspot-throughput unthrottled [scale ...]       (target 2)
 *   npm run bench -- hubspot-throughput nightly [scale]               (target 3)
 *   npm run bench -- hubspot-throughput export [scale ...]            (first load: CRM export vs list API)
 *
 * With no scenario, all three at their default sizes. Every contender runs in its own child process
 * (CPU-seconds and peak RSS are its own); the simulator runs in another. Requests and 429s are the
 * simulator's counts, the load average is the machine's 1-minute figure before each run.
 */
const HUBSPOT_PRO = ['--burst-limit=190', '--search-per-second=5'];
const UNLIMITED = ['--burst-limit=0', '--search-per-second=0'];
/** The burst ceiling of HubSpot Pro: 190 requests per rolling 10 s. */
const CEILING_PER_SECOND = 19;

interface Row {
  readonly who: string;
  readonly report: ChildReport;
  readonly requests: number;
  readonly tooMany: number;
  readonly load: number;
  /** CPU-seconds the simulator spent serving this contender (null off Linux). */
  readonly simCpu: number | null;
}

async function measured(sim: RunningSim, who: string, script: string, args: unknown): Promise<Row> {
  await simControl(sim, 'DELETE', 'stats');
  const load = load1();
  const cpuBefore = simCpuSeconds(sim);
  const report = await runChild(script, args);
  const cpuAfter = simCpuSeconds(sim);
  const simCpu = cpuBefore === null || cpuAfter === null ? null : +(cpuAfter - cpuBefore).toFixed(2);
  const { requests, tooMany } = await simStats(sim);
  process.stdout.write(`${who}: ${JSON.stringify({ ...report, requests, tooMany, load, simCpu })}\n`);
  return { who, report, requests, tooMany, load, simCpu };
}

/**
 * One row per run: records, wall, records/s, requests, CPU-s, (the simulator's CPU-s,) peak RSS and
 * the load before it.
 */
function contenderTable(
  first: string,
  rows: readonly Row[],
  name: (r: Row) => string,
  withSimCpu = false,
): string {
  return table(
    [
      first,
      'records',
      'wall',
      'records/s',
      'requests',
      'CPU-s',
      ...(withSimCpu ? ['simulator CPU-s'] : []),
      'peak RSS',
      'load (1 min)',
    ],
    rows.map((r) => [
      name(r),
      fmt(r.report.records),
      `${fmt(r.report.seconds, 1)} s`,
      fmt(r.report.records / r.report.seconds),
      fmt(r.requests),
      fmt(r.report.cpuSeconds, 1),
      ...(withSimCpu ? [r.simCpu === null ? '–' : fmt(r.simCpu, 1)] : []),
      `${r.report.peakRssMiB} MiB`,
      r.load,
    ]),
  );
}

/** The reading-only contenders of the unthrottled scenario. */
const READ_ONLY = {
  tide: 'Tide, reading only (no warehouse)',
  sdk: 'SDK getAll only (no DuckDB)',
} as const;

function freshDb(dir: string, name: string): string {
  const path = join(dir, `${name}.duckdb`);
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
  return path;
}

async function realWorld(scale: number, rounds: number): Promise<void> {
  const sim = await startHubspotSim([`--scale=${scale}`, ...HUBSPOT_PRO, '--mutations-per-start=0']);
  const dir = mkdtempSync(join(tmpdir(), 'tide-bench-rw-'));
  const rows: Row[] = [];
  try {
    await simControl(sim, 'POST', 'faults', { latencyMs: 150 });
    const base = { baseUrl: sim.baseUrl, token: sim.token };
    // Pro limits in Tide's config too (its defaults): the budget is what keeps 429s away.
    for (let round = 1; round <= rounds; round++) {
      for (const [who, script, args] of [
        ['Tide, contacts', 'tide-extract.ts', { ...base, db: freshDb(dir, 'tide'), streams: ['contacts'] }],
        ['SDK getAll + appender', 'sdk-loader.ts', { ...base, db: freshDb(dir, 'sdk') }],
        ['Tide, whole portal (10 streams)', 'tide-extract.ts', { ...base, db: freshDb(dir, 'portal') }],
      ] as const) {
        // A fresh 10-second window for each contender.
        await sleep(11_000);
        rows.push(await measured(sim, `${who} #${round}`, script, args));
      }
    }
  } finally {
    sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const sdk = rows.filter((r) => r.who.startsWith('SDK'));
  const sdkRate = sdk.reduce((n, r) => n + r.report.records / r.report.seconds, 0) / sdk.length;
  writeSection(
    'realworld',
    [
      `Command: \`npm run bench -- hubspot-throughput realworld ${scale} ${rounds}\` (simulator scale ${fmt(scale)},`,
      'HubSpot Pro limits: 190 requests per rolling 10 s, search 5 per second; 150 ms added to every',
      `response). Ceiling: ${CEILING_PER_SECOND} requests/s sustained. Measured ${new Date().toISOString().slice(0, 16)} UTC.`,
      '',
      table(
        [
          'run',
          'records',
          'wall',
          'records/s',
          'requests',
          'requests/s',
          'share of ceiling',
          '429s',
          'vs SDK',
          'CPU-s',
          'peak RSS',
          'load (1 min)',
        ],
        rows.map((r) => {
          const rps = r.requests / r.report.seconds;
          const recs = r.report.records / r.report.seconds;
          return [
            r.who,
            fmt(r.report.records),
            `${fmt(r.report.seconds, 1)} s`,
            fmt(recs),
            fmt(r.requests),
            fmt(rps, 1),
            `${fmt((100 * rps) / CEILING_PER_SECOND)} %`,
            `${r.tooMany} (${fmt((100 * r.tooMany) / Math.max(1, r.requests), 1)} %)`,
            `${fmt(recs / sdkRate, 2)}×`,
            fmt(r.report.cpuSeconds, 1),
            `${r.report.peakRssMiB} MiB`,
            r.load,
          ];
        }),
      ),
    ].join('\n'),
  );
}

async function dumpTruth(sim: RunningSim, path: string): Promise<void> {
  const res = await fetch(`${sim.baseUrl}/_sim/truth/contacts`);
  if (!res.ok || res.body === null) throw new Error(`truth dump: ${res.status}`);
  await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(path));
}

async function unthrottled(scales: readonly number[]): Promise<void> {
  const rows: (Row & { scale: number })[] = [];
  for (const scale of scales) {
    const sim = await startHubspotSim([`--scale=${scale}`, ...UNLIMITED, '--mutations-per-start=0']);
    const dir = mkdtempSync(join(tmpdir(), 'tide-bench-un-'));
    try {
      const base = { baseUrl: sim.baseUrl, token: sim.token };
      const ndjson = join(dir, 'contacts.ndjson');
      await dumpTruth(sim, ndjson);
      // The list path, as these figures always measured it (300k would pass exportAbove's default).
      const unlimited = { burstLimit: 1_000_000, searchPerSecond: 1_000_000, exportAbove: null };
      // Each loader beside its reading half alone, so the table splits each cost into reading
      // (the CRM's pages fetched and parsed) and loading (what writing to DuckDB adds).
      for (const [who, script, args] of [
        [
          'Tide',
          'tide-extract.ts',
          { ...base, db: freshDb(dir, 'tide'), streams: ['contacts'], source: unlimited },
        ],
        [READ_ONLY.tide, 'tide-read.ts', { ...base, streams: ['contacts'], source: unlimited }],
        ['SDK getAll + appender', 'sdk-loader.ts', { ...base, db: freshDb(dir, 'sdk') }],
        [READ_ONLY.sdk, 'sdk-read.ts', base],
        ['DuckDB read_json (NDJSON dump)', 'read-json.ts', { ndjson, db: freshDb(dir, 'rj') }],
      ] as const) {
        rows.push({ scale, ...(await measured(sim, `${who} @${scale}`, script, args)) });
      }
    } finally {
      sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const lines: string[] = [];
  for (const scale of scales) {
    const at = rows.filter((r) => r.scale === scale);
    const named = (name: string) => at.find((r) => r.who === `${name} @${scale}`)!;
    const tide = named('Tide');
    const tideRead = named(READ_ONLY.tide);
    const sdk = named('SDK getAll + appender');
    const sdkRead = named(READ_ONLY.sdk);
    const rj = named('DuckDB read_json (NDJSON dump)');
    const rate = (r: Row) => r.report.records / r.report.seconds;
    const cpu = (r: Row) => r.report.cpuSeconds;
    lines.push(
      `**Simulator scale ${fmt(scale)}:** Tide ${fmt(rate(tide) / rate(sdk), 2)}× the SDK loader's records/s; ` +
        `Tide's CPU ${fmt(cpu(tide) / cpu(rj), 1)}× read_json's. Reading alone: Tide ${fmt(cpu(tideRead), 1)} CPU-s ` +
        `(${fmt(rate(tideRead) / rate(sdk), 2)}× the SDK loader's records/s with no warehouse at all), the SDK ` +
        `${fmt(cpu(sdkRead), 1)}; what loading adds: Tide ${fmt(cpu(tide) - cpu(tideRead), 1)} CPU-s, the SDK loader ` +
        `${fmt(cpu(sdk) - cpu(sdkRead), 1)}.`,
      '',
      contenderTable('contender', at, (r) => r.who.replace(/ @\d+$/, ''), true),
      '',
    );
  }
  writeSection(
    'unthrottled',
    [
      `Command: \`npm run bench -- hubspot-throughput unthrottled ${scales.join(' ')}\` (no rate limits;`,
      'contacts stream only; HubSpot holds ~93 % of the scale as contacts; the SDK loader reads live',
      'contacts with every property, Tide and read_json live and archived). Measured',
      `${new Date().toISOString().slice(0, 16)} UTC.`,
      '',
      ...lines,
    ].join('\n'),
  );
}

async function nightly(scale: number): Promise<void> {
  const sim = await startHubspotSim([`--scale=${scale}`, ...UNLIMITED, '--mutations-per-start=0']);
  const dir = mkdtempSync(join(tmpdir(), 'tide-bench-ni-'));
  try {
    const base = { baseUrl: sim.baseUrl, token: sim.token, streams: ['contacts'] };
    const db = freshDb(dir, 'tide');
    const full = await measured(sim, 'first load', 'tide-extract.ts', { ...base, db });
    const contacts = full.report.records;
    // 1 % changed: 0.9 % updated, 0.05 % archived, 0.05 % created, an hour later.
    const changed = {
      update: Math.round(contacts * 0.009),
      archive: Math.round(contacts * 0.0005),
      create: Math.round(contacts * 0.0005),
    };
    const night = async (who: string, source: Record<string, unknown>) => {
      await simControl(sim, 'POST', 'clock/advance', { ms: 3_600_000 });
      await simControl(sim, 'POST', 'mutate', { object: 'contacts', ...changed });
      return measured(sim, who, 'tide-extract.ts', { ...base, db, source });
    };
    // Deletes listed on every run (the default), then a run later the same UTC day with the daily
    // cadence: its sweep is not due, so that night's archived records wait for the next day's first run.
    const nights = [
      await night('nightly, archived swept (default)', {}),
      await night('nightly, sweep not due (archivedSweepEveryHours: 24)', { archivedSweepEveryHours: 24 }),
    ];
    const expected = changed.update + changed.archive + changed.create;
    writeSection(
      'nightly',
      [
        `Command: \`npm run bench -- hubspot-throughput nightly ${scale}\` (contacts; before each nightly run the`,
        `simulator's clock moves an hour on and 1 % of the ${fmt(contacts)} records change: ${fmt(changed.update)} updated,`,
        `${fmt(changed.archive)} archived, ${fmt(changed.create)} created, ${fmt(expected)} in all). Measured ${new Date().toISOString().slice(0, 16)} UTC.`,
        '',
        table(
          [
            'run',
            'records loaded',
            'API calls',
            'share of the full run’s calls',
            'wall',
            'CPU-s',
            'load (1 min)',
          ],
          [full, ...nights].map((r) => [
            r.who,
            fmt(r.report.records),
            fmt(r.requests),
            `${fmt((100 * r.requests) / full.requests, 2)} %`,
            `${fmt(r.report.seconds, 1)} s`,
            fmt(r.report.cpuSeconds, 1),
            r.load,
          ]),
        ),
      ].join('\n'),
    );
  } finally {
    sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A first load of the contacts stream at HubSpot Pro limits (150 ms added to every response), through
 * the list API (`exportAbove: null`) and through a CRM export (`exportAbove: 0`), side by side in one
 * simulator per scale, each in a fresh 10-second window. The export's build time is the simulator's
 * model (1 s + 5 ms per 1,000 rows, INFERENCE), part of the export's wall time.
 */
async function exportVsList(scales: readonly number[]): Promise<void> {
  const rows: (Row & { scale: number })[] = [];
  for (const scale of scales) {
    const sim = await startHubspotSim([`--scale=${scale}`, ...HUBSPOT_PRO, '--mutations-per-start=0']);
    const dir = mkdtempSync(join(tmpdir(), 'tide-bench-ex-'));
    try {
      await simControl(sim, 'POST', 'faults', { latencyMs: 150 });
      const base = { baseUrl: sim.baseUrl, token: sim.token, streams: ['contacts'] };
      for (const [who, exportAbove] of [
        ['list API', null],
        ['CRM export', 0],
      ] as const) {
        await sleep(11_000);
        const args = { ...base, db: freshDb(dir, who.replace(/\W/g, '')), source: { exportAbove } };
        rows.push({ scale, ...(await measured(sim, `${who} @${scale}`, 'tide-extract.ts', args)) });
      }
    } finally {
      sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  writeSection(
    'export',
    [
      `Command: \`npm run bench -- hubspot-throughput export ${scales.join(' ')}\` (contacts stream, first load;`,
      'HubSpot Pro limits: 190 requests per rolling 10 s, search 5 per second; 150 ms added to every response;',
      "requests are the simulator's count, the file download included). Measured",
      `${new Date().toISOString().slice(0, 16)} UTC.`,
      '',
      contenderTable('path', rows, (r) => r.who),
    ].join('\n'),
  );
}

const [scenario, ...rest] = process.argv.slice(2);
const numbers = rest.map(Number);
if (scenario === undefined || scenario === 'realworld')
  await realWorld(numbers[0] ?? 32_000, numbers[1] ?? 2);
if (scenario === undefined || scenario === 'unthrottled')
  await unthrottled(numbers.length > 0 ? numbers : [100_000, 300_000]);
if (scenario === undefined || scenario === 'nightly') await nightly(numbers[0] ?? 100_000);
if (scenario === undefined || scenario === 'export')
  await exportVsList(numbers.length > 0 ? numbers : [100_000]);
