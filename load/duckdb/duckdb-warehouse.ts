import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import pLimit from 'p-limit';
import type { CursorState } from '../../core/cursor-state.js';
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
import { duckdbDialect } from './duckdb-dialect.js';
import { DuckdbLoadPackage } from './duckdb-load-package.js';
import { DuckdbMemoryLimit } from './duckdb-memory-limit.js';
import { toDuckdbParams } from './duckdb-params.js';
import { healDuckdbRawTable } from './duckdb-raw-table.js';
import { streamRows } from './duckdb-row-stream.js';
import { DuckdbStagingTable } from './duckdb-staging-table.js';
import {
  readCommittedCursor,
  readMappedColumns,
  readStreamStatus,
  SYSTEM_DDL,
} from './duckdb-system-tables.js';

export interface DuckdbWarehouseOptions {
  /** A file path, or ':memory:' (tests). */
  readonly path: string;
  /** Rows appended between appender flushes into a package's staging table. */
  readonly batchSize?: number;
  /**
   * A package staging at least this many rows inserts the ids its table lacks with a plain INSERT,
   * apart from the upsert of the ids it has (default 10,000; see duckdb-commit.ts for why). 0 takes
   * that path for every package (the conformance suite runs both).
   */
  readonly bulkInsertFrom?: number;
  /**
   * DuckDB's memory limit for queries and model builds (default 1GB). DuckDB's own default is 80% of
   * RAM, which it fills with cached blocks as tables grow; a fixed limit keeps the process flat,
   * spilling to its temp directory instead. Too small a limit fails a commit cleanly (rolled back)
   * with DuckDB's "Out of Memory" advice; 256MB still loads millions of rows in
   * bench/duckdb-load.bench.ts.
   */
  readonly memoryLimit?: string;
  /** The limit while a load package is open (default 256MB); see duckdb-memory-limit.ts. */
  readonly loadMemoryLimit?: string;
  /**
   * Attach the file READ_ONLY (commands that only read: status, sql, docs, report): DuckDB refuses
   * every write, a file the user may only read opens, and other readers are not locked out. The
   * file must exist; init() creates nothing.
   */
  readonly readOnly?: boolean;
}

/**
 * The catalog a database file is attached as. Opened directly, DuckDB would name the catalog after
 * the file (`tide.duckdb` → `tide`), and `tide.loads` would then be ambiguous between that catalog
 * and Tide's `tide` schema; so the file is attached under a name no schema uses.
 */
const CATALOG = 'tide_warehouse';
const DEFAULT_MEMORY_LIMIT = '1GB';
const DEFAULT_LOAD_MEMORY_LIMIT = '256MB';
const DEFAULT_BULK_INSERT_FROM = 10_000;

/** Opens (creating when missing) a DuckDB database. Call init() before loading. */
export async function openDuckdbWarehouse(options: DuckdbWarehouseOptions): Promise<DuckdbWarehouse> {
  const inMemory = options.path === ':memory:';
  const readOnly = options.readOnly === true && !inMemory;
  if (readOnly && !existsSync(options.path)) {
    throw new TideError('not_found', `no DuckDB warehouse at ${options.path}`, {
      hint: 'run `tide run` (or `npm start`) first, or point warehouse.path in the config at your file',
    });
  }
  const instance = await DuckDBInstance.create(':memory:');
  const memory = new DuckdbMemoryLimit({
    query: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
    load: options.loadMemoryLimit ?? DEFAULT_LOAD_MEMORY_LIMIT,
  });
  const warehouse = new DuckdbWarehouse(instance, {
    batchSize: options.batchSize ?? 10_000,
    bulkInsertFrom: options.bulkInsertFrom ?? DEFAULT_BULK_INSERT_FROM,
    catalog: inMemory ? null : CATALOG,
    memory,
    readOnly,
  });
  try {
    const settings = [`SET GLOBAL TimeZone = 'UTC'`, memory.initialStatement];
    // The instance itself is in memory (the file is attached to it), so DuckDB would spill into
    // `./.tmp` under whatever directory tide runs in — for cron often one it may not write, and a
    // spill that cannot be written fails the load with Out of Memory. A writable file spills beside
    // itself (`tide.duckdb.tmp`, where DuckDB puts it for a file it opens; same disk as the data),
    // anything else into the system's temp directory.
    const spillTo =
      inMemory || readOnly ? join(tmpdir(), `tide-duckdb-${process.pid}`) : `${resolve(options.path)}.tmp`;
    settings.push(`SET GLOBAL temp_directory = ${duckdbDialect.string(spillTo)}`);
    if (!inMemory)
      settings.push(
        `ATTACH ${duckdbDialect.string(options.path)} AS ${CATALOG}${readOnly ? ' (READ_ONLY)' : ''}`,
      );
    await warehouse.setup(settings);
  } catch (error) {
    await warehouse.close();
    const holder = lockHolder(message(error));
    if (holder !== null) {
      throw new TideError(
        'warehouse_locked',
        `${options.path} is in use by another process (${holder}): most likely another tide run`,
        {
          hint: 'wait for it to finish and run again, or pass --wait <seconds> to wait for it',
          cause: error,
        },
      );
    }
    throw new TideError('warehouse_error', `cannot open DuckDB database ${options.path}: ${message(error)}`, {
      hint: readOnly
        ? 'check that the file is a DuckDB database you may read, and that no other process is writing it'
        : 'check that the directory exists and is writable, and that no other process has the file open',
      cause: error,
    });
  }
  return warehouse;
}

