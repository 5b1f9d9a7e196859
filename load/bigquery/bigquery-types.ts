import type { LogicalType } from '../../core/column-spec.js';

/**
 * LogicalType → the type name the REST API's TableFieldSchema uses in load-job schemas (the legacy
 * spellings are what BigQuery itself reports back, so the double and real answers compare equal).
 * The GoogleSQL type names (DDL, CAST) are the dialect's: bigquery-dialect.ts.
 */
export const BIGQUERY_API_TYPES: Readonly<Record<LogicalType, string>> = {
  string: 'STRING',
  integer: 'INTEGER',
  number: 'FLOAT',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
  date: 'DATE',
  json: 'JSON',
};
