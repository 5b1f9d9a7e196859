import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  MysqlAdapter,
  MysqlQueryCompiler,
  PostgresAdapter,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
  type SchemaMetadata,
  SelectQueryNode,
  type TableMetadata,
} from 'kysely';
import { TideError } from '../../core/tide-error.js';
import type { DialectName } from '../dialect/dialect.js';
import type { Warehouse } from '../warehouse.js';
import { readWarehouseColumns } from './warehouse-columns.js';

/**
 * DuckDB speaks PostgreSQL's SQL for everything Kysely builds; parameters are bound as `?` (what Tide's
 * DuckDB query() binds, with its value rules: Dates as TIMESTAMPTZ, objects as JSON text).
 */
class DuckdbQueryCompiler extends PostgresQueryCompiler {
  protected override getCurrentParameterPlaceholder(): string {
    return '?';
  }
}

/**
 * GoogleSQL quotes identifiers with backticks and binds positional `?` parameters, as MySQL's
 * compiler writes them. (Literals inlined with sql.lit are MySQL-escaped: prefer parameters.)
 */
class BigqueryQueryCompiler extends MysqlQueryCompiler {}

/** Kysely's compiler and adapter for each warehouse (a lookup by dialect name, never a branch). */
const KYSELY: Readonly<
  Record<DialectName, { readonly compiler: () => QueryCompiler; readonly adapter: () => DialectAdapter }>
> = {
  duckdb: { compiler: () => new DuckdbQueryCompiler(), adapter: () => new PostgresAdapter() },
  bigquery: { compiler: () => new BigqueryQueryCompiler(), adapter: () => new MysqlAdapter() },
};

export interface TideDialectOptions {
  /** Close the warehouse when the Kysely instance is destroyed (it was opened for it). */
  readonly closeOnDestroy?: boolean;
}

/**
 * A Kysely dialect over a Tide Warehouse: the typed builder compiles, Tide's warehouse runs it (the
 * same connection handling, value shapes, retries and error messages as every other Tide query; no
 * parameter is ever logged). DuckDB through @duckdb/node-api, BigQuery through its jobs API. Each
 * query runs on its own connection, so transactions are not offered.
 */
export class TideDialect implements Dialect {
  readonly #warehouse: Warehouse;
  readonly #options: TideDialectOptions;

  constructor(warehouse: Warehouse, options: TideDialectOptions = {}) {
    this.#warehouse = warehouse;
    this.#options = options;
  }

  createDriver(): Driver {
    return new TideDriver(this.#warehouse, this.#options.closeOnDestroy === true);
  }

  createQueryCompiler(): QueryCompiler {
    return KYSELY[this.#warehouse.dialect.name].compiler();
  }

  createAdapter(): DialectAdapter {
    return KYSELY[this.#warehouse.dialect.name].adapter();
  }

  createIntrospector(_db: Kysely<unknown>): DatabaseIntrospector {
    return new TideIntrospector(this.#warehouse);
  }
}

class TideDriver implements Driver {
  readonly #warehouse: Warehouse;
  readonly #close: boolean;

  constructor(warehouse: Warehouse, close: boolean) {
    this.#warehouse = warehouse;
    this.#close = close;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new TideConnection(this.#warehouse);
  }

  async beginTransaction(): Promise<void> {
    throw new TideError('warehouse_error', "transactions are not available through Tide's typed builder", {
      hint: 'run each statement on its own; Tide writes its own tables idempotently instead',
    });
  }

  async commitTransaction(): Promise<void> {}

  async rollbackTransaction(): Promise<void> {}

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    if (this.#close) await this.#warehouse.close();
  }
}

class TideConnection implements DatabaseConnection {
  readonly #warehouse: Warehouse;

  constructor(warehouse: Warehouse) {
    this.#warehouse = warehouse;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const rows: R[] = [];
    for await (const row of this.#warehouse.query(compiled.sql, compiled.parameters)) rows.push(row as R);
    if (SelectQueryNode.is(compiled.query) || rows.length !== 1 || !isCountRow(rows[0])) return { rows };
    // DuckDB answers INSERT/UPDATE/DELETE without RETURNING with one row: the affected row count.
    return { rows: [], numAffectedRows: BigInt(Object.values(rows[0] as object)[0] as number) };
  }

  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    let chunk: R[] = [];
    for await (const row of this.#warehouse.query(compiled.sql, compiled.parameters)) {
      chunk.push(row as R);
      if (chunk.length >= chunkSize) {
        yield { rows: chunk };
        chunk = [];
      }
    }
    if (chunk.length > 0) yield { rows: chunk };
  }
}

function isCountRow(row: unknown): boolean {
  if (typeof row !== 'object' || row === null) return false;
  const keys = Object.keys(row);
  return keys.length === 1 && keys[0] === 'Count';
}

/** Kysely's introspection API over the same information schema `tide types` reads. */
class TideIntrospector implements DatabaseIntrospector {
  readonly #warehouse: Warehouse;

  constructor(warehouse: Warehouse) {
    this.#warehouse = warehouse;
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    return ['raw', 'staging', 'analytics', 'tide'].map((name) => ({ name }));
  }

  async getTables(): Promise<TableMetadata[]> {
    const columns = await readWarehouseColumns(this.#warehouse, ['raw', 'staging', 'analytics', 'tide']);
    const tables = new Map<string, TableMetadata & { columns: TableMetadata['columns'][number][] }>();
    for (const c of columns) {
      const key = `${c.schema}.${c.table}`;
      let table = tables.get(key);
      if (!table) {
        table = { name: c.table, schema: c.schema, isView: c.isView, columns: [] };
        tables.set(key, table);
      }
      table.columns.push({
        name: c.column,
        dataType: c.dataType,
        isNullable: c.nullable,
        isAutoIncrementing: false,
        hasDefaultValue: false,
      });
    }
    return [...tables.values()];
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}
