import type { RunHistoryEntry } from '../runs/run-history.js';
import { byKey, type Series } from './health-data.js';
import type { QualityRow } from './health-queries.js';

// The measures the models append to quality_metrics_history, per CRM object and run.

export function qualitySeries(
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
export function duplicateSeries(runs: readonly RunHistoryEntry[], quality: readonly QualityRow[]): Series[] {
  const within = qualitySeries(runs, quality, (q) => q.duplicate_rate ?? q.duplicate_rate_within_crm);
  if (within.some((s) => s.source === 'all')) return within;
  const across = qualitySeries(runs, quality, (q) => q.duplicate_rate_across_crms).map((s) => ({
    ...s,
    key: `all.${s.key}`,
    source: 'all',
  }));
  return [...within, ...across];
}

/** Freshness in hours: the current layout's hours, else the earlier layout's seconds to one decimal. */
export function hoursOf(hours: number | null | undefined, seconds: number | null | undefined): number | null {
  if (hours !== null && hours !== undefined) return hours;
  return seconds === null || seconds === undefined ? null : Math.round((seconds / 3600) * 10) / 10;
}
