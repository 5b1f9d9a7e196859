import type { LogicalType } from '../../core/column-spec.js';
import type { CursorState } from '../../core/cursor-state.js';
import { type MappedColumn, SYSTEM_COLUMNS } from '../column-mapping.js';
import type { RequestCount } from '../warehouse.js';
import type { BigqueryDialect } from './bigquery-dialect.js';
import { type BigqueryNames, TIDE_SCHEMAS } from './bigquery-names.js';

/**
 * A statement plus its query parameters, named (`@name`) or positional (`?`), always with explicit
 * types: BigQuery cannot type a NULL by itself.
 */
export interface BigqueryStatement {
  readonly sql: string;
  readonly params?: Readonly<Record<string, unknown>> | readonly unknown[];
  readonly types?: Readonly<Record<string, BigqueryParamType>> | readonly string[];
}
/** The `types` notation of @google-cloud/bigquery: `'STRING'`, `['STRING']` (array), `[{ a: 'INT64' }]`. */
export type BigqueryParamType = string | readonly string[] | readonly Readonly<Record<string, string>>[];

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

export interface CommitPlan {
  readonly table: string;
  /** The load's staging table, or null when the package staged no rows. */
  readonly staging: string | null;
  /** The typed columns of the staging table, as the package mapped them. */
  readonly staged: readonly MappedColumn[];
  /** The committed column map of the raw table (every typed column it has). */
  readonly mapping: readonly MappedColumn[];
  readonly replace: boolean;
  /** The table of ids the source listed as live (LoadPackage.appendLiveIds); null when none were. */
  readonly liveIds: string | null;
  readonly loadId: string;
  readonly runId: string;
  readonly source: string;
  readonly stream: string;
  readonly startedAt: string;
  readonly rowsStaged: number;
  readonly cursor: CursorState | null;
  /** CommitMarks.deletesCheckedAt, validated; null when the read did not check deletes. */
  readonly deletesCheckedAt: Date | null;
}

/**
 * Every statement Tide sends to BigQuery for the Warehouse contract, in one place so the exact text
 * is golden-tested and parsed with a GoogleSQL parser. Names are always fully qualified (jobs run
 * without a default dataset) and the system tables have DuckDB's layout (load/duckdb/
 * duckdb-system-tables.ts), so SQL over `tide.*` reads the same on both warehouses.
 */
export class BigquerySql {
  readonly #names: BigqueryNames;
  readonly #d: BigqueryDialect;

  constructor(names: BigqueryNames) {
    this.#names = names;
    this.#d = names.dialect;
  }

  get names(): BigqueryNames {
    return this.#names;
  }

