import type { LogicalType } from '../../core/column-spec.js';

/**
 * The one LogicalType → BigQuery mapping. `sql` is the GoogleSQL type used in DDL; `api` is the name
 * the REST API's TableFieldSchema uses in load-job schemas (the legacy spellings are what BigQuery
 * itself reports back, so the double and real answers compare equal).
 */
export const BIGQUERY_TYPES: Readonly<Record<LogicalType, { readonly sql: string; readonly api: string }>> = {
  string: { sql: 'STRING', api: 'STRING' },
  integer: { sql: 'INT64', api: 'INTEGER' },
  number: { sql: 'FLOAT64', api: 'FLOAT' },
  boolean: { sql: 'BOOL', api: 'BOOLEAN' },
  timestamp: { sql: 'TIMESTAMP', api: 'TIMESTAMP' },
  date: { sql: 'DATE', api: 'DATE' },
  json: { sql: 'JSON', api: 'JSON' },
};

/** A column as the warehouse code sees it: normalized name plus logical type. */
export interface BigqueryColumn {
  readonly name: string;
  readonly type: LogicalType;
}
