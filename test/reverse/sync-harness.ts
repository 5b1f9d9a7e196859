import type { Destination, WriteOutcome, WriteRecord, WriteTarget } from '../../core/destination.js';
import { duckdbDialect } from '../../load/duckdb/duckdb-dialect.js';
import type { Warehouse } from '../../load/warehouse.js';
import { MemoryLogger } from '../../log/console-logger.js';
import { PushSql } from '../../reverse/push-sql.js';
import type { RawTable } from '../../reverse/raw-current.js';
import { runSync, type SyncReport } from '../../reverse/run-sync.js';
import { type SyncInput, SyncSchema } from '../../reverse/sync-config.js';

/** One sync run as `tide reverse` does it (state saved after every batch), for the tests. */
export function runTestSync(options: {
  readonly warehouse: Warehouse;
  readonly destination: Destination;
  readonly sync: SyncInput;
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  /** The raw table `tide run`'s extract would hand the sync (conflicts looked up there first). */
  readonly rawTable?: RawTable | null;
}): Promise<SyncReport> {
  return runSync({
    sync: SyncSchema.parse(options.sync),
    destination: options.destination,
    warehouse: options.warehouse,
    sql: new PushSql(duckdbDialect),
    runId: `test-${Date.now()}`,
    log: new MemoryLogger(),
    dryRun: options.dryRun ?? false,
    flushEvery: 1,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.rawTable ? { rawTable: options.rawTable } : {}),
  });
}

/**
 * The destination with `observe` told of every write call: before it is sent (`before`) and after the
 * CRM answered (`after`). Everything else passes through unchanged.
 */
export function observedWrites(
  real: Destination,
  observe: { before?(records: readonly WriteRecord[]): void; after?(records: readonly WriteRecord[]): void },
): Destination {
  return {
    name: real.name,
    vendor: real.vendor,
    capabilities: real.capabilities,
    maxBatchSize: real.maxBatchSize,
    defaultConcurrency: real.defaultConcurrency,
    fields: (object, signal) => real.fields(object, signal),
    readCurrent: (target, records, signal) => real.readCurrent(target, records, signal),
    async write(
      target: WriteTarget,
      records: readonly WriteRecord[],
      signal?: AbortSignal,
    ): Promise<readonly WriteOutcome[]> {
      observe.before?.(records);
      const out = await real.write(target, records, signal);
      observe.after?.(records);
      return out;
    },
  };
}

/**
 * The destination, aborting `controller` once its `n`-th write call has returned: the process is
 * "killed" with that call's records confirmed by the CRM and the calls in flight cut off.
 */
export function killedAfterWrites(real: Destination, n: number, controller: AbortController): Destination {
  let writes = 0;
  return observedWrites(real, {
    after() {
      if (++writes === n) controller.abort(new Error('killed'));
    },
  });
}
