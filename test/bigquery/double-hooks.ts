import type { LoadConfig } from './bigquery-rest-shapes.js';
import type { AnswerField, QueryAnswer } from './bigquery-wire.js';
import type { JobParams } from './double-sql-check.js';

/** A query job as the test sees it, once the double has checked its request. */
export interface DoubleQueryJob {
  readonly jobId: string;
  readonly sql: string;
  /** Named parameters as an object, positional ones as an array (decoded to plain values). */
  readonly params: JobParams;
  readonly labels: Readonly<Record<string, string>>;
  readonly location: string;
}

/** A load job as the test sees it: its configuration and the rows of its upload. */
export interface DoubleLoadJob {
  readonly jobId: string;
  readonly config: LoadConfig;
  /** The uploaded NDJSON, parsed. */
  readonly rows: readonly Record<string, unknown>[];
  readonly gzip: boolean;
  readonly bytes: number;
}

/** How the test answers jobs: the double checks requests, the test decides results. */
export interface DoubleHooks {
  answer?(job: DoubleQueryJob): QueryAnswer | Promise<QueryAnswer>;
  /** tables.get: the table's schema fields, or null for 404 (no hook: every table is missing). */
  table?(
    dataset: string,
    table: string,
  ): readonly AnswerField[] | null | Promise<readonly AnswerField[] | null>;
  onLoad?(job: DoubleLoadJob): void | Promise<void>;
}
