import type { Dialect } from '../load/dialect/dialect.js';
import type { Statement } from './statement.js';

/** The plan query's column holding the raw table's value of the sync's i-th mapped CRM field. */
export function crmValueColumn(i: number): string {
  return `__tide_crm_${i}`;
}

/**
 * The raw table an extract of this run just loaded the sync's object into, joined to the plan so
 * conflicts are found without reading the CRM (reverse/conflict-resolver.ts).
 */
export interface RawCurrentJoin {
  /** The raw table as SQL names it. */
  readonly relation: string;
  /** Per mapped CRM field, in the order of the sync's `fields`: its key in `_tide_record`. */
  readonly fields: readonly string[];
  /** Matching by email / external id: the match field's key in `_tide_record` (by id: null). */
  readonly matchField: string | null;
}

/** One row of `tide.push_conflicts`: a field a person changed in the CRM since Tide last pushed it. */
export interface ConflictRow {
  readonly recordKey: string;
  readonly crmId: string | null;
  /** The CRM field, as the sync's `fields` names it. */
  readonly field: string;
  /** JSON texts: what the CRM holds, what Tide last pushed, what Tide would push now. */
  readonly crmValue: string;
  readonly pushedValue: string;
  readonly newValue: string;
  readonly rule: string;
  readonly outcome: ConflictOutcome;
  /** Where the CRM value came from: `raw` (this run's extract) or `read` (read back from the CRM). */
  readonly seenIn: 'raw' | 'read';
}

/**
 * overwritten: Tide's value replaced the edit (confirmed by the CRM) · not-written: an overwrite the
 * CRM refused, so the edit stands · kept: keep-crm held Tide's value back · reported: report did.
 */
export type ConflictOutcome = 'overwritten' | 'not-written' | 'kept' | 'reported';

/**
 * The statements of conflict detection, written once for every warehouse through its dialect:
 * `tide.push_conflicts` (append-only, pruned with `tide.push_log`) and the join of a raw table into
 * the plan query.
 */
export class ConflictSql {
  readonly #d: Dialect;
  readonly #table: string;

  constructor(dialect: Dialect, table: string) {
    this.#d = dialect;
    this.#table = table;
  }

  createTables(): readonly string[] {
    const string = this.#d.type('string');
    return [
      `CREATE TABLE IF NOT EXISTS ${this.#table} (
  run_id ${string} NOT NULL,
  sync ${string} NOT NULL,
  record_key ${string} NOT NULL,
  crm_id ${string},
  field ${string} NOT NULL,
  crm_value ${string},
  pushed_value ${string},
  new_value ${string},
  rule ${string} NOT NULL,
  outcome ${string} NOT NULL,
  seen_in ${string} NOT NULL,
  logged_at ${this.#d.type('utc_timestamp')} NOT NULL
)`,
    ];
  }

  /**
   * The raw table's live records keyed like the plan (CRM id, or the normalized match field), each
   * mapped field's value as the source emitted it. A match value two CRM records share is left out:
   * which of them a write would reach is the CRM's to say, so those records are read back instead.
   */
  rawCurrent(raw: RawCurrentJoin, byEmail: boolean): string {
    const d = this.#d;
    const text = (field: string): string => `TRIM(${d.jsonText('x._tide_record', [field])})`;
    // Emails compare case-insensitively, as the plan's keys do; other match fields as they are.
    const key =
      raw.matchField === null
        ? 'x._tide_id'
        : `NULLIF(${byEmail ? `LOWER(${text(raw.matchField)})` : text(raw.matchField)}, '')`;
    const values = raw.fields.map(
      (f, i) => `,\n    ${d.jsonQuery('x._tide_record', [f])} AS ${crmValueColumn(i)}`,
    );
    const unique = raw.matchField === null ? '' : `\n  QUALIFY COUNT(*) OVER (PARTITION BY ${key}) = 1`;
    return `(
  SELECT ${key} AS record_key, x._tide_loaded_at AS loaded_at${values.join('')}
  FROM ${raw.relation} AS x
  WHERE NOT x._tide_deleted${unique}
)`;
  }

  insert(sync: string, runId: string, at: string, rows: readonly ConflictRow[]): Statement {
    const json = rows.map((r) => ({
      k: r.recordKey,
      c: r.crmId,
      f: r.field,
      v: r.crmValue,
      p: r.pushedValue,
      n: r.newValue,
      r: r.rule,
      o: r.outcome,
      s: r.seenIn,
    }));
    const rowsOf = this.#d.jsonRows({
      k: 'string',
      c: 'string',
      f: 'string',
      v: 'string',
      p: 'string',
      n: 'string',
      r: 'string',
      o: 'string',
      s: 'string',
    });
    return {
      sql: `INSERT INTO ${this.#table} (run_id, sync, record_key, crm_id, field, crm_value, pushed_value, new_value, rule, outcome, seen_in, logged_at)
SELECT ?, ?, ${rowsOf.columns.join(', ')}, CAST(? AS ${this.#d.type('utc_timestamp')})
FROM ${rowsOf.from}`,
      params: [runId, sync, at, JSON.stringify(json)],
    };
  }

  /** Conflict rows age out with `tide.push_log` (same retention, same cutoff). */
  prune(cutoff: string): Statement {
    return {
      sql: `DELETE FROM ${this.#table} WHERE logged_at < CAST(? AS ${this.#d.type('utc_timestamp')})`,
      params: [cutoff],
    };
  }
}
