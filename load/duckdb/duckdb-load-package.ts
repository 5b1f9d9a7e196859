import type { DuckDBConnection } from '@duckdb/node-api';
import pLimit, { type LimitFunction } from 'p-limit';
import type { ColumnSpec } from '../../core/column-spec.js';
import type { CursorState } from '../../core/cursor-state.js';
import type { SourceRecord } from '../../core/record.js';
import { TideError } from '../../core/tide-error.js';
import type { ColumnMapping } from '../column-mapping.js';
import { commitInputTimes } from '../commit-input.js';
import type { CommitMarks, LoadPackage, LoadResult, LoadTarget } from '../warehouse.js';
import { commitStaging } from './duckdb-commit.js';
import { DuckdbLiveIds } from './duckdb-live-ids.js';
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
      let rowsWritten: number;
      try {
        rowsWritten = await this.#parts.serializeCommit(() =>
          commitStaging(this.#parts.connection, {
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
          }),
        );
      } catch (error) {
        // The transaction rolled back: the package stays open so the caller can abort it.
        throw new TideError(
          'warehouse_error',
          `commit of ${target.source}.${target.stream} (load ${this.loadId}) failed and was rolled back: ${message(error)}`,
          { hint: 'nothing was written; rerun the extract', cause: error },
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

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
