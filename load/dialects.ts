import { BigqueryDialect } from './bigquery/bigquery-dialect.js';
import type { Dialect, DialectName } from './dialect/dialect.js';
import { duckdbDialect } from './duckdb/duckdb-dialect.js';

/**
 * THE list of dialects, by name: for compiling SQL for a warehouse that is not open
 * (`tide models compile --dialect bigquery`) and for the suffixes of per-warehouse model files.
 * An open warehouse's own dialect is `warehouse.dialect`.
 */
const DIALECTS: { readonly [N in DialectName]: () => Dialect } = {
  duckdb: () => duckdbDialect,
  bigquery: () => new BigqueryDialect(),
};

export const DIALECT_NAMES = Object.keys(DIALECTS) as DialectName[];

export function dialectNamed(name: DialectName): Dialect {
  return DIALECTS[name]();
}

export function isDialectName(name: string): name is DialectName {
  return Object.hasOwn(DIALECTS, name);
}
