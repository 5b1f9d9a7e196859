import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ColumnSpec } from '../core/column-spec.js';
import type { SourceRecord } from '../core/record.js';
import { openBigqueryWarehouse } from '../load/bigquery/open-bigquery-warehouse.js';
import { FAST, sdkClient, testConfig } from '../test/bigquery/bigquery-test-client.js';

/**
 * BigQuery load path, Tide's side: records → coercion → gzip NDJSON on disk → multipart upload through
 * @google-cloud/bigquery → load job → commit script, against the BigQuery double running in a child
 * process (so RSS below is Tide's alone; the double still unpacks and checks every uploaded line).
 * Pages of 100 records, a commit every 50,000 (the runner's default checkpoint). Jobs finish after
 * one poll here; on real BigQuery each job adds ~1-2 s of latency per commit, which this does not
 * measure.
 *
 *   npx tsx bench/bigquery-load.bench.ts [records=300000]
 */
const TOTAL = Number(process.argv[2] ?? 300_000);
const PAGE = 100;
const COMMIT_EVERY = 50_000;
const BASE_MS = Date.parse('2024-01-01T00:00:00.000Z');

const COLUMNS: readonly ColumnSpec[] = [
  ...[
    'email',
    'firstname',
    'lastname',
    'phone',
    'company',
    'jobtitle',
    'city',
    'country',
    'lifecyclestage',
    'status',
  ].map((name) => ({ name, type: 'string' as const })),
  { name: 'annualrevenue', type: 'number' },
  { name: 'num_employees', type: 'integer' },
  { name: 'visits', type: 'integer' },
  { name: 'optout', type: 'boolean' },
  { name: 'createdate', type: 'timestamp' },
  { name: 'lastmodifieddate', type: 'timestamp' },
  { name: 'last_activity', type: 'timestamp' },
  { name: 'birthday', type: 'date' },
  { name: 'payload', type: 'json' },
];

function record(i: number): SourceRecord {
  const updated = BASE_MS + i * 1000;
  const fields: Record<string, unknown> = {};
  for (const c of COLUMNS.slice(0, 10)) fields[c.name] = `${c.name}-${i % 5000}@${i % 97}`;
  Object.assign(fields, {
    annualrevenue: String((i % 1000) * 1234.5),
    num_employees: String(i % 500),
    visits: String(i % 40),
    optout: i % 7 === 0 ? 'true' : 'false',
    createdate: new Date(BASE_MS + i * 500).toISOString(),
    lastmodifieddate: new Date(updated).toISOString(),
    last_activity: String(updated - 3_600_000),
    birthday: `19${String(50 + (i % 50))}-0${1 + (i % 9)}-1${i % 10}`,
    payload: i % 10 === 0 ? '{"tags":["a","b"],"score":3}' : '',
  });
  return { id: String(100_000 + i), updatedAt: new Date(updated).toISOString(), deleted: false, fields };
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

const here = dirname(fileURLToPath(import.meta.url));
const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'bigquery-double-process.ts')], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
const baseUrl = String((await lines.next()).value);
const dir = mkdtempSync(join(tmpdir(), 'tide-bench-bq-'));
try {
  const warehouse = openBigqueryWarehouse(testConfig(), {
    ...FAST,
    client: sdkClient({ baseUrl }),
    tmpDir: dir,
  });
  await warehouse.init();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let pkg = await warehouse.beginLoad({
    source: 'bench',
    stream: 'contacts',
    runId: 'bench',
    replace: false,
  });
  await pkg.ensureColumns(COLUMNS);
  let staged = 0;
  let written = 0;
  let packages = 1;
  let nextSample = TOTAL / 4;
  for (let start = 0; start < TOTAL; start += PAGE) {
    const page: SourceRecord[] = [];
    for (let i = start; i < Math.min(start + PAGE, TOTAL); i++) page.push(record(i));
    await pkg.append(page);
    staged += page.length;
    if (staged >= COMMIT_EVERY) {
      const last = page[page.length - 1]!;
      written += (await pkg.commit({ value: last.updatedAt, ids: [last.id] })).rowsWritten;
      pkg = await warehouse.beginLoad({
        source: 'bench',
        stream: 'contacts',
        runId: 'bench',
        replace: false,
      });
      staged = 0;
      packages++;
    }
    if (start + PAGE >= nextSample) {
      const memory = process.memoryUsage();
      process.stdout.write(
        `  ${start + PAGE} records, rss ${mib(memory.rss)} (js heap ${mib(memory.heapUsed)})\n`,
      );
      nextSample += TOTAL / 4;
    }
  }
  // The records that did not fill a last package; nothing when TOTAL is a multiple of COMMIT_EVERY.
  if (staged > 0) written += (await pkg.commit(null)).rowsWritten;
  else {
    await pkg.abort();
    packages--;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  await warehouse.close();
  child.stdin.end();
  const totals = JSON.parse(String((await lines.next()).value)) as {
    files: number;
    rows: number;
    bytes: number;
    rawBytes: number;
    jobs: number;
    byPurpose: Record<string, number>;
  };
  const { init = 0, ...perPackage } = totals.byPurpose;
  const packageJobs = totals.files + totals.jobs - init;
  process.stdout.write(
    `load: ${TOTAL} records in ${seconds.toFixed(1)} s = ${Math.round(TOTAL / seconds)} records/s, ` +
      `${Math.round(TOTAL / cpuSeconds)} records/CPU-s (this process: ${cpuSeconds.toFixed(1)} CPU-s; rows written ${written})\n` +
      `uploads: ${totals.files} load jobs, ${totals.rows} rows, ${mib(totals.bytes)} gzip for ${mib(totals.rawBytes)} NDJSON ` +
      `(${(totals.rawBytes / totals.bytes).toFixed(1)}x), ${totals.jobs} query jobs\n` +
      `packages: ${packages} of ${COMMIT_EVERY} records, ${(packageJobs / packages).toFixed(1)} jobs per package ` +
      `(load ${totals.files}, ${Object.entries(perPackage)
        .map(([purpose, n]) => `${purpose} ${n}`)
        .join(', ')}; plus init ${init})\n` +
      `peak RSS ${mib(process.resourceUsage().maxRSS * 1024)}; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
  );
} finally {
  child.kill();
  rmSync(dir, { recursive: true, force: true });
}
