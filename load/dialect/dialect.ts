import type { LogicalType } from '../../core/column-spec.js';
import type { RelationName, SqlFunctions, SqlStatements } from './model-sql.js';

export type { RelationName } from './model-sql.js';

/** The warehouses Tide speaks; also the suffix of a model's per-warehouse override file (`x.duckdb.sql`). */
export type DialectName = 'duckdb' | 'bigquery';

/**
 * Column types of Tide's own bookkeeping tables that CRM data never needs (CRM data has only the
 * LogicalTypes). `int32`: DuckDB INTEGER (BigQuery has only INT64). `utc_timestamp`: a UTC instant
 * in a zone-less column, DuckDB TIMESTAMP (reverse ETL's tables were created with it; the raw tables
 * use `timestamp` = TIMESTAMPTZ).
 */
export type SystemType = 'int32' | 'utc_timestamp';
export type SqlType = LogicalType | SystemType;

/**
 * What a warehouse can do, declared once so the stages read a value instead of asking which
 * warehouse it is (Kysely's `DialectAdapter.supportsTransactionalDdl`, dlt's capabilities).
 */
export interface DialectCapabilities {
  /**
   * CREATE/ALTER TABLE may run inside a transaction and roll back with it. DuckDB: yes, so a load
   * commit adds its columns in the same transaction as its rows. BigQuery: no DDL on permanent tables
   * inside a transaction, so schema changes run before the commit and must be harmless to repeat.
   */
  readonly transactionalDdl: boolean;
  /** Models the runner builds at once unless `models.concurrency` says otherwise. */
  readonly modelConcurrency: number;
  /**
   * CRM-confirmed records reverse ETL may hold before it saves their state rows. 1: after every
   * confirmed batch (DML is cheap). More where DML is slow and quota'd: a crash then re-sends, at
   * most, this many records, idempotently.
   */
  readonly stateFlushRecords: number;
}

/**
 * Warehouse settings the models runner changes for the duration of a run and restores afterwards
 * (tuning for building many tables at once, never anything a model's result depends on).
 */
export interface RunSettings {
  /** Setting name → the value it has while the models build. */
  readonly values: Readonly<Record<string, string>>;
  /** A query returning one row `{ v }`: the setting's current value, to restore afterwards. */
  read(name: string): string;
  set(name: string, value: string): string;
  /** Run once at the end, before the settings are restored (DuckDB: the one checkpoint of the run). */
  readonly finish: string;
}

/** A FROM item over one JSON-array parameter, and the select-list expressions of its fields. */
export interface JsonRows {
  /** One expression per requested field, in the order asked. */
  readonly columns: readonly string[];
  /** The FROM item; its `?` is bound to the JSON text of an array of objects. */
  readonly from: string;
}

/**
 * One warehouse's SQL, in the manner of Kysely's dialects: every difference between DuckDB and
 * BigQuery lives in an object implementing this (load/duckdb/duckdb-dialect.ts,
 * load/bigquery/bigquery-dialect.ts), and `Warehouse.dialect` is that object. Code outside a dialect
 * never quotes, escapes, names a type or asks which warehouse it is: it calls these.
 *
 * The first group (quoting, literals, types, capabilities) is what every stage uses; SqlFunctions and
 * SqlStatements (model-sql.ts) are what the models runner needs on top.
 */
export interface Dialect extends SqlFunctions, SqlStatements {
  /** For lookups keyed by warehouse (a model's override file); never for `if (name === …)`. */
  readonly name: DialectName;
  readonly capabilities: DialectCapabilities;
  /** Absent: the warehouse needs no tuning for a models run. */
  readonly runSettings?: RunSettings;
  /** A quoted identifier: any text, including the quote character, is safe. */
  quoteIdent(name: string): string;
  /** A quoted, qualified relation (`"schema"."name"`; on BigQuery with the project when configured). */
  relation(target: RelationName): string;
  /** A string literal with the warehouse's escaping: any text is safe. */
  string(text: string): string;
  /** A regular-expression literal (raw where the dialect has raw strings). */
  regex(pattern: string): string;
  /** A timestamp literal (UTC). */
  timestamp(at: Date): string;
  /** The warehouse's type name for DDL and CAST. */
  type(type: SqlType): string;
  /** A relation with these columns and no rows. */
  emptyRelation(columns: readonly { readonly name: string; readonly type: LogicalType }[]): string;
  /**
   * Rows from ONE JSON-array parameter: `fields` maps each object key (a plain identifier) to its
   * type. One parameter instead of one per value: binding thousands costs DuckDB far more than
   * parsing one JSON text, and BigQuery caps a query's parameters.
   */
  jsonRows(fields: Readonly<Record<string, Exclude<SqlType, 'json'>>>): JsonRows;
}
