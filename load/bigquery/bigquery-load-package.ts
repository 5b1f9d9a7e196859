import { join } from 'node:path';
import type { JobLoadMetadata } from '@google-cloud/bigquery';
import pLimit from 'p-limit';
import type { ColumnSpec } from '../../core/column-spec.js';
import type { CursorState } from '../../core/cursor-state.js';
import type { SourceRecord } from '../../core/record.js';
import { TideError } from '../../core/tide-error.js';
import { ColumnMapping, type MappedColumn } from '../column-mapping.js';
import { commitInputTimes } from '../commit-input.js';
import type { CommitMarks, LoadPackage, LoadResult, LoadTarget } from '../warehouse.js';
import { BIGQUERY_CAPABILITIES } from './bigquery-capabilities.js';
import type { BigqueryDriver } from './bigquery-driver.js';
import { BigqueryLiveIds } from './bigquery-live-ids.js';
import type { BigqueryNames } from './bigquery-names.js';
import type { BigquerySql } from './bigquery-sql.js';
import { STAGING_SYSTEM_COLUMNS } from './bigquery-staging-sql.js';
import { readMappedColumns, readRowsWritten } from './bigquery-system-rows.js';
import { BIGQUERY_API_TYPES } from './bigquery-types.js';
import { LoadRowEncoder } from './load-row-encoder.js';
import { loadAndRemove, NdjsonLoadFile } from './ndjson-load-file.js';

export interface BigqueryLoadPackageParts {
  readonly loadId: string;
  readonly target: LoadTarget;
  /** The raw table (`<source>__<stream>`). */
  readonly table: string;
  /** This load's staging table in `tide`. */
  readonly staging: string;
  /** This load's table of live ids in `tide` (LoadPackage.appendLiveIds). */
  readonly liveIds: string;
  /** The committed column map at begin, extended by this package's new fields. */
  readonly mapping: ColumnMapping;
  readonly startedAt: Date;
  readonly driver: BigqueryDriver;
  readonly sql: BigquerySql;
  readonly names: BigqueryNames;
  /** Rows per load file (one load job each). */
  readonly batchSize: number;
  /** Where load files are written before upload. */
  readonly tmpDir: string;
  /** Called once when the package ends (committed, aborted or discarded). */
  readonly onEnd: (pkg: BigqueryLoadPackage) => void;
}

type PackageState = 'open' | 'committed' | 'aborted';

/**
 * A load package on BigQuery. Records are encoded to gzip NDJSON on local disk as they arrive; every
 * `batchSize` rows the file is uploaded as one load job into the package's staging table, so memory
 * and disk stay flat however large the package. `commit` uploads the rest, evolves the raw table's
 * schema, then runs the MERGE, cursor and completion row as one transaction (bigquery-commit-sql.ts).
 * Fields that arrive without a ColumnSpec get a 'string' column, exactly as on DuckDB.
 */
export class BigqueryLoadPackage implements LoadPackage {
  readonly loadId: string;
  readonly #parts: BigqueryLoadPackageParts;
  readonly #serial = pLimit(1);
  /** The typed columns of the staging table, in order. */
  readonly #staged: MappedColumn[] = [];
  readonly #encoder = new LoadRowEncoder();
  #file: NdjsonLoadFile | null = null;
  #files = 0;
  #rows = 0;
  #stagingCreated = false;
  readonly #live: BigqueryLiveIds;
  #state: PackageState = 'open';

  constructor(parts: BigqueryLoadPackageParts) {
    this.loadId = parts.loadId;
    this.#parts = parts;
    this.#stage(parts.mapping.all());
    this.#live = new BigqueryLiveIds({ ...parts, table: parts.liveIds });
  }

