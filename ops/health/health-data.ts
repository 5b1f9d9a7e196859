import type { StreamStatus } from '../../load/warehouse.js';
import type { RunHistoryEntry } from '../runs/run-history.js';
import type { StatusClass } from '../runs/run-record.js';
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

/**
 * The order of every list of series (and of syncs): by key, so a chart and the alerts list the same
 * sources and objects in the same order from one report to the next.
 */
export function byKey<T>(a: [string, T], b: [string, T]): number {
  return a[0].localeCompare(b[0]);
}
