import type { DuckDBConnection } from '@duckdb/node-api';
import { duckdbDialect } from './duckdb-dialect.js';

/**
 * DuckDB's memory limit is instance-wide and can be changed at any time. Loading needs little of it:
 * a staging table and the per-package upsert spill to the temp directory when the limit is low, at no
 * measured cost (bench/hubspot-extract.bench.ts, 1M contacts: same records/s at 256MB as at 1GB, peak
 * RSS ~1,040 → ~700 MiB). Model builds are the opposite: their joins and aggregates over the raw
 * tables slow down when they spill (bench/models-duckdb.bench.ts: 12.8 s at 1GB, 15.3 s at 256MB).
 * So the warehouse holds the load limit while a load package is open and the query limit otherwise.
 */
export class DuckdbMemoryLimit {
  readonly #query: string;
  readonly #load: string;
  /** The limit last set; the instance starts with the query limit. */
  #current: string;

  constructor(limits: { readonly query: string; readonly load: string }) {
    this.#query = limits.query;
    this.#load = limits.load;
    this.#current = limits.query;
  }

  /** The query limit, as configured (for messages). */
  get queryLimit(): string {
    return this.#query;
  }

  /** Whether the load limit is below the query limit, so lifting it gives a commit more room. */
  get canLift(): boolean {
    return this.#load !== this.#query;
  }

  /**
   * Gives a commit the query limit while a package is open. The next apply() sets the load limit
   * again. A commit holds the rows it inserts in memory until it commits (DuckDB spills neither the
   * rows being inserted nor the index entries), beside the staged rows it reads: a package of wide
   * records can need more than the load limit.
   */
  async lift(connection: DuckDBConnection): Promise<void> {
    this.#current = this.#query;
    await connection.run(setStatement(this.#query));
  }

  /** The statement that sets the query limit, for the instance's first settings. */
  get initialStatement(): string {
    return setStatement(this.#query);
  }

  /**
   * Sets the limit for what the connection is about to do. Lowering the limit fails when DuckDB
   * cannot evict enough (memory pinned by a running query); the limit then stays as it was, which
   * only costs memory, so the failure is not the caller's.
   */
  async apply(connection: DuckDBConnection, loading: boolean): Promise<void> {
    const wanted = loading ? this.#load : this.#query;
    if (wanted === this.#current) return;
    const previous = this.#current;
    this.#current = wanted;
    try {
      await connection.run(setStatement(wanted));
    } catch {
      this.#current = previous;
    }
  }
}

function setStatement(limit: string): string {
  return `SET GLOBAL memory_limit = ${duckdbDialect.string(limit)}`;
}
