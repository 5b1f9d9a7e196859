/** What a warehouse column type is, whatever the warehouse spells it (DuckDB's DESCRIBE and information_schema, BigQuery's INFORMATION_SCHEMA). */
export type TypeFamily =
  | 'bool'
  | 'int32'
  | 'int64'
  | 'float'
  | 'timestamp'
  | 'date'
  | 'string'
  | 'json'
  | 'bytes'
  | 'other';

/**
 * The family of a warehouse type name. 32-bit and smaller integers come back from Tide's query path
 * as numbers, 64-bit ones as numbers or (beyond 2^53) decimal text; see load/duckdb/duckdb-plain-value.ts.
 */
export function typeFamily(warehouseType: string): TypeFamily {
  const t = warehouseType.toUpperCase();
  if (t === 'BOOLEAN' || t === 'BOOL') return 'bool';
  if (['TINYINT', 'SMALLINT', 'INTEGER', 'UTINYINT', 'USMALLINT'].includes(t)) return 'int32';
  if (['BIGINT', 'INT64', 'HUGEINT', 'UBIGINT', 'UINTEGER', 'INT'].includes(t)) return 'int64';
  if (['DOUBLE', 'FLOAT', 'REAL', 'FLOAT64', 'NUMERIC', 'BIGNUMERIC'].includes(t) || t.startsWith('DECIMAL'))
    return 'float';
  if (t.startsWith('TIMESTAMP') || t === 'DATETIME') return 'timestamp';
  if (t === 'DATE') return 'date';
  if (t === 'JSON') return 'json';
  if (t === 'BLOB' || t === 'BYTES') return 'bytes';
  if (t === 'VARCHAR' || t === 'STRING' || t === 'UUID' || t.startsWith('VARCHAR(') || t.startsWith('TIME'))
    return 'string';
  return 'other';
}
