import type { LogicalType } from '../../core/column-spec.js';
import type { MappedColumn } from '../column-mapping.js';
import type { BigqueryNames } from './bigquery-names.js';

/**
 * A load's own tables in `tide` (its staged rows, its live ids), which exist only until the commit
 * reads them.
 */

/** The staging columns before the typed ones; `_tide_seq` is the arrival order (later wins a tie). */
export const STAGING_SYSTEM_COLUMNS: readonly { readonly name: string; readonly type: LogicalType }[] = [
  { name: '_tide_seq', type: 'integer' },
  { name: '_tide_id', type: 'string' },
  { name: '_tide_updated_at', type: 'timestamp' },
  { name: '_tide_deleted', type: 'boolean' },
  { name: '_tide_record', type: 'json' },
];

/** Abandoned staging tables (a crash between upload and commit) delete themselves after this. */
const STAGING_EXPIRATION_HOURS = 24;

/** A load's staging table in `tide`, expiring on its own if the load never commits. */
export function createStagingSql(
  names: BigqueryNames,
  staging: string,
  columns: readonly MappedColumn[],
): string {
  const d = names.dialect;
  const definitions = [
    ...STAGING_SYSTEM_COLUMNS.map((c) => `  ${c.name} ${d.type(c.type)}`),
    ...columns.map((c) => `  ${d.quoteIdent(c.column)} ${d.type(c.type)}`),
  ];
  return `CREATE TABLE IF NOT EXISTS ${names.table('tide', staging)} (
${definitions.join(',\n')}
)
OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL ${STAGING_EXPIRATION_HOURS} HOUR))`;
}

/** A load's table of live ids (LoadPackage.appendLiveIds) in `tide`, expiring like staging. */
export function createLiveIdsSql(names: BigqueryNames, table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${names.table('tide', table)} (
  _tide_id STRING
)
OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL ${STAGING_EXPIRATION_HOURS} HOUR))`;
}

/** Drops a staging or live-ids table. */
export function dropStagingSql(names: BigqueryNames, staging: string): string {
  return `DROP TABLE IF EXISTS ${names.table('tide', staging)}`;
}
