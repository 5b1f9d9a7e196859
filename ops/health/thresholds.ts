import { z } from 'zod';

/**
 * The health metrics Tide watches, each with the direction a healthy value lies in. Every metric is
 * measured per CRM source and object (stream); API error rate per source. Rates are 0..1.
 */
export const METRICS = {
  syncFailureRate: {
    label: 'Sync failure rate',
    what: 'failed stream extractions / attempted, over the runs shown',
    unit: 'rate',
    healthy: 'below',
  },
  apiErrorRate: {
    label: 'API error rate',
    what: 'requests without a response or with HTTP status ≥ 400 (429 included) / all requests, per run',
    unit: 'rate',
    healthy: 'below',
  },
  requiredFieldCompletion: {
    label: 'Required-field completion',
    what: 'mean share of the required fields filled per record (models.requiredFields)',
    unit: 'rate',
    healthy: 'above',
  },
  duplicateRate: {
    label: 'Duplicate rate',
    what: '(records − distinct customers) / records, within one CRM object or across all CRMs',
    unit: 'rate',
    healthy: 'below',
  },
  invalidEmailRate: {
    label: 'Invalid-email rate',
    what: 'records whose email is not a valid address / records with an email',
    unit: 'rate',
    healthy: 'below',
  },
  recordFreshnessHours: {
    label: 'Record freshness',
    what: 'hours since the newest change in the CRM object, at the run',
    unit: 'hours',
    healthy: 'below',
  },
  loadFreshnessHours: {
    label: 'Load freshness',
    what: 'hours since the last completed load of the stream, at the run',
    unit: 'hours',
    healthy: 'below',
  },
  deletesCheckAgeHours: {
    label: 'Deletes check age',
    what: "hours from the newest time a load checked the CRM's deletes to the end of the run (tide status: deletes checked)",
    unit: 'hours',
    healthy: 'below',
  },
  reverseRejectRate: {
    label: 'Reverse-sync reject rate',
    what: 'records rejected (invalid or refused by the CRM) / records attempted, per sync and run',
    unit: 'rate',
    healthy: 'below',
  },
} as const satisfies Record<
  string,
  { label: string; what: string; unit: 'rate' | 'hours'; healthy: 'below' | 'above' }
>;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

const rate = z.number().min(0).max(1).nullable();
const hours = z.number().positive().nullable();

/**
 * config `health.thresholds`: where each metric turns unhealthy. The defaults are the thresholds a
 * healthy CRM integration is commonly held to (sync failures under 1 %, API errors under 0.5 %,
 * required fields at least 90 % complete); the others are off (null) until set.
 */
export const ThresholdsSchema = z
  .object({
    syncFailureRate: rate.default(0.01),
    apiErrorRate: rate.default(0.005),
    requiredFieldCompletion: rate.default(0.9),
    duplicateRate: rate.default(null),
    invalidEmailRate: rate.default(null),
    recordFreshnessHours: hours.default(null),
    loadFreshnessHours: hours.default(null),
    /** Several connectors check deletes on a cadence (HubSpot's archived sweep, ActiveCampaign's id listing): set it above that. */
    deletesCheckAgeHours: hours.default(null),
    reverseRejectRate: rate.default(null),
  })
  .strict();
export type Thresholds = z.output<typeof ThresholdsSchema>;

/** config `health`: thresholds, and what `tide report` shows and where it writes. */
export const HealthConfigSchema = z
  .object({
    thresholds: ThresholdsSchema.prefault({}),
    /** Runs the report (and the alerts' sync failure rate) look back over. */
    reportRuns: z.number().int().min(2).max(1_000).default(30),
    /** Where `tide report` and `tide run --report` write the HTML file. */
    reportFile: z.string().min(1).default('tide-report.html'),
  })
  .strict();
export type HealthConfig = z.output<typeof HealthConfigSchema>;

/** Is `value` on the unhealthy side of the metric's threshold? (No threshold, no value: no.) */
export function breaches(metric: MetricName, value: number | null, thresholds: Thresholds): boolean {
  const threshold = thresholds[metric];
  if (threshold === null || value === null || Number.isNaN(value)) return false;
  return METRICS[metric].healthy === 'below' ? value > threshold : value < threshold;
}

/** `0.5 %` for a rate, `12.3 h` for hours. */
export function formatMetric(metric: MetricName, value: number): string {
  return METRICS[metric].unit === 'rate'
    ? `${Math.round(value * 10_000) / 100} %`
    : `${Math.round(value * 10) / 10} h`;
}
