import { z } from 'zod';
import type { StreamStatus, Warehouse } from '../../load/warehouse.js';
import { RunHistory, type RunHistoryEntry } from '../runs/run-history.js';
import { STATUS_CLASSES, type StatusClass } from '../runs/run-record.js';
import type { Statement } from '../runs/runs-sql.js';
import { HealthSql } from './health-sql.js';
import type { MetricName } from './thresholds.js';

/** One line of a chart: a metric of one source (and object, or sync) over the runs, null where unmeasured. */
export interface Series {
  /** `hubspot.contacts`, `hubspot`, `all.people` or a sync name. */
  readonly key: string;
  /** The source the series belongs to (`all` for the measures across every CRM). */
  readonly source: string;
  readonly object: string | null;
  /** One value per run of HealthData.runs, in order. */
  readonly values: readonly (number | null)[];
}

export interface HealthData {
  /** Finished runs, oldest first: the x axis of every chart. */
  readonly runs: readonly RunHistoryEntry[];
  /** Runs still marked running: in progress, or killed before they could say how they ended. */
  readonly unfinished: readonly RunHistoryEntry[];
  readonly metrics: Readonly<Record<MetricName, readonly Series[]>>;
  /** Requests per source and status class, per run. */
  readonly requests: readonly { readonly source: string; readonly byClass: Record<StatusClass, number[]> }[];
  /** Reverse ETL per sync, per run. */
  readonly reverse: readonly {
    readonly sync: string;
    readonly source: string;
    readonly object: string;
    readonly written: readonly number[];
    readonly rejected: readonly number[];
    /** Fields a person changed since Tide's last push, found per run (conflict rules). */
    readonly conflicts: readonly number[];
  }[];
  /** The most frequent reject reasons over the runs shown (values in them replaced by `…`). */
  readonly rejectReasons: readonly {
    readonly sync: string;
    readonly reason: string;
    readonly count: number;
  }[];
  /** Why quality metrics are missing, when they are (models never built, table unreadable). */
  readonly qualityProblem: string | null;
  /** Every stream as the warehouse holds it now (`tide status`): rows, last load, deletes checked. */
  readonly streams: readonly StreamStatus[];
}

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
type QualityRow = z.output<typeof QualityRow>;

const DeletesCheckRow = z.object({
  source: z.string(),
  stream: z.string(),
  completed_at: z.string(),
  deletes_checked_at: z.string(),
});
type DeletesCheckRow = z.output<typeof DeletesCheckRow>;

const ReasonRow = z.object({
  sync: z.string(),
  reason: z.string().nullable(),
  n: z.union([z.number(), z.bigint(), z.string()]).transform(Number),
});

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

