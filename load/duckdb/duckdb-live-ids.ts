import { type DuckDBAppender, type DuckDBConnection, DuckDBDataChunk, VARCHAR } from '@duckdb/node-api';

/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

/**
 * The ids a load package was told still exist in the source (LoadPackage.appendLiveIds): a TEMP
 * table on the package's own connection, created on the first call, so it dies with the package like
 * the staging table. Ids go in through the Appender chunk by chunk: a listing of millions of ids is
 * never held in JS memory beyond one call's array.
 */
export class DuckdbLiveIds {
  static readonly qualifiedName = 'temp.main.tide_live_ids';
  readonly #connection: DuckDBConnection;
  #appender: DuckDBAppender | null = null;
  #listed = false;

  constructor(connection: DuckDBConnection) {
    this.#connection = connection;
  }

  /** Whether the package was given a listing (possibly empty): its commit then marks the unlisted deleted. */
  get listed(): boolean {
    return this.#listed;
  }

  async append(ids: readonly string[]): Promise<void> {
    if (!this.#listed) {
      await this.#connection.run('CREATE TEMP TABLE tide_live_ids (_tide_id VARCHAR)');
      this.#listed = true;
    }
    for (let start = 0; start < ids.length; start += CHUNK_ROWS) {
      const slice = ids.slice(start, start + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create([VARCHAR], slice.length);
      chunk.setColumns([slice.map(String)]);
      this.#appender ??= await this.#connection.createAppender('tide_live_ids', 'main', 'temp');
      this.#appender.appendDataChunk(chunk);
    }
  }

  /** Writes what the appender holds into the table; required before the commit reads it. */
  flush(): void {
    if (this.#appender === null) return;
    this.#appender.closeSync();
    this.#appender = null;
  }
}
