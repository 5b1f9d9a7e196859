import type { Dialect } from '../load/dialect/dialect.js';
import { ConflictSql, crmValueColumn, type RawCurrentJoin } from './conflict-sql.js';
import type { Statement } from './statement.js';
import type { SyncConfig } from './sync-config.js';

export type { Statement };

/** Resolves a Tide schema + table to the name SQL uses (BigQuery qualifies it with project and prefix). */
export type TableNamer = (schema: 'tide', table: string) => string;

/** One row of `tide.pushed`: the newest row per (sync, record_key) is the record's state. */
export interface PushedRow {
  readonly recordKey: string;
  readonly crmId: string | null;
  /** Fingerprint of the last confirmed write; null while no write was ever confirmed. */
  readonly hash: string | null;
  /** The values of that write, for field-level diffs. */
  readonly valuesJson: string | null;
  /** Rejections since the last confirmed write (the next attempt is failures + 1). */
  readonly failures: number;
  readonly lastReason: string | null;
}

/**
 * A `tide.push_log` line's status. Every CRM write call is logged twice: `sending` for each record
 * before the call goes out (the intent, committed first), then that record's answer: `written`,
 * `rejected`, or `not-executed` (refused with its group, or the sync stopped; retried alone or next
 * run). A run killed between the two leaves the intent open; the next run closes it as `written`
 * (tide.pushed already holds the write) or `unconfirmed` (unknown: sent again if still changed).
 * `skipped` and pre-send `rejected` lines (invalid values) belong to no call.
 */
export type PushStatus = 'sending' | 'written' | 'rejected' | 'not-executed' | 'unconfirmed' | 'skipped';

/** One row of `tide.push_log`. */
export interface PushLogRow {
  readonly recordKey: string | null;
  readonly crmId: string | null;
  readonly status: PushStatus;
  readonly reason: string | null;
  readonly attempt: number;
  /** The CRM write call the line belongs to; absent for lines of no call. */
  readonly callId?: string | null;
  /** Fingerprint of the values the call sends (intents and their answers). */
  readonly valueHash?: string | null;
}

/** An intent (`sending`) line with no answer line: what a run killed mid-call left behind. */
export interface OpenIntent {
  readonly runId: string;
  readonly callId: string;
  readonly recordKey: string;
  readonly crmId: string | null;
  readonly valueHash: string | null;
  readonly attempt: number;
  /** The record's newest tide.pushed fingerprint: equal to `valueHash` when the write was saved. */
  readonly pushedHash: string | null;
}

/** Columns the plan query adds next to the sync's own columns. */
export const PLAN_COLUMNS = {
  key: '__tide_key',
  rows: '__tide_rows',
  hash: '__tide_hash',
  values: '__tide_values',
  failures: '__tide_failures',
  crmId: '__tide_crm_id',
  /** When the record's state row was saved (Tide's clock). */
  pushedAt: '__tide_pushed_at',
  /** With a raw table to compare with: when its row of the record was loaded (null: no row). */
  crmLoadedAt: '__tide_crm_loaded_at',
} as const;

/**
 * Every statement reverse ETL sends to the warehouse, in one place, written once for every warehouse
 * through its dialect (quoting, literals, types, JSON rows). The system tables are append-then-compact
 * (insert the new state row; older rows are deleted once per sync): no transaction is needed, and
 * older rows left behind by a crash are ignored by newest-row reads.
 */
export class PushSql {
  readonly #d: Dialect;
  readonly #pushed: string;
  readonly #log: string;
  /** The statements of conflict detection: `tide.push_conflicts` and the raw-table join. */
  readonly conflicts: ConflictSql;

  constructor(dialect: Dialect, table: TableNamer = (schema, name) => `${schema}.${name}`) {
    this.#d = dialect;
    this.#pushed = table('tide', 'pushed');
    this.#log = table('tide', 'push_log');
    this.conflicts = new ConflictSql(dialect, table('tide', 'push_conflicts'));
  }

