import { z } from 'zod';
import { retentionDays } from '../../core/config-pieces.js';
import type { Warehouse } from '../../load/warehouse.js';
import { runStatement } from '../../reverse/push-state.js';
import { type RunCounts, RunCountsSchema, type RunRecord, type RunStatus } from './run-record.js';
import { RunsSql, type Statement } from './runs-sql.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Days a `tide.runs` row is kept (config `runs.retentionDays`), like `reverse.pushLogRetentionDays`;
 * `null` keeps every run.
 */
export const RunRetentionDaysSchema = retentionDays('the run history');

const isoOrDate = z.union([z.date(), z.string()]).transform((v) => new Date(v));
const count = z.union([z.number(), z.bigint(), z.string()]).transform(Number);

const RunRowSchema = z.object({
  run_id: z.string(),
  command: z.string(),
  status: z.enum(['running', 'success', 'partial', 'failed']),
  started_at: isoOrDate,
  finished_at: isoOrDate.nullable(),
  exit_code: count.nullable(),
  counts_json: z.string().nullable(),
  error_summary: z.string().nullable(),
});

/** A run as read back: what was written, the counts parsed (an unreadable JSON reads as none). */
export interface RunHistoryEntry extends RunRecord {
  readonly status: RunStatus;
}

/** Writes and reads `tide.runs` through the warehouse's dialect. */
export class RunHistory {
  readonly #warehouse: Warehouse;
  readonly #sql: RunsSql;
  readonly #now: () => Date;

  constructor(warehouse: Warehouse, options: { now?: () => Date } = {}) {
    this.#warehouse = warehouse;
    this.#sql = new RunsSql(warehouse.dialect);
    this.#now = options.now ?? (() => new Date());
  }

  /** The 'running' row: a run that never finishes (killed, machine down) stays visible as one. */
  async start(run: { runId: string; command: string; startedAt: Date }): Promise<void> {
    await this.#run(
      this.#sql.insert(
        { ...run, status: 'running', finishedAt: null, exitCode: null, counts: null, errorSummary: null },
        this.#now(),
      ),
    );
  }

  /** The final row, then the 'running' row goes. */
  async finish(run: RunRecord): Promise<void> {
    await this.#run(this.#sql.insert(run, this.#now()));
    await this.#run(this.#sql.deleteStarted(run.runId));
  }

  /** Deletes runs started more than `days` ago; null keeps everything. */
  async prune(days: number | null): Promise<void> {
    if (days === null) return;
    const cutoff = new Date(this.#now().getTime() - days * DAY_MS).toISOString();
    await this.#run(this.#sql.prune(cutoff));
  }

  /** The newest `limit` runs, newest first. */
  async recent(limit: number): Promise<RunHistoryEntry[]> {
    const statement = this.#sql.history(limit);
    const out: RunHistoryEntry[] = [];
    for await (const raw of this.#warehouse.query(statement.sql, statement.params)) {
      const row = RunRowSchema.parse(raw);
      out.push({
        runId: row.run_id,
        command: row.command,
        status: row.status,
        startedAt: row.started_at,
        finishedAt: row.finished_at,
        exitCode: row.exit_code,
        counts: parseCounts(row.counts_json),
        errorSummary: row.error_summary,
      });
    }
    return out;
  }

  #run(statement: Statement): Promise<void> {
    return runStatement(this.#warehouse, statement);
  }
}

function parseCounts(text: string | null): RunCounts | null {
  if (text === null) return null;
  try {
    const parsed = RunCountsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
