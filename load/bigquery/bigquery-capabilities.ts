/**
 * What BigQuery can and cannot do, as the load path relies on it (the dlt/Kysely way: differences
 * declared once instead of scattered `if`s).
 */
export const BIGQUERY_CAPABILITIES = {
  /**
   * A load job cannot join a transaction, so a package is staged by load jobs outside one, and
   * only the MERGE, cursor row and completion row (written last) commit together in a
   * multi-statement transaction. A crash before that commit leaves only an expiring staging table:
   * rerunning the package repeats it idempotently.
   */
  loadJobsInTransactions: false,
  multiStatementTransactions: true,
  // DDL inside a transaction: refused on permanent tables; declared on the dialect
  // (bigquery-dialect.ts, capabilities.transactionalDdl), which every stage reads.
  /**
   * NDJSON, gzip-compressed: BigQuery loads a JSON column (`_tide_record`, JSON properties) only
   * from CSV, JSON or Avro files, never Parquet; NDJSON streams line by line with no extra
   * dependency; gzip cuts the upload several-fold, at the price of BigQuery reading each file
   * single-threaded (files are bounded by batchSize, so that stays cheap).
   */
  loadFileFormat: 'NEWLINE_DELIMITED_JSON',
  loadFileCompression: 'gzip',
  /** BigQuery's limit for one gzip file is 4 GB compressed; this bound on raw bytes stays far below. */
  maxLoadFileBytes: 1024 * 1024 * 1024,
  /** `MERGE ... WHEN NOT MATCHED BY SOURCE` exists, but full-refresh deletes are a separate UPDATE so
   * the MERGE's @@row_count is exactly the rows written. */
  mergeUpsert: true,
} as const;