  createTables(): readonly string[] {
    const string = this.#d.type('string');
    const int = this.#d.type('int32');
    const timestamp = this.#d.type('utc_timestamp');
    return [
      `CREATE TABLE IF NOT EXISTS ${this.#pushed} (
  sync ${string} NOT NULL,
  record_key ${string} NOT NULL,
  crm_id ${string},
  value_hash ${string},
  values_json ${string},
  failures ${int} NOT NULL,
  last_reason ${string},
  run_id ${string} NOT NULL,
  version ${this.#d.type('integer')} NOT NULL,
  updated_at ${timestamp} NOT NULL
)`,
      `CREATE TABLE IF NOT EXISTS ${this.#log} (
  run_id ${string} NOT NULL,
  sync ${string} NOT NULL,
  record_key ${string},
  crm_id ${string},
  status ${string} NOT NULL,
  reason ${string},
  attempt ${int} NOT NULL,
  logged_at ${timestamp} NOT NULL,
  call_id ${string},
  value_hash ${string}
)`,
      // Logs created before write intents existed get their columns (the lines they hold have none).
      `ALTER TABLE ${this.#log} ADD COLUMN IF NOT EXISTS call_id ${string}`,
      `ALTER TABLE ${this.#log} ADD COLUMN IF NOT EXISTS value_hash ${string}`,
      ...this.conflicts.createTables(),
    ];
  }

  /**
   * The sync's intents without an answer line, each with the record's newest tide.pushed fingerprint
   * (a crash between saving tide.pushed and the answer line leaves the two equal).
   */
  openIntents(sync: string): Statement {
    return {
      sql: `SELECT i.run_id, i.call_id, i.record_key, i.crm_id, i.value_hash, i.attempt, p.value_hash AS pushed_hash
FROM ${this.#log} AS i
LEFT JOIN ${this.#newestState(sync)} AS p ON p.record_key = i.record_key
WHERE i.sync = ? AND i.status = 'sending' AND NOT EXISTS (
  SELECT 1 FROM ${this.#log} AS o
  WHERE o.sync = i.sync AND o.call_id = i.call_id AND o.record_key = i.record_key AND o.status <> 'sending'
)
ORDER BY i.logged_at, i.call_id, i.record_key`,
      params: [sync],
    };
  }

  /** The warehouse-side normalization of a match value, so SQL and `tide.pushed` agree on keys. */
  keyExpression(sync: SyncConfig, alias: string): string {
    const col = `${alias}.${this.#d.quoteIdent(sync.match.column)}`;
    const text = `TRIM(CAST(${col} AS ${this.#d.type('string')}))`;
    return `NULLIF(${sync.match.by === 'email' ? `LOWER(${text})` : text}, '')`;
  }

  /**
   * The sync's rows (match column + mapped columns only) with each record's last pushed state and the
   * number of rows sharing its key. Streams; the join happens in the warehouse.
   */
  planQuery(sync: SyncConfig, withState = true, raw: RawCurrentJoin | null = null): string {
    const q = (name: string): string => this.#d.quoteIdent(name);
    const from = sync.from.kind === 'model' ? sync.from.model : `(\n${sync.from.sql}\n)`;
    const columns = [...new Set([sync.match.column, ...Object.keys(sync.fields)])];
    const key = this.keyExpression(sync, 's');
    const c = PLAN_COLUMNS;
    // Without state there is nothing Tide pushed before, so nothing to compare the CRM with.
    const crm = withState && raw !== null ? raw : null;
    const crmColumns =
      crm === null
        ? ''
        : `,\n  r.loaded_at AS ${c.crmLoadedAt}${crm.fields.map((_, i) => `,\n  r.${crmValueColumn(i)} AS ${crmValueColumn(i)}`).join('')}`;
    const crmJoin =
      crm === null
        ? ''
        : `\nLEFT JOIN ${this.conflicts.rawCurrent(crm, sync.match.by === 'email')} AS r ON r.record_key = ${key}`;
    return `SELECT ${columns.map((col) => `s.${q(col)} AS ${q(col)}`).join(', ')},
  ${key} AS ${c.key},
  COUNT(*) OVER (PARTITION BY ${key}) AS ${c.rows},
  p.value_hash AS ${c.hash},
  p.values_json AS ${c.values},
  p.failures AS ${c.failures},
  p.crm_id AS ${c.crmId},
  p.updated_at AS ${c.pushedAt}${crmColumns}
FROM ${from} AS s
LEFT JOIN ${withState ? this.#newestState(sync.name) : this.#noState()} AS p ON p.record_key = ${key}${crmJoin}`;
  }

