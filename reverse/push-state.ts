import type { Warehouse } from '../load/warehouse.js';
import type { ConflictRow } from './conflict-sql.js';
import type { PushedRow, PushLogRow, PushSql, Statement } from './push-sql.js';

export interface PushStateOptions {
  readonly warehouse: Warehouse;
  readonly sql: PushSql;
  readonly sync: string;
  readonly runId: string;
  /**
   * Buffered records before a flush (the dialect's `capabilities.stateFlushRecords`). 1 = every
   * confirmed batch is saved before the next result is processed; where DML is slow and rate-limited
   * it saves less often, and a crash re-sends (idempotently) what was confirmed but not saved.
   */
  readonly flushEvery: number;
  readonly now?: () => Date;
}

/**
 * `tide.pushed` and `tide.push_log` for one sync in one run. Writes are serialized (one warehouse
 * connection, and state rows must land in order), and a state row is only ever added after the CRM
 * confirmed the write it describes.
 */
export class PushState {
  readonly #o: PushStateOptions;
  #pushed: PushedRow[] = [];
  #log: PushLogRow[] = [];
  #conflicts: ConflictRow[] = [];
  /** The flush writing now, and the one that will take the rows added meanwhile. */
  #writing: Promise<void> | null = null;
  #queued: Promise<void> | null = null;
  #version = 0;

  constructor(options: PushStateOptions) {
    this.#o = options;
  }

  /** Creates the system tables when missing. Idempotent. */
  static async prepare(warehouse: Warehouse, sql: PushSql): Promise<void> {
    for (const ddl of sql.createTables()) await warehouse.execute(ddl);
  }

  /**
   * Adds state rows and log lines. Once `flushEvery` rows wait, resolves when they are saved (a
   * failed save rejects); below it, at once.
   */
  add(
    pushed: readonly PushedRow[],
    log: readonly PushLogRow[],
    conflicts: readonly ConflictRow[] = [],
  ): Promise<void> {
    this.#pushed.push(...pushed);
    this.#log.push(...log);
    this.#conflicts.push(...conflicts);
    if (this.#pushed.length + this.#log.length < this.#o.flushEvery) return Promise.resolve();
    return this.flush();
  }

  /**
   * Saves intent lines of a write call about to go out, with whatever else waits; resolves once they
   * are in the warehouse (the call must not start before), rejects when they could not be saved.
   */
  intend(log: readonly PushLogRow[]): Promise<void> {
    this.#log.push(...log);
    return this.flush();
  }

  /**
   * Saves every row added so far. Group commit: while one save runs, rows added meanwhile wait for a
   * single next save, so a slow warehouse write costs one statement per round, not one per batch.
   */
  flush(): Promise<void> {
    if (this.#queued !== null) return this.#queued;
    const previous = this.#writing;
    const next: Promise<void> = (async () => {
      await previous?.catch(() => undefined);
      // This flush is the queued one; rows added from now on wait for the next.
      this.#writing = this.#queued;
      this.#queued = null;
      const pushed = this.#pushed;
      const log = this.#log;
      const conflicts = this.#conflicts;
      this.#pushed = [];
      this.#log = [];
      this.#conflicts = [];
      if (pushed.length > 0 || log.length > 0 || conflicts.length > 0) {
        await this.#write(pushed, log, conflicts);
      }
    })();
    this.#queued = next;
    return next;
  }

  /** Saves what is buffered, then drops the state rows this run superseded. */
  async close(): Promise<void> {
    await this.flush();
    await runStatement(this.#o.warehouse, this.#o.sql.compact(this.#o.sync));
  }

  async #write(
    pushed: readonly PushedRow[],
    log: readonly PushLogRow[],
    conflicts: readonly ConflictRow[],
  ): Promise<void> {
    const { sql, sync, runId, warehouse } = this.#o;
    const at = (this.#o.now ?? (() => new Date()))().toISOString();
    // Strictly increasing across runs (time) and within one (counter), so the newest row wins.
    const version = Math.max(Date.now() * 1000, this.#version + 1);
    this.#version = version;
    const rows = dedupeByKey(pushed);
    if (rows.length > 0) await runStatement(warehouse, sql.insertPushed(sync, runId, version, at, rows));
    if (log.length > 0) await runStatement(warehouse, sql.insertLog(sync, runId, at, log));
    if (conflicts.length > 0) {
      await runStatement(warehouse, sql.conflicts.insert(sync, runId, at, conflicts));
    }
  }
}

/** Two rows for one key in one flush (never expected): the later one is the state. */
function dedupeByKey(rows: readonly PushedRow[]): PushedRow[] {
  const byKey = new Map<string, PushedRow>();
  for (const row of rows) byKey.set(row.recordKey, row);
  return [...byKey.values()];
}

/** Runs one INSERT/DELETE statement to completion. */
export async function runStatement(warehouse: Warehouse, statement: Statement): Promise<void> {
  for await (const _ of warehouse.query(statement.sql, statement.params)) {
    // INSERT/DELETE return no rows worth reading; draining runs the statement.
  }
}