  #t(schema: 'raw' | 'tide', table: string): string {
    return this.#names.table(schema, table);
  }

  /** One script: every dataset, then Tide's system tables. Idempotent. */
  init(location: string): string {
    return [
      ...TIDE_SCHEMAS.map(
        (schema) =>
          `CREATE SCHEMA IF NOT EXISTS ${this.#names.datasetPath(schema)} OPTIONS (location = ${this.#d.string(location)})`,
      ),
      `CREATE TABLE IF NOT EXISTS ${this.#t('tide', 'loads')} (
  load_id STRING NOT NULL, run_id STRING NOT NULL, source STRING NOT NULL, stream STRING NOT NULL,
  started_at TIMESTAMP NOT NULL, completed_at TIMESTAMP NOT NULL,
  rows_staged INT64 NOT NULL, rows_written INT64 NOT NULL, status STRING NOT NULL,
  deletes_checked_at TIMESTAMP
)`,
      // Datasets created before loads recorded delete checks gain the column (NULL: not recorded).
      `ALTER TABLE ${this.#t('tide', 'loads')} ADD COLUMN IF NOT EXISTS deletes_checked_at TIMESTAMP`,
      `CREATE TABLE IF NOT EXISTS ${this.#t('tide', 'cursors')} (
  load_id STRING NOT NULL, source STRING NOT NULL, stream STRING NOT NULL,
  cursor_value TIMESTAMP NOT NULL, cursor_ids JSON NOT NULL, cursor_token STRING
)`,
      // Datasets created before cursors had tokens gain the column (NULL: a timestamp-only cursor).
      `ALTER TABLE ${this.#t('tide', 'cursors')} ADD COLUMN IF NOT EXISTS cursor_token STRING`,
      `CREATE TABLE IF NOT EXISTS ${this.#t('tide', 'requests')} (
  run_id STRING NOT NULL, source STRING NOT NULL, endpoint STRING NOT NULL,
  status INT64 NOT NULL, count INT64 NOT NULL, recorded_at TIMESTAMP NOT NULL
)`,
      `CREATE TABLE IF NOT EXISTS ${this.#t('tide', 'columns')} (
  table_name STRING NOT NULL, field_name STRING NOT NULL, column_name STRING NOT NULL,
  logical_type STRING NOT NULL, load_id STRING NOT NULL
)`,
      `CREATE TABLE IF NOT EXISTS ${this.#t('tide', 'runs')} (
  run_id STRING NOT NULL, command STRING NOT NULL, status STRING NOT NULL,
  started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP, exit_code INT64,
  records_loaded INT64, models_built INT64, records_written INT64, records_rejected INT64,
  api_calls INT64, api_errors INT64, counts_json STRING, error_summary STRING,
  recorded_at TIMESTAMP NOT NULL
)`,
    ].join(';\n');
  }

  /** The committed field → column map of one raw table. */
  readMappedColumns(table: string): BigqueryStatement {
    return {
      sql: `SELECT field_name, column_name, logical_type
FROM ${this.#t('tide', 'columns')}
WHERE table_name = @table_name
ORDER BY load_id, column_name`,
      params: { table_name: table },
      types: { table_name: 'STRING' },
    };
  }

  /** A load's staging table in `tide`, expiring on its own if the load never commits. */
  createStaging(staging: string, columns: readonly MappedColumn[]): string {
    const definitions = [
      ...STAGING_SYSTEM_COLUMNS.map((c) => `  ${c.name} ${this.#d.type(c.type)}`),
      ...columns.map((c) => `  ${this.#d.quoteIdent(c.column)} ${this.#d.type(c.type)}`),
    ];
    return `CREATE TABLE IF NOT EXISTS ${this.#t('tide', staging)} (
${definitions.join(',\n')}
)
OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL ${STAGING_EXPIRATION_HOURS} HOUR))`;
  }

  /** A load's table of live ids (LoadPackage.appendLiveIds) in `tide`, expiring like staging. */
  createLiveIds(table: string): string {
    return `CREATE TABLE IF NOT EXISTS ${this.#t('tide', table)} (
  _tide_id STRING
)
OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL ${STAGING_EXPIRATION_HOURS} HOUR))`;
  }

  dropStaging(staging: string): string {
    return `DROP TABLE IF EXISTS ${this.#t('tide', staging)}`;
  }

  /**
   * Schema evolution, before the commit (BigQuery allows no DDL on permanent tables inside a
   * transaction): the raw table if missing, the new columns, then their entries in `tide.columns`.
   * Repeating it is harmless, so a crash after it only leaves empty columns behind.
   */
  evolveTable(
    table: string,
    mapping: readonly MappedColumn[],
    added: readonly MappedColumn[],
    loadId: string,
  ): BigqueryStatement {
    const target = this.#t('raw', table);
    const statements = [
      `CREATE TABLE IF NOT EXISTS ${target} (
  _tide_id STRING NOT NULL,
  _tide_updated_at TIMESTAMP NOT NULL,
  _tide_deleted BOOL NOT NULL,
  _tide_record JSON,
  _tide_loaded_at TIMESTAMP NOT NULL,
  _tide_load_id STRING NOT NULL${mapping.map((c) => `,\n  ${this.#d.quoteIdent(c.column)} ${this.#d.type(c.type)}`).join('')}
)
CLUSTER BY _tide_id`,
    ];
    if (added.length > 0) {
      statements.push(
        `ALTER TABLE ${target}\n${added.map((c) => `  ADD COLUMN IF NOT EXISTS ${this.#d.quoteIdent(c.column)} ${this.#d.type(c.type)}`).join(',\n')}`,
        `INSERT INTO ${this.#t('tide', 'columns')} (table_name, field_name, column_name, logical_type, load_id)
SELECT @table_name, c.field_name, c.column_name, c.logical_type, @load_id
FROM UNNEST(@columns) AS c`,
      );
    }
    return {
      sql: statements.join(';\n'),
      params: {
        table_name: table,
        load_id: loadId,
        columns: added.map((c) => ({ field_name: c.field, column_name: c.column, logical_type: c.type })),
      },
      types: {
        table_name: 'STRING',
        load_id: 'STRING',
        columns: [{ field_name: 'STRING', column_name: 'STRING', logical_type: 'STRING' }],
      },
    };
  }

  /**
   * The commit, as ONE multi-statement transaction: staging → raw (newest version of each record
   * wins; an existing row is replaced only by a version at least as new, so repeating a package
   * changes nothing), full-refresh (or live-id listing) deletes, the cursor row, and the completion row last (with the time
   * deletes were checked up to, so it never runs ahead of the data). The script
   * ends by selecting the rows the MERGE wrote. The load jobs that filled staging cannot join a
   * transaction; staging is invisible until this runs, which is why a crash anywhere before it is
   * repaired by simply rerunning the package.
   */
  commit(plan: CommitPlan): BigqueryStatement {
    const target = this.#t('raw', plan.table);
    const statements = [
      'DECLARE _tide_now TIMESTAMP DEFAULT CURRENT_TIMESTAMP()',
      'DECLARE _tide_written INT64 DEFAULT 0',
      'BEGIN TRANSACTION',
    ];
    if (plan.staging !== null) {
      statements.push(this.#merge(target, plan.staging, plan), 'SET _tide_written = @@row_count');
    }
    if (plan.replace || plan.liveIds !== null) {
      const staged =
        plan.staging === null
          ? ''
          : `\n  AND NOT EXISTS (SELECT 1 FROM ${this.#t('tide', plan.staging)} AS S WHERE S._tide_id = T._tide_id)`;
      const listed =
        plan.liveIds === null
          ? ''
          : `\n  AND NOT EXISTS (SELECT 1 FROM ${this.#t('tide', plan.liveIds)} AS L WHERE L._tide_id = T._tide_id)`;
      const unseen = staged + listed;
      statements.push(`UPDATE ${target} AS T
SET _tide_deleted = TRUE, _tide_loaded_at = _tide_now, _tide_load_id = @load_id
WHERE NOT T._tide_deleted${unseen}`);
    }
    if (plan.cursor !== null) {
      statements.push(`INSERT INTO ${this.#t('tide', 'cursors')} (load_id, source, stream, cursor_value, cursor_ids, cursor_token)
VALUES (@load_id, @source, @stream, @cursor_value, PARSE_JSON(@cursor_ids), @cursor_token)`);
    }
    // completed_at strictly increases per stream, so "the newest completed load" is never a tie.
    statements.push(
      `INSERT INTO ${this.#t('tide', 'loads')}
  (load_id, run_id, source, stream, started_at, completed_at, rows_staged, rows_written, status, deletes_checked_at)
SELECT @load_id, @run_id, @source, @stream, @started_at,
  GREATEST(_tide_now, COALESCE(TIMESTAMP_ADD(MAX(completed_at), INTERVAL 1 MICROSECOND), _tide_now)),
  @rows_staged, _tide_written, 'completed', @deletes_checked_at
FROM ${this.#t('tide', 'loads')}
WHERE source = @source AND stream = @stream`,
      'COMMIT TRANSACTION',
      'SELECT _tide_written AS rows_written',
    );
    return {
      sql: statements.join(';\n'),
      params: {
        load_id: plan.loadId,
        run_id: plan.runId,
        source: plan.source,
        stream: plan.stream,
        // TIMESTAMP parameters must be Dates: the SDK sends an empty value for a string.
        started_at: new Date(plan.startedAt),
        rows_staged: plan.rowsStaged,
        cursor_value: plan.cursor === null ? null : new Date(plan.cursor.value),
        cursor_ids: JSON.stringify(plan.cursor?.ids ?? []),
        cursor_token: plan.cursor?.token ?? null,
        deletes_checked_at: plan.deletesCheckedAt,
      },
      types: {
        load_id: 'STRING',
        run_id: 'STRING',
        source: 'STRING',
        stream: 'STRING',
        started_at: 'TIMESTAMP',
        rows_staged: 'INT64',
        cursor_value: 'TIMESTAMP',
        cursor_ids: 'STRING',
        cursor_token: 'STRING',
        deletes_checked_at: 'TIMESTAMP',
      },
    };
  }

  /**
   * Every mapped column is set on update (NULL when this package has no such field), so the typed
   * columns always describe the same version as `_tide_record`. A staged column whose committed
   * type differs (another package mapped the field first) is converted, NULL where it cannot be.
   * As on DuckDB, a stored version stamped after it was loaded (a CRM's bad clock) orders nothing:
   * the next version read replaces it; and a staged version identical to the stored one in every
   * column the update sets (a cursor overlap's re-read) is left alone, so `_tide_loaded_at` moves
   * only when the data did (a column re-added by healing is NULL, so the reload fills it).
   */
  #merge(target: string, staging: string, plan: CommitPlan): string {
    const stagedByField = new Map(plan.staged.map((c) => [c.field, c]));
    const carried = plan.mapping.filter((c) => stagedByField.has(c.field));
    const value = (c: MappedColumn): string => {
      const staged = stagedByField.get(c.field);
      return staged === undefined
        ? 'NULL'
        : convert(this.#d, `S.${this.#d.quoteIdent(staged.column)}`, staged.type, c.type);
    };
    // What an update sets from the staged version; JSON values compare as text (GoogleSQL has no
    // equality on JSON).
    const copied = [
      { column: '_tide_updated_at', value: 'S._tide_updated_at', json: false },
      { column: '_tide_deleted', value: 'S._tide_deleted', json: false },
      { column: '_tide_record', value: 'S._tide_record', json: true },
      ...plan.mapping.map((c) => ({
        column: this.#d.quoteIdent(c.column),
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
    const insertColumns = [...SYSTEM_COLUMNS, ...carried.map((c) => this.#d.quoteIdent(c.column))];
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
  SELECT * FROM ${this.#t('tide', staging)}
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

  /** The cursor of the newest completed load of a stream that moved it. */
  readCursor(source: string, stream: string): BigqueryStatement {
    return {
      sql: `SELECT c.cursor_value, c.cursor_ids, c.cursor_token
FROM ${this.#t('tide', 'cursors')} AS c
JOIN ${this.#t('tide', 'loads')} AS l ON l.load_id = c.load_id
WHERE l.status = 'completed' AND l.source = @source AND l.stream = @stream
ORDER BY l.completed_at DESC
LIMIT 1`,
      params: { source, stream },
      types: { source: 'STRING', stream: 'STRING' },
    };
  }

  /**
   * Per stream: the newest completed load, the newest cursor among completed loads and the newest
   * time a completed load checked deletes up to.
   */
  latestLoads(): string {
    const loads = this.#t('tide', 'loads');
    const cursors = this.#t('tide', 'cursors');
    return `WITH done AS (
  SELECT source, stream, load_id, completed_at, deletes_checked_at FROM ${loads} WHERE status = 'completed'
),
last_load AS (
  SELECT source, stream, load_id AS last_load_id, completed_at AS last_completed_at,
    MAX(deletes_checked_at) OVER (PARTITION BY source, stream) AS deletes_checked_at
  FROM done
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (PARTITION BY source, stream ORDER BY completed_at DESC) = 1
),
last_cursor AS (
  SELECT d.source, d.stream, c.cursor_value, c.cursor_ids, c.cursor_token
  FROM ${cursors} AS c
  JOIN done AS d ON d.load_id = c.load_id
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (PARTITION BY d.source, d.stream ORDER BY d.completed_at DESC) = 1
)
SELECT l.source, l.stream, l.last_load_id, l.last_completed_at, c.cursor_value, c.cursor_ids, c.cursor_token,
  l.deletes_checked_at
FROM last_load AS l
LEFT JOIN last_cursor AS c ON c.source = l.source AND c.stream = l.stream
ORDER BY l.source, l.stream`;
  }

  /** The raw tables that exist. */
  rawTables(): string {
    return `SELECT table_name FROM ${this.#names.datasetPath('raw')}.INFORMATION_SCHEMA.TABLES`;
  }

  /** Row counts and freshness of several raw tables in one query. */
  tableStats(tables: readonly string[]): string {
    return tables
      .map(
        (
          table,
        ) => `SELECT ${this.#d.string(table)} AS table_name, COUNT(*) AS row_count, COUNTIF(_tide_deleted) AS deleted_count, MAX(_tide_updated_at) AS newest
FROM ${this.#t('raw', table)}`,
      )
      .join('\nUNION ALL\n');
  }

  insertRequests(runId: string, rows: readonly RequestCount[]): BigqueryStatement {
    return {
      sql: `INSERT INTO ${this.#t('tide', 'requests')} (run_id, source, endpoint, status, count, recorded_at)
SELECT @run_id, r.source, r.endpoint, r.status, r.count, CURRENT_TIMESTAMP()
FROM UNNEST(@rows) AS r`,
      params: {
        run_id: runId,
        rows: rows.map((r) => ({ source: r.source, endpoint: r.endpoint, status: r.status, count: r.count })),
      },
      types: {
        run_id: 'STRING',
        rows: [{ source: 'STRING', endpoint: 'STRING', status: 'INT64', count: 'INT64' }],
      },
    };
  }
}

function convert(d: BigqueryDialect, expr: string, from: LogicalType, to: LogicalType): string {
  if (from === to) return expr;
  if (to === 'json') return `TO_JSON(${expr})`;
  const sql = d.type(to);
  return from === 'json' ? `SAFE_CAST(JSON_VALUE(${expr}) AS ${sql})` : `SAFE_CAST(${expr} AS ${sql})`;
}
