import type { Dialect } from '../../load/dialect/dialect.js';
import { type RunRecord, totalsOf } from './run-record.js';

/** A statement with positional `?` parameters (both DuckDB and BigQuery bind them). */
export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** The columns of `tide.runs` (created with the other system tables at warehouse init). */
export const RUN_COLUMNS = [
  'run_id',
  'command',
  'status',
  'started_at',
  'finished_at',
  'exit_code',
  'records_loaded',
  'models_built',
  'records_written',
  'records_rejected',
  'api_calls',
  'api_errors',
  'counts_json',
  'error_summary',
  'recorded_at',
] as const;

/**
 * Every statement run history sends, written once for both warehouses through the dialect. Values
 * travel as ONE JSON parameter (the dialect's jsonRows), which types NULLs on BigQuery too. Rows are
 * append-then-delete like reverse ETL's state: a run's 'running' row is deleted once its final row
 * is in, and readers take each run's newest row, so a crash between the two reads right.
 */
export class RunsSql {
  readonly #d: Dialect;
  readonly #runs: string;

  constructor(dialect: Dialect) {
    this.#d = dialect;
    this.#runs = dialect.relation({ schema: 'tide', name: 'runs' });
  }

  insert(run: RunRecord, recordedAt: Date): Statement {
    const totals = run.counts === null ? null : totalsOf(run.counts);
    const row = {
      r: run.runId,
      c: run.command,
      s: run.status,
      sa: run.startedAt.toISOString(),
      fa: run.finishedAt?.toISOString() ?? null,
      e: run.exitCode,
      rl: totals?.recordsLoaded ?? null,
      mb: totals?.modelsBuilt ?? null,
      rw: totals?.recordsWritten ?? null,
      rr: totals?.recordsRejected ?? null,
      ac: totals?.apiCalls ?? null,
      ae: totals?.apiErrors ?? null,
      j: run.counts === null ? null : JSON.stringify(run.counts),
      es: run.errorSummary,
      ra: recordedAt.toISOString(),
    };
    const rows = this.#d.jsonRows({
      r: 'string',
      c: 'string',
      s: 'string',
      sa: 'timestamp',
      fa: 'timestamp',
      e: 'int32',
      rl: 'integer',
      mb: 'integer',
      rw: 'integer',
      rr: 'integer',
      ac: 'integer',
      ae: 'integer',
      j: 'string',
      es: 'string',
      ra: 'timestamp',
    });
    return {
      sql: `INSERT INTO ${this.#runs} (${RUN_COLUMNS.join(', ')})
SELECT ${rows.columns.join(', ')}
FROM ${rows.from}`,
      params: [JSON.stringify([row])],
    };
  }

  /** Drops the 'running' row of a run whose final row is written. */
  deleteStarted(runId: string): Statement {
    return {
      sql: `DELETE FROM ${this.#runs} WHERE run_id = ? AND status = 'running'`,
      params: [runId],
    };
  }

  /** Runs started before `cutoff` (an ISO timestamp), whatever their status. */
  prune(cutoff: string): Statement {
    return {
      sql: `DELETE FROM ${this.#runs} WHERE started_at < CAST(? AS ${this.#d.type('timestamp')})`,
      params: [cutoff],
    };
  }

  /** The newest `limit` runs, newest first, one row each (its newest). */
  history(limit: number): Statement {
    return {
      sql: `SELECT ${RUN_COLUMNS.join(', ')}
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY run_id ORDER BY recorded_at DESC) AS newest
  FROM ${this.#runs}
) AS r
WHERE newest = 1
ORDER BY started_at DESC
LIMIT ${Math.max(1, Math.floor(limit))}`,
      params: [],
    };
  }
}
