import type { HealthData, Series } from '../health/health-data.js';
import { breaches, METRICS, type MetricName, type Thresholds } from '../health/thresholds.js';
import { STATUS_CLASSES } from '../runs/run-record.js';

/** What the page's script hands Chart.js for one chart (plain JSON, embedded in the report). */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly note: string;
  readonly kind: 'line' | 'bar';
  readonly stacked: boolean;
  readonly unit: 'rate' | 'hours' | 'count' | 'seconds';
  readonly series: readonly {
    readonly name: string;
    readonly values: readonly (number | null)[];
    /** Per point: on the unhealthy side of the threshold (drawn red). */
    readonly breach: readonly boolean[];
    /** A fixed colour (status classes, run status); the palette otherwise. */
    readonly color?: string;
  }[];
  readonly threshold: { readonly value: number; readonly healthy: 'below' | 'above' } | null;
}

/** A report section: all of one source's charts, or the cross-CRM and reverse-ETL ones. */
export interface ChartSection {
  readonly id: string;
  readonly title: string;
  readonly charts: readonly ChartSpec[];
}

const CLASS_COLORS: Record<(typeof STATUS_CLASSES)[number], string> = {
  '2xx': '#2e7d32',
  '3xx': '#78909c',
  '4xx': '#ef6c00',
  '429': '#8e24aa',
  '5xx': '#c62828',
  network: '#37474f',
};

/**
 * The charts of the report, grouped: one section per source found in the data (never a list of CRM
 * kinds: whatever connectors are configured appear), then the measures across all CRMs, then reverse
 * ETL. A chart is left out when it has nothing to draw.
 */
export function buildSections(data: HealthData, thresholds: Thresholds): ChartSection[] {
  const sources = new Set<string>();
  for (const list of Object.values(data.metrics)) for (const s of list) sources.add(s.source);
  for (const r of data.requests) sources.add(r.source);
  sources.delete('all');
  const sections: ChartSection[] = [];
  for (const source of [...sources].sort()) {
    const mine = (metric: MetricName): Series[] => data.metrics[metric].filter((s) => s.source === source);
    const requests = data.requests.find((r) => r.source === source);
    const charts = [
      metricChart(
        `${source}-sync-failures`,
        'syncFailureRate',
        mine('syncFailureRate'),
        thresholds,
        objectName,
      ),
      metricChart(`${source}-api-errors`, 'apiErrorRate', mine('apiErrorRate'), thresholds, () => source),
      requests === undefined
        ? null
        : {
            id: `${source}-requests`,
            title: 'API requests by status class',
            note: '429 (rate limited) apart from the other 4xx; network = no response',
            kind: 'bar' as const,
            stacked: true,
            unit: 'count' as const,
            series: STATUS_CLASSES.filter((c) => requests.byClass[c].some((n) => n > 0)).map((c) => ({
              name: c,
              values: requests.byClass[c],
              breach: requests.byClass[c].map(() => false),
              color: CLASS_COLORS[c],
            })),
            threshold: null,
          },
      metricChart(
        `${source}-record-freshness`,
        'recordFreshnessHours',
        mine('recordFreshnessHours'),
        thresholds,
        objectName,
      ),
      metricChart(
        `${source}-load-freshness`,
        'loadFreshnessHours',
        mine('loadFreshnessHours'),
        thresholds,
        objectName,
      ),
      metricChart(
        `${source}-deletes-check`,
        'deletesCheckAgeHours',
        mine('deletesCheckAgeHours'),
        thresholds,
        objectName,
      ),
      metricChart(
        `${source}-completion`,
        'requiredFieldCompletion',
        mine('requiredFieldCompletion'),
        thresholds,
        objectName,
      ),
      metricChart(`${source}-duplicates`, 'duplicateRate', mine('duplicateRate'), thresholds, objectName),
      metricChart(
        `${source}-invalid-emails`,
        'invalidEmailRate',
        mine('invalidEmailRate'),
        thresholds,
        objectName,
      ),
    ].filter((c): c is ChartSpec => c !== null && c.series.length > 0);
    if (charts.length > 0) sections.push({ id: `source-${source}`, title: source, charts });
  }

  const across = [
    metricChart(
      'all-duplicates',
      'duplicateRate',
      data.metrics.duplicateRate.filter((s) => s.source === 'all'),
      thresholds,
      objectName,
      'across all CRMs: a person in two CRMs counts once',
    ),
  ].filter((c): c is ChartSpec => c !== null && c.series.length > 0);
  if (across.length > 0) sections.push({ id: 'across-crms', title: 'Across all CRMs', charts: across });

  const reverse: ChartSpec[] = data.reverse.flatMap((r) => [
    syncChart(r),
    // Only where a person's edit met a push: fields, not records, so a chart of its own.
    ...(r.conflicts.some((n) => n > 0) ? [conflictChart(r)] : []),
  ]);
  const rejectRate = metricChart(
    'reverse-reject-rate',
    'reverseRejectRate',
    data.metrics.reverseRejectRate,
    thresholds,
    (s) => s.key,
  );
  if (rejectRate !== null && rejectRate.series.length > 0) reverse.push(rejectRate);
  if (reverse.length > 0) sections.push({ id: 'reverse', title: 'Reverse ETL', charts: reverse });
  return sections;
}

