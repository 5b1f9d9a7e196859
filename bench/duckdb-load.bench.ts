import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnSpec } from '../core/column-spec.js';
import type { SourceRecord } from '../core/record.js';
import { openDuckdbWarehouse } from '../load/duckdb/duckdb-warehouse.js';

/**
 * DuckDB load throughput, end to end through the Warehouse interface: synthetic HubSpot-shaped
 * records (20 properties, every value a string as HubSpot sends them) arrive in pages of 100 and are
 * committed every 50,000 records (the runner's default checkpoint), into a file-backed database.
 * A second pass re-loads 20% of the ids with newer versions to time the upsert path.
 *
 *   npx tsx bench/duckdb-load.bench.ts [records=1000000] [duckdb memory limit, e.g. 1GB]
 *
 * Prints records/s and RSS: peak, and sampled at each quarter, which should stay flat as data grows.
 * Also records per CPU-second (this process, all threads): unlike records/s it does not drop when
 * other processes compete for the cores.
 */
const TOTAL = Number(process.argv[2] ?? 1_000_000);
const MEMORY_LIMIT = process.argv[3];
const PAGE = 100;
const COMMIT_EVERY = 50_000;
const BASE_MS = Date.parse('2024-01-01T00:00:00.000Z');

const COLUMNS: readonly ColumnSpec[] = [
  { name: 'email', type: 'string' },
  { name: 'firstname', type: 'string' },
  { name: 'lastname', type: 'string' },
  { name: 'phone', type: 'string' },
  { name: 'company', type: 'string' },
  { name: 'jobtitle', type: 'string' },
  { name: 'city', type: 'string' },
  { name: 'country', type: 'string' },
  { name: 'lifecyclestage', type: 'string' },
  { name: 'hs_lead_status', type: 'string' },
  { name: 'annualrevenue', type: 'number' },
  { name: 'num_employees', type: 'integer' },
  { name: 'hs_analytics_num_visits', type: 'integer' },
  { name: 'hs_email_optout', type: 'boolean' },
  { name: 'hs_is_unworked', type: 'boolean' },
  { name: 'createdate', type: 'timestamp' },
  { name: 'lastmodifieddate', type: 'timestamp' },
  { name: 'hs_last_sales_activity_timestamp', type: 'timestamp' },
  { name: 'date_of_birth', type: 'date' },
  { name: 'hs_custom_payload', type: 'json' },
];

function record(i: number, version: number): SourceRecord {
  const updated = BASE_MS + i * 1000 + version * 86_400_000;
  return {
    id: String(100_000 + i),
    updatedAt: new Date(updated).toISOString(),
    deleted: false,
    fields: {
      email: `person${i}@example${i % 97}.com`,
      firstname: `First${i}`,
      lastname: `Last${i % 5000}`,
      phone: `+1 555 ${String(i % 10_000).padStart(4, '0')}`,
      company: `Company ${i % 3000}`,
      jobtitle: i % 3 === 0 ? 'Engineer' : 'Manager',
      city: `City ${i % 200}`,
      country: i % 2 === 0 ? 'US' : 'DE',
      lifecyclestage: 'lead',
      hs_lead_status: i % 5 === 0 ? 'NEW' : 'OPEN',
      annualrevenue: String((i % 1000) * 1234.5),
      num_employees: String(i % 500),
      hs_analytics_num_visits: String(i % 40),
      hs_email_optout: i % 7 === 0 ? 'true' : 'false',
      hs_is_unworked: 'false',
      createdate: new Date(BASE_MS + i * 500).toISOString(),
      lastmodifieddate: new Date(updated).toISOString(),
      hs_last_sales_activity_timestamp: String(updated - 3_600_000),
      date_of_birth: `19${String(50 + (i % 50))}-0${1 + (i % 9)}-1${i % 10}`,
      hs_custom_payload: i % 10 === 0 ? '{"tags":["a","b"],"score":3}' : '',
    },
  };
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

async function loadPass(
  warehouse: Awaited<ReturnType<typeof openDuckdbWarehouse>>,
  ids: readonly [number, number],
  version: number,
  label: string,
): Promise<void> {
  const [from, to] = ids;
  const count = to - from;
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
  let nextSample = from + count / 4;
  let written = 0;
  let generating = 0;
  let committing = 0;
  for (let start = from; start < to; start += PAGE) {
    const generated = performance.now();
    const page: SourceRecord[] = [];
    for (let i = start; i < Math.min(start + PAGE, to); i++) page.push(record(i, version));
    generating += performance.now() - generated;
    await pkg.append(page);
    staged += page.length;
    if (staged >= COMMIT_EVERY) {
      const last = page[page.length - 1]!;
      const committed = performance.now();
      written += (await pkg.commit({ value: last.updatedAt, ids: [last.id] })).rowsWritten;
      committing += performance.now() - committed;
      pkg = await warehouse.beginLoad({
        source: 'bench',
        stream: 'contacts',
        runId: 'bench',
        replace: false,
      });
      staged = 0;
    }
    if (start + PAGE >= nextSample) {
      const memory = process.memoryUsage();
      process.stdout.write(
        `  ${label}: ${start + PAGE - from} records, rss ${mib(memory.rss)} (js heap ${mib(memory.heapUsed)})\n`,
      );
      nextSample += count / 4;
    }
  }
  const committed = performance.now();
  written += (await pkg.commit(null)).rowsWritten;
  committing += performance.now() - committed;
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(
    `${label}: ${count} records in ${seconds.toFixed(1)} s = ${Math.round(count / seconds)} records/s, ` +
      `${Math.round(count / cpuSeconds)} records/CPU-s (rows written ${written})\n` +
      `  of which: generating records ${(generating / 1000).toFixed(1)} s, commits ${(committing / 1000).toFixed(1)} s, ` +
      `append ${(seconds - (generating + committing) / 1000).toFixed(1)} s\n`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'tide-bench-duckdb-'));
try {
  const warehouse = await openDuckdbWarehouse({
    path: join(dir, 'bench.duckdb'),
    batchSize: 10_000,
    ...(MEMORY_LIMIT === undefined ? {} : { memoryLimit: MEMORY_LIMIT }),
  });
  await warehouse.init();
  await loadPass(warehouse, [0, TOTAL], 0, 'insert');
  await loadPass(warehouse, [0, Math.floor(TOTAL / 5)], 1, 'upsert');
  let rows = 0;
  const started = performance.now();
  for await (const _row of warehouse.query('SELECT * FROM raw.bench__contacts')) rows++;
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `query: streamed ${rows} rows in ${seconds.toFixed(1)} s = ${Math.round(rows / seconds)} rows/s\n`,
  );
  await warehouse.close();
  process.stdout.write(`peak RSS ${mib(process.resourceUsage().maxRSS * 1024)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