/**
 * The embedded default warehouse. Every load package gets its own connection (so packages of
 * different streams stage in parallel) and commits one at a time. Every other call uses a short-lived
 * connection of its own, which makes the warehouse safe to share across concurrent callers.
 */
export class DuckdbWarehouse implements Warehouse {
  readonly dialect: Dialect = duckdbDialect;
  readonly #instance: DuckDBInstance;
  readonly #batchSize: number;
  readonly #bulkInsertFrom: number;
  readonly #catalog: string | null;
  readonly #memory: DuckdbMemoryLimit;
  readonly #serializeCommit = pLimit(1);
  readonly #packages = new Set<DuckdbLoadPackage>();
  readonly #connections = new Set<DuckDBConnection>();
  readonly #readOnly: boolean;
  #closed = false;

  constructor(
    instance: DuckDBInstance,
    options: {
      readonly batchSize: number;
      readonly bulkInsertFrom: number;
      readonly catalog: string | null;
      readonly memory: DuckdbMemoryLimit;
      readonly readOnly?: boolean;
    },
  ) {
    this.#instance = instance;
    this.#batchSize = options.batchSize;
    this.#bulkInsertFrom = options.bulkInsertFrom;
    this.#catalog = options.catalog;
    this.#memory = options.memory;
    this.#readOnly = options.readOnly === true;
  }

  /** Opened READ_ONLY: every write is refused by DuckDB itself. */
  get readOnly(): boolean {
    return this.#readOnly;
  }

  /** Instance-wide settings, run before the catalog exists (hence not through #connect). */
  async setup(statements: readonly string[]): Promise<void> {
    const connection = await this.#instance.connect();
    try {
      for (const sql of statements) await connection.run(sql);
    } finally {
      connection.closeSync();
    }
  }

