import { z } from 'zod';

/**
 * One row of `tide.runs`: what one `tide run` / `extract` / `models` / `reverse` invocation did.
 * `counts` keeps the per-stage detail (stored as JSON text in `counts_json`); the totals beside it
 * are the numbers an operator filters and sums on without parsing JSON.
 */
export type RunStatus = 'running' | 'success' | 'partial' | 'failed';

export const StreamRunSchema = z.object({
  source: z.string(),
  stream: z.string(),
  status: z.enum(['ok', 'partial', 'failed']),
  records: z.number(),
  deleted: z.number(),
  seconds: z.number(),
  error: z.string().nullable(),
});
export type StreamRun = z.output<typeof StreamRunSchema>;

export const ModelsRunSchema = z.object({
  status: z.enum(['ok', 'failed']),
  built: z.number(),
  /** Models found current (nothing they read changed); runs recorded before this count have none. */
  unchanged: z.number().default(0),
  failed: z.number(),
  skipped: z.number(),
  testsFailed: z.number(),
  seconds: z.number(),
});
export type ModelsRun = z.output<typeof ModelsRunSchema>;

export const SyncRunSchema = z.object({
  sync: z.string(),
  source: z.string(),
  object: z.string(),
  status: z.string(),
  written: z.number(),
  rejected: z.number(),
  skipped: z.number(),
  /** Every HTTP request the sync made to its CRM (field reads, lookups, each write, retries). */
  calls: z.number(),
  /**
   * Fields a person changed in the CRM since Tide last pushed them, found this run (reverse ETL's
   * conflict rules; rows in tide.push_conflicts). Runs recorded before conflict rules: 0.
   */
  conflicts: z.number().default(0),
  error: z.string().nullable(),
});
export type SyncRun = z.output<typeof SyncRunSchema>;

/** Requests by HTTP status class; 429 apart from the other 4xx, `network` = no response. */
export const STATUS_CLASSES = ['2xx', '3xx', '4xx', '429', '5xx', 'network'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export const SourceRequestsSchema = z.object({
  source: z.string(),
  calls: z.number(),
  errors: z.number(),
  byClass: z.record(z.enum(STATUS_CLASSES), z.number()),
});
export type SourceRequests = z.output<typeof SourceRequestsSchema>;

export const RunCountsSchema = z.object({
  streams: z.array(StreamRunSchema).default([]),
  models: ModelsRunSchema.nullable().default(null),
  syncs: z.array(SyncRunSchema).default([]),
  requests: z.array(SourceRequestsSchema).default([]),
});
export type RunCounts = z.output<typeof RunCountsSchema>;

export interface RunRecord {
  readonly runId: string;
  readonly command: string;
  readonly status: RunStatus;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly exitCode: number | null;
  readonly counts: RunCounts | null;
  readonly errorSummary: string | null;
}

/** The totals of `tide.runs` beside counts_json. */
export interface RunTotals {
  readonly recordsLoaded: number;
  readonly modelsBuilt: number;
  readonly recordsWritten: number;
  readonly recordsRejected: number;
  readonly apiCalls: number;
  readonly apiErrors: number;
}

export function totalsOf(counts: RunCounts): RunTotals {
  const sum = <T>(items: readonly T[], of: (item: T) => number): number =>
    items.reduce((n, item) => n + of(item), 0);
  return {
    recordsLoaded: sum(counts.streams, (s) => s.records),
    modelsBuilt: counts.models?.built ?? 0,
    recordsWritten: sum(counts.syncs, (s) => s.written),
    recordsRejected: sum(counts.syncs, (s) => s.rejected),
    apiCalls: sum(counts.requests, (r) => r.calls),
    apiErrors: sum(counts.requests, (r) => r.errors),
  };
}

export function statusClassOf(status: number): StatusClass {
  if (status === 0) return 'network';
  if (status === 429) return '429';
  if (status >= 500) return '5xx';
  if (status >= 400) return '4xx';
  if (status >= 300) return '3xx';
  return '2xx';
}

/** A failed request: no response, or an HTTP status of 400 or more (429 included). */
export function isErrorStatus(status: number): boolean {
  return status === 0 || status >= 400;
}
