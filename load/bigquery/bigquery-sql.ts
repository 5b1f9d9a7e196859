import type { MappedColumn } from '../column-mapping.js';
import type { RequestCount } from '../warehouse.js';
import { type CommitPlan, commitSql } from './bigquery-commit-sql.js';
import { evolveTableSql } from './bigquery-evolve-sql.js';
import type { BigqueryNames } from './bigquery-names.js';
import { createLiveIdsSql, createStagingSql, dropStagingSql } from './bigquery-staging-sql.js';
import type { BigqueryStatement } from './bigquery-statement.js';
import { latestLoadsSql, rawTablesSql, tableStatsSql } from './bigquery-status-sql.js';
import {
  initSql,
  insertRequestsSql,
  readCursorSql,
  readMappedColumnsSql,
} from './bigquery-system-tables-sql.js';

/**
 * Every statement Tide sends to BigQuery for the Warehouse contract, reached through one object so
 * the warehouse's parts share one project's names and the exact text is golden-tested and parsed
 * with a GoogleSQL parser in one place. The text itself lives with its family: system tables
 * (bigquery-system-tables-sql.ts), status (bigquery-status-sql.ts), staging (bigquery-staging-sql.ts),
 * schema evolution (bigquery-evolve-sql.ts) and the commit (bigquery-commit-sql.ts, its MERGE in
 * bigquery-merge-sql.ts). Names are always fully qualified: jobs run without a default dataset.
 */
export class BigquerySql {
  readonly #names: BigqueryNames;

  constructor(names: BigqueryNames) {
    this.#names = names;
  }

  get names(): BigqueryNames {
    return this.#names;
  }

  init(location: string): string {
    return initSql(this.#names, location);
  }

  readMappedColumns(table: string): BigqueryStatement {
    return readMappedColumnsSql(this.#names, table);
  }

  createStaging(staging: string, columns: readonly MappedColumn[]): string {
    return createStagingSql(this.#names, staging, columns);
  }

  createLiveIds(table: string): string {
    return createLiveIdsSql(this.#names, table);
  }

  dropStaging(staging: string): string {
    return dropStagingSql(this.#names, staging);
  }

  evolveTable(
    table: string,
    mapping: readonly MappedColumn[],
    added: readonly MappedColumn[],
    loadId: string,
  ): BigqueryStatement {
    return evolveTableSql(this.#names, table, mapping, added, loadId);
  }

  commit(plan: CommitPlan): BigqueryStatement {
    return commitSql(this.#names, plan);
  }

  readCursor(source: string, stream: string): BigqueryStatement {
    return readCursorSql(this.#names, source, stream);
  }

  latestLoads(): string {
    return latestLoadsSql(this.#names);
  }

  rawTables(): string {
    return rawTablesSql(this.#names);
  }

  tableStats(tables: readonly string[]): string {
    return tableStatsSql(this.#names, tables);
  }

  insertRequests(runId: string, rows: readonly RequestCount[]): BigqueryStatement {
    return insertRequestsSql(this.#names, runId, rows);
  }
}
