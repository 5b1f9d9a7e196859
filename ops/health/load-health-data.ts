import type { StreamStatus, Warehouse } from '../../load/warehouse.js';
import { RunHistory, type RunHistoryEntry } from '../runs/run-history.js';
import { deletesCheckSeries } from './deletes-check-series.js';
import type { HealthData } from './health-data.js';
import { type DeletesCheckRow, HealthQueries, type QualityRow, type ReasonRow } from './health-queries.js';
import { duplicateSeries, hoursOf, qualitySeries } from './quality-series.js';
import { topReasons } from './reject-reasons.js';
import {
  apiErrorSeries,
  rejectSeries,
  requestSeries,
  reverseSeries,
  syncFailureSeries,
} from './run-series.js';

/** The report of a warehouse without run history: nothing to chart, and the reason said. */
const EMPTY: HealthData = {
  runs: [],
  unfinished: [],
  metrics: {
    syncFailureRate: [],
    apiErrorRate: [],
    requiredFieldCompletion: [],
    duplicateRate: [],
    invalidEmailRate: [],
    recordFreshnessHours: [],
    loadFreshnessHours: [],
    deletesCheckAgeHours: [],
    reverseRejectRate: [],
  },
  requests: [],
  reverse: [],
  rejectReasons: [],
  qualityProblem: null,
  streams: [],
};

/**
 * Everything the health report and the alerts look at, for the newest `limit` runs: from
 * `tide.runs` (stream outcomes, requests by status class, reverse ETL counts), the models'
 * `quality_metrics_history` (quality per CRM object, measured by each run that built models) and
 * `tide.push_log` (reject reasons). Nothing here names a CRM: sources and objects come from the data.
 */
export async function loadHealthData(warehouse: Warehouse, limit: number): Promise<HealthData> {
  let recent: RunHistoryEntry[];
  try {
    recent = (await new RunHistory(warehouse).recent(limit)).reverse();
  } catch (error) {
    // A warehouse last written by a Tide without run history (opened read-only, nothing created).
    return { ...EMPTY, qualityProblem: `no run history yet (tide.runs): ${message(error)}` };
  }
  const runs = recent.filter((r) => r.status !== 'running');
  const unfinished = recent.filter((r) => r.status === 'running');
  const ids = runs.map((r) => r.runId);
  const queries = new HealthQueries(warehouse);

  let qualityProblem: string | null = null;
  let quality: QualityRow[] = [];
  try {
    quality = await queries.qualityHistory(ids);
  } catch (error) {
    qualityProblem = `quality metrics unavailable (run \`tide models run\` to build them): ${message(error)}`;
  }
  let streams: readonly StreamStatus[] = [];
  try {
    streams = await warehouse.streamStatus();
  } catch {
    // Nothing loaded yet (no tide.loads): no streams to show.
  }
  let checks: DeletesCheckRow[] = [];
  try {
    checks = await queries.deletesChecks();
  } catch {
    // A warehouse from before deletes were recorded (no such column): nothing to chart.
  }
  let reasons: ReasonRow[] = [];
  try {
    reasons = await queries.rejectReasons(ids);
  } catch {
    // No push log yet: reverse ETL never pushed.
  }

  return {
    runs,
    unfinished,
    metrics: {
      syncFailureRate: syncFailureSeries(runs),
      apiErrorRate: apiErrorSeries(runs),
      requiredFieldCompletion: qualitySeries(runs, quality, (q) => q.required_field_completion),
      duplicateRate: duplicateSeries(runs, quality),
      invalidEmailRate: qualitySeries(runs, quality, (q) => q.invalid_email_rate),
      recordFreshnessHours: qualitySeries(runs, quality, (q) =>
        hoursOf(q.record_freshness_hours, q.record_freshness_seconds),
      ),
      loadFreshnessHours: qualitySeries(runs, quality, (q) =>
        hoursOf(q.load_freshness_hours, q.load_freshness_seconds),
      ),
      deletesCheckAgeHours: deletesCheckSeries(runs, checks),
      reverseRejectRate: rejectSeries(runs),
    },
    requests: requestSeries(runs),
    reverse: reverseSeries(runs),
    rejectReasons: topReasons(reasons),
    qualityProblem,
    streams,
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