  #newestState(sync: string): string {
    return `(
  SELECT record_key, value_hash, values_json, failures, crm_id, updated_at
  FROM ${this.#pushed}
  WHERE sync = ${this.#d.string(sync)}
  QUALIFY ROW_NUMBER() OVER (PARTITION BY record_key ORDER BY version DESC) = 1
)`;
  }

  /** Before the first push `tide.pushed` may not exist, and a dry run must not create it. */
  #noState(): string {
    const s = this.#d.type('string');
    const cols = `CAST(NULL AS ${s}) AS record_key, CAST(NULL AS ${s}) AS value_hash, CAST(NULL AS ${s}) AS values_json, CAST(NULL AS ${this.#d.type('int32')}) AS failures, CAST(NULL AS ${s}) AS crm_id, CAST(NULL AS ${this.#d.type('utc_timestamp')}) AS updated_at`;
    return `(SELECT ${cols} LIMIT 0)`;
  }

  /** A query that fails when the state table does not exist yet. */
  stateProbe(): string {
    return `SELECT record_key FROM ${this.#pushed} LIMIT 0`;
  }

  /** Selects the mapped columns with no rows: fails (naming the column) when one does not exist. */
  probeColumns(sync: SyncConfig, columns: readonly string[]): string {
    const q = (name: string): string => this.#d.quoteIdent(name);
    const from = sync.from.kind === 'model' ? sync.from.model : `(\n${sync.from.sql}\n)`;
    const list = columns.length === 0 ? '*' : columns.map((col) => `s.${q(col)}`).join(', ');
    return `SELECT ${list} FROM ${from} AS s LIMIT 0`;
  }

  /** Newest state per record of one sync (tests, `tide status`-style reads). */
  pushedState(sync: string): string {
    return `SELECT record_key, crm_id, value_hash, values_json, failures, last_reason
FROM ${this.#pushed}
WHERE sync = ${this.#d.string(sync)}
QUALIFY ROW_NUMBER() OVER (PARTITION BY record_key ORDER BY version DESC) = 1`;
  }

  insertPushed(
    sync: string,
    runId: string,
    version: number,
    at: string,
    rows: readonly PushedRow[],
  ): Statement {
    const json = rows.map((r) => ({
      k: r.recordKey,
      c: r.crmId,
      h: r.hash,
      v: r.valuesJson,
      f: r.failures,
      r: r.lastReason,
    }));
    const rowsOf = this.#d.jsonRows({
      k: 'string',
      c: 'string',
      h: 'string',
      v: 'string',
      f: 'int32',
      r: 'string',
    });
    return {
      sql: `INSERT INTO ${this.#pushed} (sync, record_key, crm_id, value_hash, values_json, failures, last_reason, run_id, version, updated_at)
SELECT ?, ${rowsOf.columns.join(', ')}, ?, ?, CAST(? AS ${this.#d.type('utc_timestamp')})
FROM ${rowsOf.from}`,
      params: [sync, runId, version, at, JSON.stringify(json)],
    };
  }

  /**
   * Drops state rows a newer row of the same record superseded. Run once at the end of a sync (not per
   * batch: a per-batch delete would scan the table for every batch); until then, and after a crash
   * before it, the newest-row reads ignore the older rows.
   */
  compact(sync: string): Statement {
    return {
      sql: `DELETE FROM ${this.#pushed} AS p
WHERE p.sync = ? AND EXISTS (
  SELECT 1 FROM ${this.#pushed} AS q
  WHERE q.sync = p.sync AND q.record_key = p.record_key AND q.version > p.version
)`,
      params: [sync],
    };
  }

  insertLog(sync: string, runId: string, at: string, rows: readonly PushLogRow[]): Statement {
    const json = rows.map((r) => ({
      k: r.recordKey,
      c: r.crmId,
      s: r.status,
      r: r.reason,
      a: r.attempt,
      i: r.callId ?? null,
      h: r.valueHash ?? null,
    }));
    const rowsOf = this.#d.jsonRows({
      k: 'string',
      c: 'string',
      s: 'string',
      r: 'string',
      a: 'int32',
      i: 'string',
      h: 'string',
    });
    const [k, c, st, r, a, i, h] = rowsOf.columns;
    return {
      sql: `INSERT INTO ${this.#log} (run_id, sync, record_key, crm_id, status, reason, attempt, logged_at, call_id, value_hash)
SELECT ?, ?, ${[k, c, st, r, a].join(', ')}, CAST(? AS ${this.#d.type('utc_timestamp')}), ${i}, ${h}
FROM ${rowsOf.from}`,
      params: [runId, sync, at, JSON.stringify(json)],
    };
  }

  /**
   * Drops `tide.push_log` lines logged before `cutoff` (an ISO timestamp), across every sync: lines of
   * syncs since removed from the config age out too. BigQuery requires the WHERE a DELETE has here.
   */
  pruneLog(cutoff: string): Statement {
    return {
      sql: `DELETE FROM ${this.#log} WHERE logged_at < CAST(? AS ${this.#d.type('utc_timestamp')})`,
      params: [cutoff],
    };
  }
}