const REASON_ROWS = 500;
const TOP_REASONS = 5;

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
  const sql = new HealthSql(warehouse.dialect);

  let qualityProblem: string | null = null;
  let quality: QualityRow[] = [];
  try {
    quality = (await rows(warehouse, sql.qualityHistory(ids))).map((r) => QualityRow.parse(r));
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
    checks = (await rows(warehouse, sql.deletesChecks())).map((r) => DeletesCheckRow.parse(r));
  } catch {
    // A warehouse from before deletes were recorded (no such column): nothing to chart.
  }
  let reasons: z.output<typeof ReasonRow>[] = [];
  try {
    reasons = (await rows(warehouse, sql.rejectReasons(ids, REASON_ROWS))).map((r) => ReasonRow.parse(r));
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

/**
 * Per source and stream, failed extractions / attempted ones over the runs so far (cumulative from
 * the first run shown): one failure in 300 stream syncs is 0.3 %, not 100 % of one night.
 */
function syncFailureSeries(runs: readonly RunHistoryEntry[]): Series[] {
  const keys = new Map<string, { source: string; object: string }>();
  for (const run of runs)
    for (const s of run.counts?.streams ?? [])
      keys.set(`${s.source}.${s.stream}`, { source: s.source, object: s.stream });
  return [...keys].sort(byKey).map(([key, { source, object }]) => {
    let attempts = 0;
    let failures = 0;
    const values = runs.map((run) => {
      for (const s of run.counts?.streams ?? []) {
        if (s.source !== source || s.stream !== object) continue;
        attempts++;
        if (s.status === 'failed') failures++;
      }
      return attempts === 0 ? null : failures / attempts;
    });
    return { key, source, object, values };
  });
}

/**
 * Per stream, at the end of each run: hours since the newest time up to which a load completed by
 * then had checked the stream's deletes; null before its first check.
 */
function deletesCheckSeries(runs: readonly RunHistoryEntry[], checks: readonly DeletesCheckRow[]): Series[] {
  const byStream = new Map<
    string,
    { source: string; object: string; checks: { done: number; upTo: number }[] }
  >();
  for (const c of checks) {
    const key = `${c.source}.${c.stream}`;
    const entry = byStream.get(key) ?? { source: c.source, object: c.stream, checks: [] };
    entry.checks.push({ done: Date.parse(c.completed_at), upTo: Date.parse(c.deletes_checked_at) });
    byStream.set(key, entry);
  }
  return [...byStream].sort(byKey).map(([key, { source, object, checks: list }]) => ({
    key,
    source,
    object,
    values: runs.map((run) => {
      const end = (run.finishedAt ?? run.startedAt).getTime();
      let newest = Number.NEGATIVE_INFINITY;
      for (const c of list) if (c.done <= end && c.upTo > newest) newest = c.upTo;
      return newest === Number.NEGATIVE_INFINITY
        ? null
        : Math.round(Math.max(0, end - newest) / 360_000) / 10;
    }),
  }));
}

function apiErrorSeries(runs: readonly RunHistoryEntry[]): Series[] {
  const sources = new Set(runs.flatMap((r) => (r.counts?.requests ?? []).map((q) => q.source)));
  return [...sources].sort().map((source) => ({
    key: source,
    source,
    object: null,
    values: runs.map((run) => {
      const q = run.counts?.requests.find((x) => x.source === source);
      return q === undefined || q.calls === 0 ? null : q.errors / q.calls;
    }),
  }));
}

function requestSeries(runs: readonly RunHistoryEntry[]): HealthData['requests'] {
  const sources = new Set(runs.flatMap((r) => (r.counts?.requests ?? []).map((q) => q.source)));
  return [...sources].sort().map((source) => {
    const byClass = Object.fromEntries(
      STATUS_CLASSES.map((c) => [
        c,
        runs.map((run) => run.counts?.requests.find((q) => q.source === source)?.byClass[c] ?? 0),
      ]),
    ) as Record<StatusClass, number[]>;
    return { source, byClass };
  });
}

function qualitySeries(
  runs: readonly RunHistoryEntry[],
  quality: readonly QualityRow[],
  value: (row: QualityRow) => number | null | undefined,
): Series[] {
  const keys = new Map<string, { source: string; object: string }>();
  for (const q of quality)
    keys.set(`${q.source_name}.${q.object}`, { source: q.source_name, object: q.object });
  const index = new Map(quality.map((q) => [`${q.run_id}\u0000${q.source_name}.${q.object}`, q]));
  return [...keys]
    .sort(byKey)
    .map(([key, { source, object }]) => ({
      key,
      source,
      object,
      values: runs.map((run) => {
        const row = index.get(`${run.runId}\u0000${key}`);
        const v = row === undefined ? null : value(row);
        return v === undefined || v === null || Number.isNaN(v) ? null : v;
      }),
    }))
    .filter((s) => s.values.some((v) => v !== null));
}

/**
 * Within one CRM object (its own rows), and across all CRMs: the `all` rows where the models write
 * them, else each object's across-CRM rate (the earlier layout).
 */
function duplicateSeries(runs: readonly RunHistoryEntry[], quality: readonly QualityRow[]): Series[] {
  const within = qualitySeries(runs, quality, (q) => q.duplicate_rate ?? q.duplicate_rate_within_crm);
  if (within.some((s) => s.source === 'all')) return within;
  const across = qualitySeries(runs, quality, (q) => q.duplicate_rate_across_crms).map((s) => ({
    ...s,
    key: `all.${s.key}`,
    source: 'all',
  }));
  return [...within, ...across];
}

function rejectSeries(runs: readonly RunHistoryEntry[]): Series[] {
  return reverseSeries(runs).map((r) => ({
    key: r.sync,
    source: r.source,
    object: r.object,
    values: r.written.map((w, i) => {
      const rejected = r.rejected[i] ?? 0;
      return w + rejected === 0 ? null : rejected / (w + rejected);
    }),
  }));
}

function reverseSeries(runs: readonly RunHistoryEntry[]): HealthData['reverse'] {
  const syncs = new Map<string, { source: string; object: string }>();
  for (const run of runs)
    for (const s of run.counts?.syncs ?? []) syncs.set(s.sync, { source: s.source, object: s.object });
  return [...syncs].sort(byKey).map(([sync, { source, object }]) => ({
    sync,
    source,
    object,
    written: runs.map((run) => run.counts?.syncs.find((s) => s.sync === sync)?.written ?? 0),
    rejected: runs.map((run) => run.counts?.syncs.find((s) => s.sync === sync)?.rejected ?? 0),
    conflicts: runs.map((run) => run.counts?.syncs.find((s) => s.sync === sync)?.conflicts ?? 0),
  }));
}

/**
 * Reasons usually quote the record's value (`no contacts record matches email "a@b.c"`): with the
 * quoted parts and long numbers replaced, rejections of one kind count as one reason.
 */
export function reasonKind(reason: string): string {
  return reason
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\b\d{3,}\b/g, '…');
}

function topReasons(rows: readonly z.output<typeof ReasonRow>[]): HealthData['rejectReasons'] {
  const counts = new Map<string, { sync: string; reason: string; count: number }>();
  for (const row of rows) {
    const reason = reasonKind(row.reason ?? '(no reason given)');
    const key = `${row.sync}\u0000${reason}`;
    const entry = counts.get(key) ?? { sync: row.sync, reason, count: 0 };
    entry.count += row.n;
    counts.set(key, entry);
  }
  const out: { sync: string; reason: string; count: number }[] = [];
  const bySync = new Map<string, number>();
  for (const entry of [...counts.values()].sort(
    (a, b) => b.count - a.count || a.reason.localeCompare(b.reason),
  )) {
    const n = bySync.get(entry.sync) ?? 0;
    if (n >= TOP_REASONS) continue;
    bySync.set(entry.sync, n + 1);
    out.push(entry);
  }
  return out;
}

function hoursOf(hours: number | null | undefined, seconds: number | null | undefined): number | null {
  if (hours !== null && hours !== undefined) return hours;
  return seconds === null || seconds === undefined ? null : Math.round((seconds / 3600) * 10) / 10;
}

async function rows(warehouse: Warehouse, statement: Statement): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const row of warehouse.query(statement.sql, statement.params)) out.push({ ...row });
  return out;
}

function byKey<T>(a: [string, T], b: [string, T]): number {
  return a[0].localeCompare(b[0]);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
