import type { DuckDBConnection } from '@duckdb/node-api';
import pLimit, { type LimitFunction } from 'p-limit';
import type { ColumnSpec } from '../../core/column-spec.js';
import type { CursorState } from '../../core/cursor-state.js';
import type { SourceRecord } from '../../core/record.js';
import { TideError } from '../../core/tide-error.js';
import type { ColumnMapping } from '../column-mapping.js';
import { commitInputTimes } from '../commit-input.js';
import type { CommitMarks, LoadPackage, LoadResult, LoadTarget } from '../warehouse.js';
import { type CommitInput, commitStaging } from './duckdb-commit.js';
import { DuckdbLiveIds } from './duckdb-live-ids.js';
import type { DuckdbMemoryLimit } from './duckdb-memory-limit.js';
import type { DuckdbStagingTable } from './duckdb-staging-table.js';

export interface DuckdbLoadPackageParts {
  readonly loadId: string;
  readonly target: LoadTarget;
  readonly table: string;
  /** The package's own connection: its TEMP staging table lives and dies with it. */
  readonly connection: DuckDBConnection;
  readonly staging: DuckdbStagingTable;
  /** The committed column map at begin, extended by this package's new fields. */
  readonly mapping: ColumnMapping;
  readonly startedAt: Date;
  /** Runs a commit alone among all packages of the warehouse. */
  readonly serializeCommit: LimitFunction;
  /** DuckdbWarehouseOptions.bulkInsertFrom. */
  readonly bulkInsertFrom: number;
  /** The instance's memory limit: a commit that runs out of the load limit is retried above it. */
  readonly memory: DuckdbMemoryLimit;
  /** Called once when the package ends (committed, aborted or closed with the warehouse). */
  readonly onEnd: (pkg: DuckdbLoadPackage) => void;
}

type PackageState = 'open' | 'committed' | 'aborted';

/**
 * A load package on DuckDB. Fields that arrive without a ColumnSpec get a column too, typed
 * 'string': a VARCHAR holds any value without loss and coercion can never null it out, while a
 * guessed numeric or timestamp type would turn the next differently-shaped value into NULL. The
 * column then keeps that type (see ColumnMapping.add); `_tide_record` holds the original either way.
 */
export class DuckdbLoadPackage implements LoadPackage {
  readonly loadId: string;
  readonly #parts: DuckdbLoadPackageParts;
  /** append/ensureColumns/commit of one package run one at a time even if a caller overlaps them. */
  readonly #serial = pLimit(1);
  readonly #live: DuckdbLiveIds;
  #state: PackageState = 'open';

  constructor(parts: DuckdbLoadPackageParts) {
    this.loadId = parts.loadId;
    this.#parts = parts;
    this.#live = new DuckdbLiveIds(parts.connection);
  }

  ensureColumns(columns: readonly ColumnSpec[]): Promise<void> {
    return this.#serial(async () => {
      this.#assertOpen('ensureColumns');
      await this.#parts.staging.addColumns(this.#parts.mapping.add(columns));
    });
  }

  append(records: readonly SourceRecord[]): Promise<void> {
    return this.#serial(async () => {
      this.#assertOpen('append');
      if (records.length === 0) return;
      const unknown = this.#unknownFields(records);
      if (unknown.length > 0) await this.#parts.staging.addColumns(this.#parts.mapping.add(unknown));
      await this.#parts.staging.append(records);
    });
  }

  appendLiveIds(ids: readonly string[]): Promise<void> {
    return this.#serial(async () => {
      this.#assertOpen('appendLiveIds');
      await this.#live.append(ids);
    });
  }

  commit(cursor: CursorState | null, marks?: CommitMarks): Promise<LoadResult> {
    return this.#serial(async () => {
      this.#assertOpen('commit');
      const { target, staging } = this.#parts;
      const times = commitInputTimes(target, cursor, marks);
      staging.flush();
      this.#live.flush();
      const input: CommitInput = {
        table: this.#parts.table,
        staged: staging.columns,
        replace: target.replace,
        liveIds: this.#live.listed ? DuckdbLiveIds.qualifiedName : null,
        loadId: this.loadId,
        runId: target.runId,
        source: target.source,
        stream: target.stream,
        startedAt: this.#parts.startedAt,
        rowsStaged: staging.rowCount,
        insertNewIdsApart: staging.rowCount >= this.#parts.bulkInsertFrom,
        cursor: times.cursor,
        deletesCheckedAt: times.deletesCheckedAt,
      };
      let rowsWritten: number;
      try {
        rowsWritten = await this.#parts.serializeCommit(() => this.#commitWithRoom(input));
      } catch (error) {
        // The transaction rolled back: the package stays open so the caller can abort it.
        throw new TideError(
          'warehouse_error',
          `commit of ${target.source}.${target.stream} (load ${this.loadId}) failed and was rolled back: ${message(error)}`,
          {
            hint: isOutOfMemory(error)
              ? `nothing was written. The package of ${staging.rowCount} records needed more memory than DuckDB may use (${this.#parts.memory.queryLimit}): raise warehouse.memoryLimit in pipeline.config.ts, or lower extract.checkpointEvery, and rerun`
              : 'nothing was written; rerun the extract',
            cause: error,
          },
        );
      }
      this.#end('committed');
      return { loadId: this.loadId, rowsStaged: staging.rowCount, rowsWritten };
    });
  }

  abort(): Promise<void> {
    return this.#serial(async () => {
      if (this.#state === 'open') this.#end('aborted');
    });
  }

  /** Ends the package without committing (warehouse close): same effect as a crash, by design. */
  discard(): void {
    if (this.#state === 'open') this.#end('aborted');
  }

  /**
   * Commits under the load limit; a commit that runs out of it is tried once more with the query
   * limit (the failed attempt rolled back, so nothing is applied twice). Loading keeps the lower
   * limit for staging; only a package whose commit needs the room gets it.
   */
  async #commitWithRoom(input: CommitInput): Promise<number> {
    const { connection, memory } = this.#parts;
    try {
      return await commitStaging(connection, input);
    } catch (error) {
      if (!isOutOfMemory(error) || !memory.canLift) throw error;
      await memory.lift(connection);
      return await commitStaging(connection, input);
    }
  }

  #end(state: PackageState): void {
    this.#state = state;
    // Disconnecting drops the TEMP staging table with the connection.
    this.#parts.connection.closeSync();
    this.#parts.onEnd(this);
  }

  #assertOpen(operation: string): void {
    if (this.#state !== 'open') {
      throw new TideError(
        'warehouse_error',
        `load package ${this.loadId} is already ${this.#state}; ${operation} is not possible`,
        { hint: 'begin a new load package' },
      );
    }
  }

  #unknownFields(records: readonly SourceRecord[]): ColumnSpec[] {
    const { mapping } = this.#parts;
    const unknown = new Map<string, ColumnSpec>();
    for (const record of records) {
      for (const field in record.fields) {
        if (record.fields[field] === undefined || unknown.has(field) || mapping.get(field) !== undefined)
          continue;
        unknown.set(field, { name: field, type: 'string' });
      }
    }
    return [...unknown.values()];
  }
}

function isOutOfMemory(error: unknown): boolean {
  return message(error).includes('Out of Memory');
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
