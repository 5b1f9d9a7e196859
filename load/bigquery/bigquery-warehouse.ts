import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type CursorState, cursorState } from '../../core/cursor-state.js';
import { TideError } from '../../core/tide-error.js';
import { ColumnMapping } from '../column-mapping.js';
import type { Dialect } from '../dialect/dialect.js';
import {
  type LoadPackage,
  type LoadTarget,
  type RawTableHealing,
  type RequestCount,
  rawTableName,
  type StreamStatus,
  type Warehouse,
} from '../warehouse.js';
import { BigqueryDialect } from './bigquery-dialect.js';
import type { BigqueryDriver } from './bigquery-driver.js';
import { BigqueryLoadPackage } from './bigquery-load-package.js';
import { toPositionalParams } from './bigquery-params.js';
import { healBigqueryRawTable } from './bigquery-raw-table.js';
import type { BigquerySql } from './bigquery-sql.js';
import { parseRow, readAll, readCommittedCursor, readMappedColumns } from './bigquery-system-rows.js';

export interface BigqueryWarehouseParts {
  readonly driver: BigqueryDriver;
  readonly sql: BigquerySql;
  readonly location: string;
  /** Rows per load file (one load job each). */
  readonly batchSize: number;
  /** Where load files are written before upload. */
  readonly tmpDir: string;
}

const LatestLoadRow = z.object({
  source: z.string(),
  stream: z.string(),
  last_load_id: z.string(),
  last_completed_at: z.string(),
  cursor_value: z.string().nullable(),
  cursor_ids: z.array(z.string()).nullable(),
  cursor_token: z.string().nullish(),
  deletes_checked_at: z.string().nullable(),
});
const TableStatsRow = z.object({
  table_name: z.string(),
  row_count: z.number(),
  deleted_count: z.number(),
  newest: z.string().nullable(),
});

/**
 * The Warehouse contract on BigQuery. Everything is a job: DDL, MERGE and system-table reads are
 * query jobs with the exact SQL of BigquerySql (bigquery-sql.ts and the *-sql.ts files it gathers),
 * record batches arrive as load jobs. BigQuery's client is stateless, so the warehouse is safe to
 * share across concurrent streams.
 */
export class BigqueryWarehouse implements Warehouse {
  // Relations unqualified: every job runs in the configured project, whose datasets they name.
  readonly dialect: Dialect = new BigqueryDialect();
  readonly #parts: BigqueryWarehouseParts;
  readonly #packages = new Set<BigqueryLoadPackage>();
  #closed = false;

  constructor(parts: BigqueryWarehouseParts) {
    this.#parts = parts;
  }

  async init(): Promise<void> {
    this.#assertOpen();
    await this.#parts.driver.run(this.#parts.sql.init(this.#parts.location), 'init');
  }

  async beginLoad(target: LoadTarget): Promise<LoadPackage> {
    this.#assertOpen();
    const { driver, sql } = this.#parts;
    const table = rawTableName(target.source, target.stream);
    const loadId = newLoadId();
    const mapping = new ColumnMapping(await readMappedColumns(driver, sql, table));
    const pkg = new BigqueryLoadPackage({
      loadId,
      target,
      table,
      staging: `_load_${table}_${loadId.replace(/[^a-z0-9]/gi, '')}`,
      liveIds: `_live_${table}_${loadId.replace(/[^a-z0-9]/gi, '')}`,
      mapping,
      startedAt: new Date(),
      driver,
      sql,
      names: sql.names,
      batchSize: this.#parts.batchSize,
      tmpDir: this.#parts.tmpDir,
      onEnd: (p) => this.#packages.delete(p),
    });
    this.#packages.add(pkg);
    return pkg;
  }

  healRawTable(source: string, stream: string): Promise<RawTableHealing> {
    this.#assertOpen();
    const { driver, sql } = this.#parts;
    return healBigqueryRawTable(driver, sql, { source, stream, table: rawTableName(source, stream) });
  }

  readCursor(source: string, stream: string): Promise<CursorState | null> {
    this.#assertOpen();
    return readCommittedCursor(this.#parts.driver, this.#parts.sql, source, stream);
  }

  async streamStatus(): Promise<readonly StreamStatus[]> {
    this.#assertOpen();
    const { driver, sql } = this.#parts;
    const latest = (await readAll(driver, sql.latestLoads(), 'status_loads')).map((row) =>
      parseRow(LatestLoadRow, row, 'the status read'),
    );
    if (latest.length === 0) return [];
    const existing = new Set(
      (await readAll(driver, sql.rawTables(), 'status_tables')).map((r) => String(r.table_name)),
    );
    const tables = [...new Set(latest.map((r) => rawTableName(r.source, r.stream)))].filter((t) =>
      existing.has(t),
    );
    const stats = new Map<string, z.output<typeof TableStatsRow>>();
    if (tables.length > 0) {
      for (const row of await readAll(driver, sql.tableStats(tables), 'status_counts')) {
        const r = parseRow(TableStatsRow, row, 'the table statistics');
        stats.set(r.table_name, r);
      }
    }
    return latest.map((r) => {
      const s = stats.get(rawTableName(r.source, r.stream));
      return {
        source: r.source,
        stream: r.stream,
        cursor:
          r.cursor_value === null ? null : cursorState(r.cursor_value, r.cursor_ids ?? [], r.cursor_token),
        lastLoadId: r.last_load_id,
        lastCompletedAt: r.last_completed_at,
        rowCount: s?.row_count ?? 0,
        deletedCount: s?.deleted_count ?? 0,
        newestRecordAt: s?.newest ?? null,
        deletesCheckedAt: r.deletes_checked_at,
      };
    });
  }

  async recordRequests(runId: string, rows: readonly RequestCount[]): Promise<void> {
    this.#assertOpen();
    if (rows.length === 0) return;
    await this.#parts.driver.run(this.#parts.sql.insertRequests(runId, rows), 'requests');
  }

  /** Streams the result page by page; see bigquery-row-values.ts for the value shapes. */
  async *query(
    sql: string,
    params: readonly unknown[] = [],
  ): AsyncIterable<Readonly<Record<string, unknown>>> {
    this.#assertOpen();
    const statement = params.length === 0 ? { sql } : { sql, ...toPositionalParams(params) };
    yield* this.#parts.driver.rows(statement, 'query');
  }

  async execute(sql: string): Promise<void> {
    this.#assertOpen();
    await this.#parts.driver.run(sql, 'execute');
  }

  /** Packages still open end like a crash: nothing committed, their staging tables expire. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#packages].map((p) => p.discard()));
  }

  #assertOpen(): void {
    if (this.#closed) throw new TideError('warehouse_error', 'the BigQuery warehouse is closed');
  }
}

/** Sortable by start time, unique without coordination (the same shape as DuckDB's). */
function newLoadId(): string {
  return `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`;
}
