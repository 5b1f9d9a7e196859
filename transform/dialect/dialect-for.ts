import { BigqueryDialect } from './bigquery-dialect.js';
import { DuckdbDialect } from './duckdb-dialect.js';
import type { DialectName, SqlDialect } from './sql-dialect.js';

export function dialectFor(name: DialectName): SqlDialect {
  return name === 'duckdb' ? new DuckdbDialect() : new BigqueryDialect();
}
