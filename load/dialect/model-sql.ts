import type { LogicalType } from '../../core/column-spec.js';

/** A relation in the warehouse: schema (BigQuery: dataset) and name, both unquoted. */
export interface RelationName {
  readonly schema: string;
  readonly name: string;
}

/**
 * The warehouse differences model SQL can meet (part of every Dialect, see dialect.ts). Arguments named
 * `expr` are SQL expressions; `pattern`, `path`, `text` are plain values the dialect quotes itself.
 * Model files reach the expression functions through the macros of the same name listed in
 * transform/macros/dialect-macros.ts (the documented set, see transform/README.md). Everything else
 * in a model must be SQL both warehouses accept (standard joins, CASE, COALESCE, window functions,
 * STRING_AGG(x, ',' ORDER BY x), LEAST/GREATEST, LOWER/TRIM/LENGTH/SUBSTR, LOG10, ROUND).
 */
export interface SqlFunctions {
  /** A scalar inside JSON as text (`path` = keys and array indexes from the root). */
  jsonText(expr: string, path: readonly (string | number)[]): string;
  /** A JSON subtree (object or array) as JSON. */
  jsonQuery(expr: string, path: readonly (string | number)[]): string;
  /** Replaces every match of an RE2-compatible pattern. */
  regexReplace(expr: string, pattern: string, replacement: string): string;
  /** True when the pattern matches anywhere in the text (anchor with ^…$ for a full match). */
  regexContains(expr: string, pattern: string): string;
  /** The first capture group of the first match (the pattern must have exactly one group), or NULL. */
  regexExtract(expr: string, pattern: string): string;
  /** Lower-case hex MD5 of a string: the same 32 characters on every warehouse. */
  md5Hex(expr: string): string;
  /**
   * A 60-bit integer id of a string: the first 15 hex digits of its MD5, as a number. The same value
   * on every warehouse and version; joins and aggregates on it are much cheaper than on strings.
   */
  hashId(expr: string): string;
  /**
   * A 64-bit hash of a string for grouping and joining inside one statement: the warehouse's fastest
   * (several times cheaper than hashId on DuckDB). NOT the same across warehouses or versions, so it
   * must never be stored or compared with a value another statement computed: use hashId for that.
   */
  groupHash(expr: string): string;
  /** A hashId (or any non-negative 60-bit integer) as 15 lower-case hex digits. */
  idText(expr: string): string;
  /** Removes spaces, tabs and line breaks at both ends. */
  trimWhitespace(expr: string): string;
  /** The n-th piece (1-based; -1 = the last) of a string split by a delimiter; the whole string when it has none. */
  splitPart(expr: string, delimiter: string, index: number): string;
  /** Levenshtein distance of two strings (insertions, deletions, substitutions), NULL when either is NULL. */
  editDistance(a: string, b: string): string;
  /** Removes diacritics (é → e). */
  stripAccents(expr: string): string;
  /** Milliseconds since the Unix epoch of a timestamp, as an integer. */
  epochMillis(expr: string): string;
  /** Whole seconds since the Unix epoch of a timestamp, as an integer. */
  epochSeconds(expr: string): string;
  /** Whole seconds from `start` to `end` (both timestamps). */
  secondsBetween(start: string, end: string): string;
  /** A timestamp moved by a whole number of days (negative = earlier). */
  addDays(expr: string, days: number): string;
  /** ISO-8601 text (any offset, or epoch milliseconds) → timestamp; NULL when unparseable. */
  parseTimestamp(expr: string): string;
  /** CAST that yields NULL instead of failing. */
  safeCast(expr: string, type: LogicalType): string;
  /** a / b, NULL when b is 0 or NULL. */
  safeDivide(a: string, b: string): string;
  /**
   * Aggregate: the non-null `expr` of the row that sorts first by `orderKeys` (ascending, compared
   * left to right). Survivorship ("best source first, then newest, then the smallest record key so
   * ties never depend on row order") is written with it.
   */
  firstNonNullBy(expr: string, orderKeys: readonly string[]): string;
  /** FROM-clause item: one row per piece of `expr` split by `delimiter`, column `alias`. */
  unnestSplit(expr: string, delimiter: string, alias: string): string;
  /** FROM-clause item: one row per element of a JSON array of scalars, as text, column `alias`. */
  unnestJsonArray(expr: string, alias: string): string;
}

/** The statements materializations need; each returns one complete SQL statement. */
export interface SqlStatements {
  createSchema(schema: string): string;
  createTableAs(target: RelationName, select: string): string;
  createView(target: RelationName, select: string): string;
  dropTable(target: RelationName): string;
  dropView(target: RelationName): string;
  /** Upsert on `key`: matched rows get every column of the query, new rows are inserted. */
  merge(target: RelationName, select: string, key: readonly string[], columns: readonly string[]): string;
  /** Appends the query's rows (columns listed explicitly so the order never matters). */
  insert(target: RelationName, select: string, columns: readonly string[]): string;
  /** Makes `source` the new `target` (target's old contents are gone; source no longer exists). */
  replaceTable(target: RelationName, source: RelationName): string[];
  /** A query returning one row `{ changed }`: rows of `a` that are not in `b` (set difference). */
  countChanged(a: RelationName, b: RelationName): string;
  /** A query returning one row `{ n }` with the row count of a relation. */
  countRows(target: RelationName): string;
  /**
   * A query listing the relations and columns of `schemas`, in column order: rows `{ table_schema,
   * table_name, table_type ('BASE TABLE' | 'VIEW'), column_name, data_type, is_nullable ('YES' | 'NO') }`.
   */
  catalog(schemas: readonly string[]): string;
  /**
   * The statements that write a relation's descriptions into the warehouse (table or view, and each
   * column), where people browsing it see them.
   */
  describeRelation(
    target: RelationName,
    kind: 'table' | 'view',
    description: string | undefined,
    columns: ReadonlyMap<string, string>,
  ): string[];
  /**
   * A query returning `{ column_name, column_type }` per result column of `select` without running
   * it; absent where the warehouse cannot say (BigQuery reports a schema only with the rows).
   */
  describeQuery?(select: string): string;
  /** A statement that writes the result of `select` into a local file; absent where it cannot. */
  writeFile?(select: string, path: string, format: 'parquet' | 'csv'): string;
  /** A statement that writes the result of `select` into object storage (`uri` with one `*`). */
  exportToStorage?(select: string, uri: string, format: 'parquet' | 'csv'): string;
}
