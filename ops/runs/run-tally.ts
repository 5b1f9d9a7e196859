import { isTideError } from '../../core/tide-error.js';
import type { ExtractSummary } from '../../extract/run-extract.js';
import type { SyncReport } from '../../reverse/run-sync.js';
import type { DataTestSummary } from '../../transform/data-tests/run-data-tests.js';
import type { ModelRunSummary } from '../../transform/run/run-models.js';
import {
  isErrorStatus,
  type ModelsRun,
  type RunCounts,
  type SourceRequests,
  STATUS_CLASSES,
  type StatusClass,
  type StreamRun,
  type SyncRun,
  statusClassOf,
} from './run-record.js';

/** Conflicts a sync found, whatever its rules decided (fill-empty and failed checks: none). */
function conflictsOf(report: SyncReport): number {
  const s = report.conflicts?.stats;
  return s === undefined ? 0 : s.report + s.keepCrm + s.overwrite;
}

/** Room for an operator's first look; the full story is in the log and the stage tables. */
const MAX_ERROR_SUMMARY = 2_000;

/**
 * Collects what each stage of one invocation did, as the stages finish, into the counts of its
 * `tide.runs` row and a short error summary (the first problems, each naming where it happened).
 */
export class RunTally {
  readonly #streams: StreamRun[] = [];
  #models: ModelsRun | null = null;
  readonly #syncs: SyncRun[] = [];
  #requests: SourceRequests[] = [];
  readonly #errors: string[] = [];

  extract(summary: ExtractSummary): void {
    for (const o of summary.outcomes) {
      this.#streams.push({
        source: o.source,
        stream: o.stream,
        status: o.status,
        records: o.records,
        deleted: o.deleted,
        seconds: round(o.seconds),
        error: o.error ? `${o.error.code}: ${o.error.message}` : null,
      });
      if (o.error) this.#errors.push(`${o.source}.${o.stream}: ${o.error.code}: ${o.error.message}`);
    }
  }

  models(summary: ModelRunSummary, tests: DataTestSummary | null): void {
    const count = (status: string): number => summary.results.filter((r) => r.status === status).length;
    const testsFailed =
      tests?.results.filter((r) => r.status !== 'pass' && r.severity !== 'warn').length ?? 0;
    this.#models = {
      status: summary.status === 'ok' && testsFailed === 0 ? 'ok' : 'failed',
      built: summary.results.filter((r) => r.status === 'success' && r.mode !== 'unchanged').length,
      unchanged: summary.results.filter((r) => r.mode === 'unchanged').length,
      failed: count('error'),
      skipped: count('skipped'),
      testsFailed,
      seconds: round(summary.seconds),
    };
    for (const r of summary.results) {
      if (r.status === 'error' && r.error) this.#errors.push(`model ${r.name}: ${r.error.message}`);
    }
    if (testsFailed > 0) this.#errors.push(`${testsFailed} data test(s) failed`);
  }

  /** `calls` per sync: the CRM requests counted while that sync ran (syncs run one at a time). */
  reverse(reports: readonly SyncReport[], calls: ReadonlyMap<string, number>): void {
    for (const r of reports) {
      const error = r.error ? `${r.error.code}: ${r.error.message}` : (r.problems[0] ?? null);
      this.#syncs.push({
        sync: r.sync,
        source: r.crm,
        object: r.object,
        status: r.rejectRateExceeded ? 'reject-rate-exceeded' : r.status,
        written: r.counts?.written ?? 0,
        rejected: (r.counts?.rejected ?? 0) + (r.counts?.invalid ?? 0),
        skipped: r.counts?.skipped ?? 0,
        calls: calls.get(r.sync) ?? 0,
        conflicts: conflictsOf(r),
        error,
      });
      if (error !== null) this.#errors.push(`sync ${r.sync}: ${error}`);
      else if (r.rejectRateExceeded) {
        this.#errors.push(`sync ${r.sync}: reject rate ${(r.rejectRate * 100).toFixed(1)}% over its limit`);
      }
    }
  }

  /** The session's cumulative request counts (every stage's), by source and status class. */
  requests(rows: readonly { source: string; status: number; count: number }[]): void {
    const bySource = new Map<string, SourceRequests>();
    for (const row of rows) {
      let entry = bySource.get(row.source);
      if (entry === undefined) {
        const byClass = Object.fromEntries(STATUS_CLASSES.map((c) => [c, 0])) as Record<StatusClass, number>;
        entry = { source: row.source, calls: 0, errors: 0, byClass };
        bySource.set(row.source, entry);
      }
      entry.calls += row.count;
      if (isErrorStatus(row.status)) entry.errors += row.count;
      entry.byClass[statusClassOf(row.status)] += row.count;
    }
    this.#requests = [...bySource.values()].sort((a, b) => a.source.localeCompare(b.source));
  }

  /** An error that ended the command (after what the stages reported). */
  fatal(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#errors.push(isTideError(error) ? `${error.code}: ${message}` : message);
  }

  counts(): RunCounts {
    return {
      streams: [...this.#streams],
      models: this.#models,
      syncs: [...this.#syncs],
      requests: [...this.#requests],
    };
  }

  errorSummary(): string | null {
    if (this.#errors.length === 0) return null;
    const text = this.#errors.join('\n');
    return text.length <= MAX_ERROR_SUMMARY ? text : `${text.slice(0, MAX_ERROR_SUMMARY - 1)}…`;
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}
