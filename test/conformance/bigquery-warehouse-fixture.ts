import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnSpec } from '../../core/column-spec.js';
import type { CursorState } from '../../core/cursor-state.js';
import type { SourceRecord } from '../../core/record.js';
import type { BigqueryClientLike } from '../../load/bigquery/bigquery-client-like.js';
import type { Dialect } from '../../load/dialect/dialect.js';
import type {
  CommitMarks,
  LoadPackage,
  LoadResult,
  LoadTarget,
  RawTableHealing,
  RequestCount,
  StreamStatus,
  Warehouse,
} from '../../load/warehouse.js';
import type { BigqueryDouble } from '../bigquery/bigquery-double.js';
import { BigqueryOracle } from '../bigquery/bigquery-oracle.js';
import { sdkClient, startDouble, warehouseOn } from '../bigquery/bigquery-test-client.js';
import type { WarehouseFixture, WarehouseFixtureFactory } from './warehouse-harness.js';

/**
 * The BigQuery warehouse (real @google-cloud/bigquery, real requests) against the double, with the
 * oracle answering the double's query jobs. The suite talks to `MirroredWarehouse`, which hands
 * every call to the BigQuery warehouse; the only thing it does itself is begin/abort the oracle's
 * side of a package and pass ensureColumns on (a load schema carries column names, not the CRM
 * field names the column map needs). Records, commits, cursors and request counts reach the oracle
 * only through the BigQuery requests (see bigquery-oracle.ts).
 */
export const bigqueryDoubleFixture: WarehouseFixtureFactory = () => bigqueryFixtureWith((client) => client);

/** The same fixture with the SDK client wrapped, so a test can break one thing on the wire. */
export async function bigqueryFixtureWith(
  wrap: (client: BigqueryClientLike) => BigqueryClientLike,
): Promise<WarehouseFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'tide-bq-'));
  // Pages of 700 rows: the 3000-row check reads five of them through pageToken.
  const double = await startDouble({ pollsUntilDone: 1, maxPageRows: 700 });
  const oracle = new BigqueryOracle(join(dir, 'oracle.duckdb'));
  double.hooks = oracle.hooks();
  return {
    persistent: true,
    open: async () => {
      await oracle.open();
      const bigquery = warehouseOn(double, {}, { tmpDir: dir, client: wrap(sdkClient(double)) });
      return new MirroredWarehouse(bigquery, oracle, double);
    },
    dispose: async () => {
      await oracle.close();
      await double.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

class MirroredWarehouse implements Warehouse {
  readonly #bigquery: Warehouse;
  readonly #oracle: BigqueryOracle;
  readonly double: BigqueryDouble;

  constructor(bigquery: Warehouse, oracle: BigqueryOracle, double: BigqueryDouble) {
    this.#bigquery = bigquery;
    this.#oracle = oracle;
    this.double = double;
  }

  get dialect(): Dialect {
    return this.#bigquery.dialect;
  }

  async init(): Promise<void> {
    await this.#oracle.warehouse.init();
    await this.#bigquery.init();
  }

  async beginLoad(target: LoadTarget): Promise<LoadPackage> {
    const bigquery = await this.#bigquery.beginLoad(target);
    const oracle = await this.#oracle.warehouse.beginLoad(target);
    this.#oracle.track(bigquery.loadId, oracle, target.replace);
    return new MirroredPackage(bigquery, oracle);
  }

  /** BigQuery's repair reaches the oracle as its script; the oracle's own tables heal alike. */
  async healRawTable(source: string, stream: string): Promise<RawTableHealing> {
    const healed = await this.#bigquery.healRawTable(source, stream);
    await this.#oracle.warehouse.healRawTable(source, stream);
    return healed;
  }

  readCursor(source: string, stream: string): Promise<CursorState | null> {
    return this.#bigquery.readCursor(source, stream);
  }

  streamStatus(): Promise<readonly StreamStatus[]> {
    return this.#bigquery.streamStatus();
  }

  recordRequests(runId: string, rows: readonly RequestCount[]): Promise<void> {
    return this.#bigquery.recordRequests(runId, rows);
  }

  query(sql: string, params?: readonly unknown[]): AsyncIterable<Readonly<Record<string, unknown>>> {
    return this.#bigquery.query(sql, params);
  }

  execute(sql: string): Promise<void> {
    return this.#bigquery.execute(sql);
  }

  async close(): Promise<void> {
    await this.#bigquery.close();
    await this.#oracle.close();
  }
}

class MirroredPackage implements LoadPackage {
  readonly loadId: string;
  readonly #bigquery: LoadPackage;
  readonly #oracle: LoadPackage;

  constructor(bigquery: LoadPackage, oracle: LoadPackage) {
    this.loadId = bigquery.loadId;
    this.#bigquery = bigquery;
    this.#oracle = oracle;
  }

  async ensureColumns(columns: readonly ColumnSpec[]): Promise<void> {
    await this.#bigquery.ensureColumns(columns);
    await this.#oracle.ensureColumns(columns);
  }

  append(records: readonly SourceRecord[]): Promise<void> {
    return this.#bigquery.append(records);
  }

  appendLiveIds(ids: readonly string[]): Promise<void> {
    return this.#bigquery.appendLiveIds(ids);
  }

  commit(cursor: CursorState | null, marks?: CommitMarks): Promise<LoadResult> {
    return this.#bigquery.commit(cursor, marks);
  }

  async abort(): Promise<void> {
    await this.#bigquery.abort();
    await this.#oracle.abort();
  }
}
