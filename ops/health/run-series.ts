import type { RunHistoryEntry } from '../runs/run-history.js';
import { STATUS_CLASSES, type StatusClass } from '../runs/run-record.js';
import { byKey, type HealthData, type Series } from './health-data.js';

// The measures read from the runs' own counts in tide.runs (stream outcomes, requests by status
// class, reverse ETL), one value per run shown.

/**
 * Per source and stream, failed extractions / attempted ones over the runs so far (cumulative from
 * the first run shown): one failure in 300 stream syncs is 0.3 %, not 100 % of one night.
 */
export function syncFailureSeries(runs: readonly RunHistoryEntry[]): Series[] {
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

export function apiErrorSeries(runs: readonly RunHistoryEntry[]): Series[] {
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

export function requestSeries(runs: readonly RunHistoryEntry[]): HealthData['requests'] {
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

export function rejectSeries(runs: readonly RunHistoryEntry[]): Series[] {
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

export function reverseSeries(runs: readonly RunHistoryEntry[]): HealthData['reverse'] {
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