  ensureColumns(columns: readonly ColumnSpec[]): Promise<void> {
    return this.#serial(async () => {
      this.#assertOpen('ensureColumns');
      this.#stage(this.#parts.mapping.add(columns));
    });
  }

  append(records: readonly SourceRecord[]): Promise<void> {
    return this.#serial(async () => {
      this.#assertOpen('append');
      const unknown = this.#unknownFields(records);
      if (unknown.length > 0) this.#stage(this.#parts.mapping.add(unknown));
      for (let start = 0; start < records.length; ) {
        this.#file ??= NdjsonLoadFile.create(
          join(this.#parts.tmpDir, `tide-bq-${this.loadId}-${++this.#files}.ndjson.gz`),
        );
        // Never more rows into one file than batchSize: the rest of the batch starts the next file.
        const take = Math.min(records.length - start, this.#parts.batchSize - this.#file.rows);
        const lines = records
          .slice(start, start + take)
          .map((r, i) => this.#encoder.encode(r, this.#rows + i));
        await this.#file.writeLines(lines);
        this.#rows += take;
        start += take;
        if (
          this.#file.rows >= this.#parts.batchSize ||
          this.#file.bytes >= BIGQUERY_CAPABILITIES.maxLoadFileBytes
        ) {
          await this.#upload();
        }
      }
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
      const { target, driver, sql, table } = this.#parts;
      const times = commitInputTimes(target, cursor, marks);
      await this.#upload();
      if (this.#live.listed) await this.#live.finish();
      // A full refresh that saw nothing still needs a staging table for "not seen in this load".
      if ((target.replace || this.#live.listed) && !this.#stagingCreated) await this.#createStaging();
      const existing = await readMappedColumns(driver, sql, table);
      const mapping = new ColumnMapping(existing);
      const added = mapping.add(this.#staged.map((c) => ({ name: c.field, type: c.type })));
      if (existing.length === 0 || added.length > 0) {
        await driver.run(sql.evolveTable(table, mapping.all(), added, this.loadId), 'evolve');
      }
      const rowsWritten = await readRowsWritten(
        driver,
        sql.commit({
          table,
          staging: this.#stagingCreated ? this.#parts.staging : null,
          staged: this.#staged,
          mapping: mapping.all(),
          replace: target.replace,
          liveIds: this.#live.listed ? this.#live.table : null,
          loadId: this.loadId,
          runId: target.runId,
          source: target.source,
          stream: target.stream,
          startedAt: this.#parts.startedAt.toISOString(),
          rowsStaged: this.#rows,
          cursor: times.cursor,
          deletesCheckedAt: times.deletesCheckedAt,
        }),
      );
      this.#end('committed');
      await this.#dropStaging();
      await this.#live.drop();
      return { loadId: this.loadId, rowsStaged: this.#rows, rowsWritten };
    });
  }

  abort(): Promise<void> {
    return this.#serial(async () => {
      if (this.#state !== 'open') return;
      this.#end('aborted');
      await this.#file?.discard();
      this.#file = null;
      await this.#live.discard();
      await this.#dropStaging();
      await this.#live.drop();
    });
  }

  /** Ends the package without committing (warehouse close): like a crash, the staging table expires. */
  async discard(): Promise<void> {
    if (this.#state !== 'open') return;
    this.#end('aborted');
    await this.#file?.discard();
    await this.#live.discard();
  }

  #stage(columns: readonly MappedColumn[]): void {
    this.#staged.push(...columns);
    this.#encoder.add(columns);
  }

  /** Sends the current file (if any rows) to the staging table as one load job, then deletes it. */
  async #upload(): Promise<void> {
    const file = this.#file;
    if (file === null) return;
    this.#file = null;
    await loadAndRemove(file, async (path) => {
      if (!this.#stagingCreated) await this.#createStaging();
      const { names, driver, staging } = this.#parts;
      await driver.load(names.dataset('tide'), staging, path, this.#loadMetadata(), 'load');
    });
  }

  async #createStaging(): Promise<void> {
    await this.#parts.driver.run(this.#parts.sql.createStaging(this.#parts.staging, this.#staged), 'stage');
    this.#stagingCreated = true;
  }

  /** Best effort: a staging table left behind expires by itself within a day. */
  async #dropStaging(): Promise<void> {
    if (!this.#stagingCreated) return;
    await this.#parts.driver
      .run(this.#parts.sql.dropStaging(this.#parts.staging), 'unstage')
      .catch(() => undefined);
  }

  /**
   * The load job: an explicit schema (never autodetect: a CRM's first page must not decide a
   * column's type), every staged column so columns added since the staging table was created
   * arrive through ALLOW_FIELD_ADDITION, and no tolerance for bad rows.
   */
  #loadMetadata(): JobLoadMetadata {
    const fields = [
      ...STAGING_SYSTEM_COLUMNS.map((c) => ({ name: c.name, type: BIGQUERY_API_TYPES[c.type] })),
      ...this.#staged.map((c) => ({ name: c.column, type: BIGQUERY_API_TYPES[c.type] })),
    ];
    return {
      sourceFormat: BIGQUERY_CAPABILITIES.loadFileFormat,
      schema: { fields },
      writeDisposition: 'WRITE_APPEND',
      createDisposition: 'CREATE_NEVER',
      schemaUpdateOptions: ['ALLOW_FIELD_ADDITION'],
      ignoreUnknownValues: false,
      maxBadRecords: 0,
    };
  }

  #end(state: PackageState): void {
    this.#state = state;
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
