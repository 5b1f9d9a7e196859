import type { LogicalType } from '../../core/column-spec.js';
import { type MappedColumn, SYSTEM_COLUMNS } from '../column-mapping.js';
import type { BigqueryDialect } from './bigquery-dialect.js';
import type { BigqueryNames } from './bigquery-names.js';

/** The column maps a MERGE copies between: what the package staged and what the raw table has. */
export interface MergeColumns {
  /** The typed columns of the staging table, as the package mapped them. */
  readonly staged: readonly MappedColumn[];
  /** The committed column map of the raw table (every typed column it has). */
  readonly mapping: readonly MappedColumn[];
}

/**
 * staging → raw, the newest version of each record winning (the commit's first statement).
 * Every mapped column is set on update (NULL when this package has no such field), so the typed
 * columns always describe the same version as `_tide_record`. A staged column whose committed
 * type differs (another package mapped the field first) is converted, NULL where it cannot be.
 * As on DuckDB, a stored version stamped after it was loaded (a CRM's bad clock) orders nothing:
 * the next version read replaces it; and a staged version identical to the stored one in every
 * column the update sets (a cursor overlap's re-read) is left alone, so `_tide_loaded_at` moves
 * only when the data did (a column re-added by healing is NULL, so the reload fills it).
 */
export function mergeSql(
  names: BigqueryNames,
  target: string,
  staging: string,
  columns: MergeColumns,
): string {
  const d = names.dialect;
  const stagedByField = new Map(columns.staged.map((c) => [c.field, c]));
  const carried = columns.mapping.filter((c) => stagedByField.has(c.field));
  const value = (c: MappedColumn): string => {
    const staged = stagedByField.get(c.field);
    return staged === undefined
      ? 'NULL'
      : convert(d, `S.${d.quoteIdent(staged.column)}`, staged.type, c.type);
  };
  // What an update sets from the staged version; JSON values compare as text (GoogleSQL has no
  // equality on JSON).
  const copied = [
    { column: '_tide_updated_at', value: 'S._tide_updated_at', json: false },
    { column: '_tide_deleted', value: 'S._tide_deleted', json: false },
    { column: '_tide_record', value: 'S._tide_record', json: true },
    ...columns.mapping.map((c) => ({
      column: d.quoteIdent(c.column),
      value: value(c),
      json: c.type === 'json',
    })),
  ];
  const set = [
    ...copied.slice(0, 3).map((a) => `${a.column} = ${a.value}`),
    '_tide_loaded_at = _tide_now',
    '_tide_load_id = @load_id',
    ...copied.slice(3).map((a) => `${a.column} = ${a.value}`),
  ];
  const sameVersion = copied
    .map((a) =>
      a.json
        ? `TO_JSON_STRING(T.${a.column}) IS NOT DISTINCT FROM TO_JSON_STRING(${a.value})`
        : `T.${a.column} IS NOT DISTINCT FROM ${a.value}`,
    )
    .join('\n    AND ');
  const insertColumns = [...SYSTEM_COLUMNS, ...carried.map((c) => d.quoteIdent(c.column))];
  const insertValues = [
    'S._tide_id',
    'S._tide_updated_at',
    'S._tide_deleted',
    'S._tide_record',
    '_tide_now',
    '@load_id',
    ...carried.map(value),
  ];
  return `MERGE ${target} AS T
USING (
  SELECT * FROM ${names.table('tide', staging)}
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (PARTITION BY _tide_id ORDER BY _tide_updated_at DESC, _tide_seq DESC) = 1
) AS S
ON T._tide_id = S._tide_id
WHEN MATCHED AND (S._tide_updated_at >= T._tide_updated_at OR T._tide_updated_at > T._tide_loaded_at)
  AND NOT (${sameVersion}) THEN UPDATE SET
${set.map((s) => `  ${s}`).join(',\n')}
WHEN NOT MATCHED BY TARGET THEN INSERT (${insertColumns.join(', ')})
  VALUES (${insertValues.join(', ')})`;
}

function convert(d: BigqueryDialect, expr: string, from: LogicalType, to: LogicalType): string {
  if (from === to) return expr;
  if (to === 'json') return `TO_JSON(${expr})`;
  const sql = d.type(to);
  return from === 'json' ? `SAFE_CAST(JSON_VALUE(${expr}) AS ${sql})` : `SAFE_CAST(${expr} AS ${sql})`;
}