/** The run timeline: each run's duration, coloured by how it ended. */
export function runsChart(data: HealthData): ChartSpec {
  const seconds = data.runs.map((r) =>
    r.finishedAt === null ? null : Math.round((r.finishedAt.getTime() - r.startedAt.getTime()) / 100) / 10,
  );
  const of = (status: string): (number | null)[] =>
    data.runs.map((r, i) => (r.status === status ? (seconds[i] ?? null) : null));
  return {
    id: 'runs',
    title: 'Runs',
    note: 'duration of each run, by how it ended',
    kind: 'bar',
    stacked: true,
    unit: 'seconds',
    series: [
      { name: 'success', values: of('success'), breach: [], color: '#2e7d32' },
      { name: 'partial', values: of('partial'), breach: [], color: '#f9a825' },
      { name: 'failed', values: of('failed'), breach: [], color: '#c62828' },
    ].filter((s) => s.values.some((v) => v !== null)),
    threshold: null,
  };
}

function metricChart(
  id: string,
  metric: MetricName,
  series: readonly Series[],
  thresholds: Thresholds,
  name: (s: Series) => string,
  note?: string,
): ChartSpec | null {
  if (series.length === 0) return null;
  const def = METRICS[metric];
  const threshold = thresholds[metric];
  return {
    id,
    title: def.label,
    note: note ?? def.what,
    kind: 'line',
    stacked: false,
    unit: def.unit,
    series: series.map((s) => ({
      name: name(s),
      values: s.values,
      breach: s.values.map((v) => breaches(metric, v, thresholds)),
    })),
    threshold: threshold === null ? null : { value: threshold, healthy: def.healthy },
  };
}

function objectName(s: Series): string {
  return s.object ?? s.key;
}

type SyncSeries = HealthData['reverse'][number];

function syncChart(r: SyncSeries): ChartSpec {
  return {
    id: `sync-${r.sync}`,
    title: `${r.sync} → ${r.source}.${r.object}`,
    note: 'records written and rejected per run',
    kind: 'bar',
    stacked: true,
    unit: 'count',
    series: [
      { name: 'written', values: r.written, breach: r.written.map(() => false), color: '#2e7d32' },
      { name: 'rejected', values: r.rejected, breach: r.rejected.map(() => false), color: '#c62828' },
    ],
    threshold: null,
  };
}

/** Conflicts per run (README, "Field ownership"): each is a row of tide.push_conflicts. */
function conflictChart(r: SyncSeries): ChartSpec {
  return {
    id: `conflicts-${r.sync}`,
    title: `${r.sync}: conflicts`,
    note: 'fields a person changed in the CRM since Tide pushed them, per run (tide.push_conflicts)',
    kind: 'bar',
    stacked: false,
    unit: 'count',
    series: [
      { name: 'conflicts', values: r.conflicts, breach: r.conflicts.map(() => false), color: '#ef6c00' },
    ],
    threshold: null,
  };
}
