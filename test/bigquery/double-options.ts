/** How a test sets up the BigQuery double: the project it plays, the credentials it accepts, its pacing. */
export interface BigqueryDoubleOptions {
  readonly projectId: string;
  readonly location: string;
  readonly token: string;
  /** jobs.get calls answered RUNNING before a job is DONE (exercises polling). */
  readonly pollsUntilDone?: number;
  /** Rows per getQueryResults page when the client asks for more. */
  readonly maxPageRows?: number;
  /** Keep every upload's parsed rows in `loadJobs` (tests); benchmarks turn it off and read the totals. */
  readonly retainLoads?: boolean;
}
