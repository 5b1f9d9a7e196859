import type { Dialect } from '../../load/dialect/dialect.js';
import type { Statement } from '../runs/runs-sql.js';

/**
 * The reads behind the health report and the alerts, other than `tide.runs` (ops/runs/runs-sql.ts):
 * the quality metrics the models appended for each run, and reverse ETL's reject reasons. Written
 * once through the dialect; run ids travel as parameters.
 */
export class HealthSql {
  readonly #d: Dialect;

  constructor(dialect: Dialect) {
    this.#d = dialect;
  }

  /** Every column of the quality-metric rows measured by these runs. */
  qualityHistory(runIds: readonly string[]): Statement {
    const history = this.#d.relation({ schema: 'analytics', name: 'quality_metrics_history' });
    return {
      sql: `SELECT * FROM ${history} WHERE run_id IN (${placeholders(runIds)})`,
      params: [...runIds],
    };
  }

  /** Every load that checked its stream's deletes, and up to when (tide.loads.deletes_checked_at). */
  deletesChecks(): Statement {
    const loads = this.#d.relation({ schema: 'tide', name: 'loads' });
    return {
      sql: `SELECT source, stream, completed_at, deletes_checked_at FROM ${loads} WHERE deletes_checked_at IS NOT NULL`,
      params: [],
    };
  }

  /** Rejections of these runs by sync and reason, most frequent first (bounded). */
  rejectReasons(runIds: readonly string[], limit: number): Statement {
    const log = this.#d.relation({ schema: 'tide', name: 'push_log' });
    return {
      sql: `SELECT sync, reason, COUNT(*) AS n
FROM ${log}
WHERE status = 'rejected' AND run_id IN (${placeholders(runIds)})
GROUP BY sync, reason
ORDER BY n DESC, sync, reason
LIMIT ${Math.max(1, Math.floor(limit))}`,
      params: [...runIds],
    };
  }
}

/** `?, ?, ?`; never empty (an IN list must have one item: an id no run has). */
function placeholders(values: readonly string[]): string {
  return values.length === 0 ? "''" : values.map(() => '?').join(', ');
}
