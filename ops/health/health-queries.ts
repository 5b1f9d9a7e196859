import { z } from 'zod';
import type { Warehouse } from '../../load/warehouse.js';
import type { Statement } from '../runs/runs-sql.js';
import { HealthSql } from './health-sql.js';

const num = z.union([z.number(), z.bigint(), z.string()]).transform(Number).nullable().optional();
/**
 * A quality_metrics_history row. Both layouts are read: the current one (duplicate_rate, freshness
 * in hours, an `all` row per entity kind) and the earlier one (duplicate_rate_within_crm /
 * _across_crms, freshness in seconds), so a warehouse whose history spans the change charts whole.
 */
const QualityRow = z.object({
  run_id: z.string(),
  source_name: z.string(),
  object: z.string(),
  duplicate_rate: num,
  duplicate_rate_within_crm: num,
  duplicate_rate_across_crms: num,
  required_field_completion: num,
  invalid_email_rate: num,
  record_freshness_hours: num,
  record_freshness_seconds: num,
  load_freshness_hours: num,
  load_freshness_seconds: num,
});
export type QualityRow = z.output<typeof QualityRow>;

const DeletesCheckRow = z.object({
  source: z.string(),
  stream: z.string(),
  completed_at: z.string(),
  deletes_checked_at: z.string(),
});
export type DeletesCheckRow = z.output<typeof DeletesCheckRow>;

const ReasonRow = z.object({
  sync: z.string(),
  reason: z.string().nullable(),
  n: z.union([z.number(), z.bigint(), z.string()]).transform(Number),
});
export type ReasonRow = z.output<typeof ReasonRow>;

/** Reject rows read at most: enough for the top reasons of every sync, bounded for a noisy push log. */
const REASON_ROWS = 500;

/**
 * The warehouse reads behind the health report other than the run history, each row checked with
 * its schema as it enters. Each read throws when its table is missing or unreadable; the caller
 * decides what that means for the report.
 */
export class HealthQueries {
  readonly #warehouse: Warehouse;
  readonly #sql: HealthSql;

  constructor(warehouse: Warehouse) {
    this.#warehouse = warehouse;
    this.#sql = new HealthSql(warehouse.dialect);
  }

  /** The models' quality metrics measured by these runs (analytics.quality_metrics_history). */
  async qualityHistory(runIds: readonly string[]): Promise<QualityRow[]> {
    return (await this.#rows(this.#sql.qualityHistory(runIds))).map((r) => QualityRow.parse(r));
  }

  /** Every load that checked its stream's deletes, and up to when (tide.loads). */
  async deletesChecks(): Promise<DeletesCheckRow[]> {
    return (await this.#rows(this.#sql.deletesChecks())).map((r) => DeletesCheckRow.parse(r));
  }

  /** Rejections of these runs by sync and reason, most frequent first (tide.push_log). */
  async rejectReasons(runIds: readonly string[]): Promise<ReasonRow[]> {
    return (await this.#rows(this.#sql.rejectReasons(runIds, REASON_ROWS))).map((r) => ReasonRow.parse(r));
  }

  async #rows(statement: Statement): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for await (const row of this.#warehouse.query(statement.sql, statement.params)) out.push({ ...row });
    return out;
  }
}
