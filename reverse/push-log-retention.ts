import { retentionDays } from '../core/config-pieces.js';
import type { Logger } from '../core/logger.js';
import type { Warehouse } from '../load/warehouse.js';
import type { PushSql } from './push-sql.js';
import { runStatement } from './push-state.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Days a `tide.push_log` line is kept (config `reverse.pushLogRetentionDays`); `null` keeps every line.
 * The log only explains past runs: `tide.pushed` holds the state that decides what is sent next, so
 * pruning the log never causes a re-send.
 */
export const PushLogRetentionDaysSchema = retentionDays('the push log');

export interface PushLogRetention {
  readonly warehouse: Warehouse;
  readonly sql: PushSql;
  /** `null`: keep everything. */
  readonly days: number | null;
  readonly log: Logger;
  readonly now?: () => Date;
}

/**
 * Deletes the push-log lines (and conflict rows) older than the retention; the tables must exist. Housekeeping only: a
 * failure is a warning (the next run deletes what this one could not), never a failed push.
 */
export async function prunePushLog(retention: PushLogRetention): Promise<void> {
  if (retention.days === null) return;
  const now = (retention.now ?? (() => new Date()))();
  const cutoff = new Date(now.getTime() - retention.days * DAY_MS).toISOString();
  const tables = [
    { table: 'tide.push_log', statement: retention.sql.pruneLog(cutoff) },
    { table: 'tide.push_conflicts', statement: retention.sql.conflicts.prune(cutoff) },
  ];
  for (const { table, statement } of tables) {
    try {
      await runStatement(retention.warehouse, statement);
    } catch (error) {
      retention.log.warn(`could not delete old ${table} lines; the next run tries again`, {
        cutoff,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
