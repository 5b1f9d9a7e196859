import type { HealthData } from './health-data.js';
import { breaches, METRIC_NAMES, type MetricName, type Thresholds } from './thresholds.js';

/** A metric of one source/object (or sync) on the unhealthy side of its threshold at its latest measure. */
export interface Breach {
  readonly metric: MetricName;
  readonly key: string;
  readonly source: string;
  readonly object: string | null;
  readonly value: number;
  readonly threshold: number;
  /** The run that measured the value. */
  readonly runId: string;
  /** The measure before it was healthy (or there was none): the metric has just crossed. */
  readonly crossed: boolean;
}

/** Every breach at the latest measure of each series, worst metrics first in METRICS order. */
export function findBreaches(data: HealthData, thresholds: Thresholds): Breach[] {
  const out: Breach[] = [];
  for (const metric of METRIC_NAMES) {
    const threshold = thresholds[metric];
    if (threshold === null) continue;
    for (const series of data.metrics[metric]) {
      const measured = series.values
        .map((value, i) => ({ value, i }))
        .filter((m): m is { value: number; i: number } => m.value !== null);
      const last = measured[measured.length - 1];
      if (last === undefined || !breaches(metric, last.value, thresholds)) continue;
      const before = measured[measured.length - 2];
      out.push({
        metric,
        key: series.key,
        source: series.source,
        object: series.object,
        value: last.value,
        threshold,
        runId: data.runs[last.i]?.runId ?? '',
        crossed: before === undefined || !breaches(metric, before.value, thresholds),
      });
    }
  }
  return out;
}
