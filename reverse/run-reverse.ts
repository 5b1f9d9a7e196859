import type { Destination } from '../core/destination.js';
import { type Logger, withFields } from '../core/logger.js';
import { TideError } from '../core/tide-error.js';
import type { Warehouse } from '../load/warehouse.js';
import { prunePushLog } from './push-log-retention.js';
import { PushSql, type TableNamer } from './push-sql.js';
import type { RawTableLookup } from './raw-current.js';
import { runSync, type SyncReport } from './run-sync.js';
import type { SyncConfig } from './sync-config.js';

export interface ReverseOptions {
  readonly syncs: readonly SyncConfig[];
  /** The Destination of a configured CRM account, by source name. */
  readonly destination: (crm: string) => Destination;
  readonly warehouse: Warehouse;
  readonly runId: string;
  readonly log: Logger;
  readonly dryRun: boolean;
  readonly signal?: AbortSignal;
  readonly tableName?: TableNamer;
  /** `tide.push_log` retention (config `reverse.pushLogRetentionDays`); absent or null keeps every line. */
  readonly pushLogRetentionDays?: number | null;
  readonly onProgress?: (sync: string, records: number) => void;
  /**
   * The HTTP requests made so far to a CRM account (by source name): a sync's report then counts
   * every request it made (field reads, lookups, each write and retry), not only its batches.
   */
  readonly requestsTo?: (crm: string) => number;
  /**
   * The raw table this run's extract completed for a CRM object, where conflicts are looked for first
   * (`tide run`); absent or null: every conflict check reads the CRM back (`tide reverse` alone).
   */
  readonly rawTables?: RawTableLookup;
}

/**
 * Every sync, one after another (each is already parallel within its account's rate budget, and
 * syncs to one account would only compete for it). A sync that fails does not stop the others.
 */
export async function runReverse(options: ReverseOptions): Promise<SyncReport[]> {
  const sql = new PushSql(options.warehouse.dialect, options.tableName);
  // How often state is saved is the warehouse's to say: after every confirmed batch where DML is
  // cheap, in groups where it is slow and quota'd (a crash re-sends at most that many, idempotently).
  const flushEvery = options.warehouse.dialect.capabilities.stateFlushRecords;
  const reports: SyncReport[] = [];
  for (const sync of options.syncs) {
    if (options.signal?.aborted) break;
    const destination = options.destination(sync.to.crm);
    const log = withFields(options.log, { sync: sync.name });
    log.info(options.dryRun ? 'planning' : 'pushing', {
      to: `${destination.vendor} ${sync.to.object}`,
      mode: sync.mode,
    });
    // Syncs run one after another, so the account's requests meanwhile are this sync's.
    const before = options.requestsTo?.(sync.to.crm) ?? 0;
    const rawTable = (await options.rawTables?.(sync.to.crm, sync.to.object)) ?? null;
    const report = await runSync({
      sync,
      destination,
      warehouse: options.warehouse,
      sql,
      runId: options.runId,
      log,
      dryRun: options.dryRun,
      flushEvery,
      rawTable,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: (n: number) => options.onProgress?.(sync.name, n) } : {}),
    });
    reports.push(
      options.requestsTo === undefined
        ? report
        : { ...report, requests: options.requestsTo(sync.to.crm) - before },
    );
  }
  // Once per run, not per sync: one DELETE scan (BigQuery DML is quota'd). Only when some sync got
  // as far as pushing, which created the system tables.
  if (!options.dryRun && reports.some((r) => ['ok', 'partial', 'failed'].includes(r.status))) {
    await prunePushLog({
      warehouse: options.warehouse,
      sql,
      days: options.pushLogRetentionDays ?? null,
      log: options.log,
    });
  }
  return reports;
}

/** The syncs named on the command line (all when none), or a clear error naming the known ones. */
export function selectSyncs(syncs: readonly SyncConfig[], names: readonly string[]): SyncConfig[] {
  if (names.length === 0) return [...syncs];
  const unknown = names.filter((n) => !syncs.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new TideError(
      'config_invalid',
      `--sync: no sync named ${unknown.map((n) => `"${n}"`).join(', ')}`,
      {
        hint: `configured syncs: ${syncs.map((s) => s.name).join(', ') || 'none (add a syncs section to the config)'}`,
      },
    );
  }
  return syncs.filter((s) => names.includes(s.name));
}