  async init(): Promise<void> {
    // A read-only file is used as it is: a command that only reads must not need Tide's tables.
    if (this.#readOnly) return;
    await this.#withConnection(async (c) => {
      for (const ddl of SYSTEM_DDL) await c.run(ddl);
    });
  }

  async beginLoad(target: LoadTarget): Promise<LoadPackage> {
    const table = rawTableName(target.source, target.stream);
    const connection = await this.#connect();
    try {
      await this.#memory.apply(connection, true);
      const mapping = new ColumnMapping(await readMappedColumns(connection, table));
      const staging = await DuckdbStagingTable.create(connection, this.#batchSize);
      await staging.addColumns(mapping.all());
      const pkg = new DuckdbLoadPackage({
        loadId: newLoadId(),
        target,
        table,
        connection,
        staging,
        mapping,
        startedAt: new Date(),
        serializeCommit: this.#serializeCommit,
        bulkInsertFrom: this.#bulkInsertFrom,
        memory: this.#memory,
        onEnd: (p) => {
          this.#packages.delete(p);
          this.#connections.delete(connection);
        },
      });
      this.#packages.add(pkg);
      return pkg;
    } catch (error) {
      this.#disconnect(connection);
      throw wrap(error, `cannot begin a load of ${target.source}.${target.stream}`);
    }
  }

  /** Alone among commits: a repair may drop and create the table a commit would write. */
  healRawTable(source: string, stream: string): Promise<RawTableHealing> {
    const table = rawTableName(source, stream);
    return this.#serializeCommit(() =>
      this.#withConnection(async (c) => {
        try {
          return await healDuckdbRawTable(c, { source, stream, table });
        } catch (error) {
          throw wrap(error, `cannot check or repair raw.${table}`);
        }
      }),
    );
  }

  readCursor(source: string, stream: string): Promise<CursorState | null> {
    return this.#withConnection((c) => readCommittedCursor(c, source, stream));
  }

  streamStatus(): Promise<readonly StreamStatus[]> {
    return this.#withConnection((c) => readStreamStatus(c, rawTableName));
  }

  async recordRequests(runId: string, rows: readonly RequestCount[]): Promise<void> {
    if (rows.length === 0) return;
    const recordedAt = new Date();
    await this.#withConnection(async (c) => {
      const appender = await c.createAppender('requests', 'tide');
      try {
        for (const row of rows) {
          for (const value of toDuckdbParams([
            runId,
            row.source,
            row.endpoint,
            row.status,
            row.count,
            recordedAt,
          ])) {
            appender.appendValue(value);
          }
          appender.endRow();
        }
      } finally {
        appender.closeSync();
      }
    });
  }

  /**
   * Streams a query's rows chunk by chunk (DuckDB's streaming result: the full result is never
   * materialized) as plain objects; see duckdb-plain-value.ts for the value shapes.
   */
  async *query(
    sql: string,
    params: readonly unknown[] = [],
  ): AsyncIterable<Readonly<Record<string, unknown>>> {
    const connection = await this.#connect();
    try {
      await this.#memory.apply(connection, this.#packages.size > 0);
      yield* streamRows(connection, sql, params);
    } catch (error) {
      throw wrap(error, 'query failed');
    } finally {
      this.#disconnect(connection);
    }
  }

  async execute(sql: string): Promise<void> {
    await this.#withConnection(async (c) => {
      try {
        await c.run(sql);
      } catch (error) {
        throw wrap(error, 'statement failed');
      }
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Let a commit in flight finish; packages still open end like a crash: nothing committed.
    await this.#serializeCommit(() => undefined);
    for (const pkg of [...this.#packages]) pkg.discard();
    for (const connection of [...this.#connections]) this.#disconnect(connection);
    this.#instance.closeSync();
  }

  async #withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await this.#connect();
    try {
      await this.#memory.apply(connection, this.#packages.size > 0);
      return await work(connection);
    } finally {
      this.#disconnect(connection);
    }
  }

  async #connect(): Promise<DuckDBConnection> {
    if (this.#closed) throw new TideError('warehouse_error', 'the DuckDB warehouse is closed');
    const connection = await this.#instance.connect();
    this.#connections.add(connection);
    try {
      // USE is per connection: every connection must point at the attached file.
      if (this.#catalog !== null) await connection.run(`USE ${this.#catalog}`);
    } catch (error) {
      this.#disconnect(connection);
      throw error;
    }
    return connection;
  }

  #disconnect(connection: DuckDBConnection): void {
    if (this.#connections.delete(connection)) connection.closeSync();
  }
}

/** Sortable by start time, unique without coordination. */
function newLoadId(): string {
  return `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`;
}

function wrap(error: unknown, context: string): TideError {
  if (error instanceof TideError) return error;
  return new TideError('warehouse_error', `${context}: ${message(error)}`, { cause: error });
}

/**
 * DuckDB lets one process write a file (and none read it meanwhile): a second one is refused with
 * "Could not set lock on file …: Conflicting lock is held in /usr/bin/node (PID 123)". Returns
 * `PID 123` (or `another process`) for that refusal, null for any other error.
 */
export function lockHolder(text: string): string | null {
  if (!/Could not set lock on file/i.test(text)) return null;
  const pid = /\(PID (\d+)\)/.exec(text);
  return pid ? `PID ${pid[1]}` : 'another process';
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
