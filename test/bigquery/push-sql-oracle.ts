import { BigqueryDialect } from '../../load/bigquery/bigquery-dialect.js';
import { duckdbDialect } from '../../load/duckdb/duckdb-dialect.js';
import type { Warehouse } from '../../load/warehouse.js';
import { PLAN_COLUMNS, PushSql } from '../../reverse/push-sql.js';
import type { SyncConfig } from '../../reverse/sync-config.js';
import type { FieldType } from './bigquery-rest-shapes.js';
import type { AnswerField, QueryAnswer } from './bigquery-wire.js';
import type { DoubleHooks, DoubleQueryJob } from './double-hooks.js';

/** What a statement returns: rows (a SELECT), an affected-row count (DML), or nothing (DDL). */
type Returns = 'rows' | 'dml' | 'ddl';

interface Twin {
  /** The DuckDB statement PushSql writes for the same operation, with the same `?` parameters. */
  readonly duckdb: string;
  readonly returns: Returns;
}

const PLAN_TYPES: Readonly<Record<string, FieldType>> = {
  [PLAN_COLUMNS.key]: 'STRING',
  [PLAN_COLUMNS.rows]: 'INTEGER',
  [PLAN_COLUMNS.hash]: 'STRING',
  [PLAN_COLUMNS.values]: 'STRING',
  [PLAN_COLUMNS.failures]: 'INTEGER',
  [PLAN_COLUMNS.crmId]: 'STRING',
  [PLAN_COLUMNS.pushedAt]: 'TIMESTAMP',
  [PLAN_COLUMNS.crmLoadedAt]: 'TIMESTAMP',
};

/**
 * Answers the BigQuery double's jobs for reverse ETL. It knows every statement reverse ETL may send
 * for the given syncs as BigQuery text (PushSql on the BigQuery dialect) and runs, for each, its DuckDB twin
 * (PushSql on the DuckDB dialect, same operation, same parameters) on a DuckDB warehouse that holds the model
 * tables. A statement that is not one of them fails its job, so the run under test can only have
 * sent reverse ETL's own statements. Answers go back in BigQuery's wire format with BigQuery's types
 * (the model's columns as given, the plan's columns from PLAN_TYPES). BigQuery's semantics of the
 * GoogleSQL text are not executed here: the golden text and the double's GoogleSQL parse cover it.
 */
export class PushSqlOracle {
  readonly #duckdb: Warehouse;
  readonly #twins = new Map<string, Twin>();
  readonly #modelTypes: Readonly<Record<string, FieldType>>;

  constructor(
    duckdb: Warehouse,
    syncs: readonly SyncConfig[],
    modelTypes: Readonly<Record<string, FieldType>>,
  ) {
    this.#duckdb = duckdb;
    this.#modelTypes = modelTypes;
    const bigquery = new PushSql(new BigqueryDialect());
    const twin = new PushSql(duckdbDialect);
    const add = (sql: string, duckdb: string, returns: Returns): void => {
      this.#twins.set(sql, { duckdb, returns });
    };
    const ddl = twin.createTables();
    for (const [i, sql] of bigquery.createTables().entries()) add(sql, ddl[i]!, 'ddl');
    add(bigquery.stateProbe(), twin.stateProbe(), 'rows');
    // The statement texts of the state writes carry no values: every value is a parameter.
    const pushed = (sql: PushSql) => sql.insertPushed('', '', 0, '', []).sql;
    add(pushed(bigquery), pushed(twin), 'dml');
    add(bigquery.insertLog('', '', '', []).sql, twin.insertLog('', '', '', []).sql, 'dml');
    add(bigquery.compact('').sql, twin.compact('').sql, 'dml');
    add(bigquery.pruneLog('').sql, twin.pruneLog('').sql, 'dml');
    add(bigquery.conflicts.prune('').sql, twin.conflicts.prune('').sql, 'dml');
    add(bigquery.conflicts.insert('', '', '', []).sql, twin.conflicts.insert('', '', '', []).sql, 'dml');
    for (const sync of syncs) {
      const columns = [...new Set([sync.match.column, ...Object.keys(sync.fields)])];
      for (const probe of [columns, [], ...columns.map((c) => [c])]) {
        add(bigquery.probeColumns(sync, probe), twin.probeColumns(sync, probe), 'rows');
      }
      for (const withState of [true, false]) {
        add(bigquery.planQuery(sync, withState), twin.planQuery(sync, withState), 'rows');
      }
      add(bigquery.openIntents(sync.name).sql, twin.openIntents(sync.name).sql, 'rows');
    }
  }

  hooks(): DoubleHooks {
    return { answer: (job) => this.#answer(job) };
  }

  async #answer(job: DoubleQueryJob): Promise<QueryAnswer> {
    // The warehouse's own datasets and system tables: the load tests check that script.
    if (job.labels.tide === 'init') return {};
    const twin = this.#twins.get(job.sql);
    if (twin === undefined) throw new Error(`not a reverse ETL statement: ${job.sql.slice(0, 200)}`);
    const params = Array.isArray(job.params) ? job.params : [];
    if (twin.returns === 'ddl') {
      await this.#duckdb.execute(twin.duckdb);
      return {};
    }
    const rows: Record<string, unknown>[] = [];
    for await (const row of this.#duckdb.query(twin.duckdb, params)) rows.push({ ...row });
    if (twin.returns === 'dml') return { dmlAffectedRows: Number(rows[0]?.Count ?? 0) };
    const fields: AnswerField[] = Object.keys(rows[0] ?? {}).map((name) => ({
      name,
      type: this.#modelTypes[name] ?? PLAN_TYPES[name] ?? 'STRING',
    }));
    return { fields, rows };
  }
}
