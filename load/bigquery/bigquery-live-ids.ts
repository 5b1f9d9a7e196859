import { join } from 'node:path';
import type { JobLoadMetadata } from '@google-cloud/bigquery';
import { BIGQUERY_CAPABILITIES } from './bigquery-capabilities.js';
import type { BigqueryDriver } from './bigquery-driver.js';
import type { BigqueryNames } from './bigquery-names.js';
import type { BigquerySql } from './bigquery-sql.js';
import { loadAndRemove, NdjsonLoadFile } from './ndjson-load-file.js';

export interface BigqueryLiveIdsParts {
  /** This package's live-id table in `tide` (expires like the staging table). */
  readonly table: string;
  readonly loadId: string;
  readonly driver: BigqueryDriver;
  readonly sql: BigquerySql;
  readonly names: BigqueryNames;
  readonly batchSize: number;
  readonly tmpDir: string;
}

/**
 * The ids a load package was told still exist in the source (LoadPackage.appendLiveIds), staged the
 * way records are: gzip NDJSON files of `batchSize` ids, each uploaded as one load job into a table of
 * their own, so memory stays flat for any number of ids. The table exists once a listing was given,
 * even an empty one, so the commit can always name it.
 */
export class BigqueryLiveIds {
  readonly #parts: BigqueryLiveIdsParts;
  #file: NdjsonLoadFile | null = null;
  #files = 0;
  #created = false;
  #listed = false;

  constructor(parts: BigqueryLiveIdsParts) {
    this.#parts = parts;
  }

  get listed(): boolean {
    return this.#listed;
  }

  get table(): string {
    return this.#parts.table;
  }

  async append(ids: readonly string[]): Promise<void> {
    this.#listed = true;
    for (let start = 0; start < ids.length; ) {
      this.#file ??= NdjsonLoadFile.create(
        join(this.#parts.tmpDir, `tide-bq-${this.#parts.loadId}-live-${++this.#files}.ndjson.gz`),
      );
      const take = Math.min(ids.length - start, this.#parts.batchSize - this.#file.rows);
      await this.#file.writeLines(
        ids.slice(start, start + take).map((id) => JSON.stringify({ _tide_id: id })),
      );
      start += take;
      if (this.#file.rows >= this.#parts.batchSize) await this.#upload();
    }
  }

  /** Uploads what is left and makes sure the table exists; call before the commit when `listed`. */
  async finish(): Promise<void> {
    await this.#upload();
    if (!this.#created) await this.#create();
  }

  async discard(): Promise<void> {
    await this.#file?.discard();
    this.#file = null;
  }

  /** Best effort: a table left behind expires by itself within a day. */
  async drop(): Promise<void> {
    if (!this.#created) return;
    await this.#parts.driver
      .run(this.#parts.sql.dropStaging(this.#parts.table), 'unstage')
      .catch(() => undefined);
  }

  async #upload(): Promise<void> {
    const file = this.#file;
    if (file === null) return;
    this.#file = null;
    await loadAndRemove(file, async (path) => {
      if (!this.#created) await this.#create();
      const { names, driver, table } = this.#parts;
      await driver.load(names.dataset('tide'), table, path, LOAD_METADATA, 'load');
    });
  }

  async #create(): Promise<void> {
    await this.#parts.driver.run(this.#parts.sql.createLiveIds(this.#parts.table), 'stage');
    this.#created = true;
  }
}

const LOAD_METADATA: JobLoadMetadata = {
  sourceFormat: BIGQUERY_CAPABILITIES.loadFileFormat,
  schema: { fields: [{ name: '_tide_id', type: 'STRING' }] },
  writeDisposition: 'WRITE_APPEND',
  createDisposition: 'CREATE_NEVER',
  ignoreUnknownValues: false,
  maxBadRecords: 0,
};
