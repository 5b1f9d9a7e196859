import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type {
  Destination,
  DestinationCapabilities,
  WriteOutcome,
  WriteRecord,
  WriteTarget,
} from '../core/destination.js';
import { duckdbDialect } from '../load/duckdb/duckdb-dialect.js';
import { openDuckdbWarehouse } from '../load/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../load/warehouse.js';
import { MemoryLogger } from '../log/console-logger.js';
import { PushSql } from '../reverse/push-sql.js';
import type { RawTable } from '../reverse/raw-current.js';
import { runSync, type SyncReport } from '../reverse/run-sync.js';
import { type SyncInput, SyncSchema } from '../reverse/sync-config.js';

/** Shared by the reverse-ETL benchmarks: the simulator process, the warehouse side, the measurements. */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A simulator in its own process, as a real CRM is: its request handling does not compete with the
 * pushing process for the event loop, which would skew when requests arrive against the rate window.
 * Returns the first JSON line it prints (base URL, credentials).
 */
export async function startSimProcess<T>(
  bin: string,
  args: readonly string[],
): Promise<{ child: ChildProcess; info: T }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, bin), ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  return { child, info: JSON.parse(line) as T };
}

/**
 * Ids of a simulator object's live records, read from its NDJSON ground truth line by line (the whole
 * truth as one array would hold hundreds of MB, and collecting it mid-run would pause the pusher).
 */
export async function liveIds(
  baseUrl: string,
  object: string,
  limit: number,
  idOf: (record: Record<string, unknown>) => string | null,
): Promise<string[]> {
  const res = await fetch(`${baseUrl}/_sim/truth/${object}`);
  if (!res.ok || res.body === null) throw new Error(`truth ${object}: ${res.status}`);
  const ids: string[] = [];
  const lines = createInterface({
    input: Readable.fromWeb(res.body as import('node:stream/web').ReadableStream),
  });
  for await (const line of lines) {
    if (line === '') continue;
    const id = idOf(JSON.parse(line) as Record<string, unknown>);
    if (id !== null) ids.push(id);
    if (ids.length >= limit) break;
  }
  lines.close();
  return ids;
}

export async function stopSimProcess(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

export async function scoresWarehouse(
  rows: readonly { readonly id: string; readonly score: number }[],
): Promise<Warehouse> {
  const warehouse = await openDuckdbWarehouse({ path: ':memory:' });
  await warehouse.init();
  await warehouse.execute('CREATE SCHEMA IF NOT EXISTS analytics');
  await warehouse.execute('CREATE TABLE analytics.customer_scores (crm_id VARCHAR, score DOUBLE)');
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const params = chunk.flatMap((r) => [r.id, r.score]);
    const values = chunk.map(() => '(?, ?)').join(', ');
    for await (const _ of warehouse.query(`INSERT INTO analytics.customer_scores VALUES ${values}`, params)) {
      // drain
    }
  }
  return warehouse;
}

/** Time spent inside write calls, for the share of a concurrency limit in use. */
export class TimedDestination implements Destination {
  readonly #inner: Destination;
  busyMs = 0;

  constructor(inner: Destination) {
    this.#inner = inner;
  }
  get capabilities(): DestinationCapabilities {
    return this.#inner.capabilities;
  }
  get name(): string {
    return this.#inner.name;
  }
  get vendor(): string {
    return this.#inner.vendor;
  }
  get maxBatchSize(): number {
    return this.#inner.maxBatchSize;
  }
  get defaultConcurrency(): number {
    return this.#inner.defaultConcurrency;
  }
  fields(object: string, signal?: AbortSignal) {
    return this.#inner.fields(object, signal);
  }
  readCurrent(target: WriteTarget, records: readonly WriteRecord[], signal?: AbortSignal) {
    return this.#inner.readCurrent(target, records, signal);
  }
  async write(
    target: WriteTarget,
    records: readonly WriteRecord[],
    signal?: AbortSignal,
  ): Promise<readonly WriteOutcome[]> {
    const started = performance.now();
    try {
      return await this.#inner.write(target, records, signal);
    } finally {
      this.busyMs += performance.now() - started;
    }
  }
}

export async function pushScores(
  warehouse: Warehouse,
  destination: Destination,
  sync: Omit<SyncInput, 'name' | 'from' | 'match'> & { readonly match?: SyncInput['match'] },
  rawTable: RawTable | null = null,
): Promise<{ report: SyncReport; seconds: number }> {
  const started = performance.now();
  const report = await runSync({
    sync: SyncSchema.parse({
      name: 'bench',
      from: 'analytics.customer_scores',
      match: { by: 'id', column: 'crm_id' },
      ...sync,
    }),
    destination,
    warehouse,
    sql: new PushSql(duckdbDialect),
    runId: 'bench',
    log: new MemoryLogger(),
    dryRun: false,
    flushEvery: 1,
    rawTable,
  });
  return { report, seconds: (performance.now() - started) / 1000 };
}

/**
 * The least time `requests` can take under a rolling window of `limit` per `windowS` seconds: a first
 * burst at once, then one more full burst per window. "pace vs the limit" = this / the time taken.
 */
export function fastestUnderLimit(requests: number, limit: number, windowS: number): number {
  return Math.floor(Math.max(0, requests - 1) / limit) * windowS;
}

export function printResult(lines: Readonly<Record<string, string | number>>): void {
  const width = Math.max(...Object.keys(lines).map((k) => k.length));
  for (const [k, v] of Object.entries(lines)) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
}

export function rss(): string {
  return `${Math.round(process.memoryUsage().rss / 1024 / 1024)} MiB`;
}
