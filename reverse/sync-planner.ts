import type { CanonicalValue, CrmField, WriteRecord } from '../core/destination.js';
import type { FieldConflict } from './conflict-rules.js';
import { crmValueColumn } from './conflict-sql.js';
import { PLAN_COLUMNS } from './push-sql.js';
import { canonicalJson, recordHash } from './record-hash.js';
import type { SyncConfig } from './sync-config.js';
import { validateValue } from './value-validator.js';

/** What `tide.pushed` said about a record before this run. */
export interface PreviousState {
  readonly hash: string | null;
  readonly valuesJson: string | null;
  readonly failures: number;
  readonly crmId: string | null;
  /** When that state was saved (ISO, Tide's clock); null before any. */
  readonly pushedAt: string | null;
}

/** The record's CRM values as this run's extract loaded them (the raw table joined to the plan). */
export interface CrmSnapshot {
  /** When the raw row was loaded (ISO): newer than `PreviousState.pushedAt` = it shows Tide's write. */
  readonly loadedAt: string;
  /** By CRM field name (`CrmField.name`), as the source emitted them. */
  readonly values: Readonly<Record<string, unknown>>;
}

/** A record whose mapped values differ from the last confirmed write: to be sent. */
export interface PlannedChange {
  readonly kind: 'change';
  readonly record: WriteRecord;
  readonly hash: string;
  readonly valuesJson: string;
  readonly previous: PreviousState;
  /** 1 + rejections since the last confirmed write. */
  readonly attempt: number;
  /** The raw table's view of the record, when the plan joined one and it has the record. */
  readonly crm?: CrmSnapshot | null;
  /** Fields a person changed since Tide's last push that this write overwrites or holds back. */
  readonly conflicts?: readonly FieldConflict[];
}

/**
 * A changed record with nothing left to send once conflicts were resolved: every changed field is
 * held back by its rule (keep-crm, report) or already holds Tide's value in the CRM. Logged, never sent.
 */
export interface PlannedHold {
  readonly kind: 'held';
  readonly key: string;
  readonly hash: string;
  readonly valuesJson: string;
  readonly previous: PreviousState;
  readonly attempt: number;
  readonly conflicts: readonly FieldConflict[];
  readonly reason: string;
}

/** A row that fails validation: logged as rejected, never sent. */
export interface PlannedRejection {
  readonly kind: 'invalid';
  readonly key: string;
  readonly reason: string;
  readonly previous: PreviousState;
  readonly attempt: number;
}

/** A changed row with nothing to write (every mapped value NULL and `nulls: skip`). */
export interface PlannedEmpty {
  readonly kind: 'empty';
  readonly key: string;
  readonly hash: string;
  readonly valuesJson: string;
  readonly previous: PreviousState;
  readonly attempt: number;
}

export type PlanItem = PlannedChange | PlannedRejection | PlannedEmpty | PlannedHold;

export interface PlanStats {
  rows: number;
  unchanged: number;
  /** Changed records never confirmed written before. */
  changedNew: number;
  /** Changed records whose values moved since the last confirmed write. */
  changedUpdated: number;
  invalid: number;
  empty: number;
  /**
   * Rows without a match value (a customer with no record in this CRM): nothing to match, so they
   * are counted, not sent and not logged one by one.
   */
  noKey: number;
  /** Planned records that were rejected in earlier runs too. */
  repeatedlyFailing: number;
}

export interface PlannerInput {
  readonly sync: SyncConfig;
  /** Metadata of each mapped column's CRM field (resolved and checked by the field check). */
  readonly fields: ReadonlyMap<string, CrmField>;
  /** Metadata of the match field, when matching by email or external id. */
  readonly matchField: CrmField | null;
}

/**
 * Turns the sync's rows (joined with `tide.pushed` in the warehouse) into planned changes: validates
 * every mapped value against its CRM field, fingerprints the valid ones, and keeps only those whose
 * fingerprint differs from the last confirmed write. Unchanged records produce nothing, so they cost
 * no API call. Streams: memory does not grow with the table.
 */
export class SyncPlanner {
  readonly stats: PlanStats = {
    rows: 0,
    unchanged: 0,
    changedNew: 0,
    changedUpdated: 0,
    invalid: 0,
    empty: 0,
    noKey: 0,
    repeatedlyFailing: 0,
  };
  readonly #input: PlannerInput;

  constructor(input: PlannerInput) {
    this.#input = input;
  }

  async *plan(
    rows: AsyncIterable<Readonly<Record<string, unknown>>>,
  ): AsyncGenerator<PlannedChange | PlannedRejection | PlannedEmpty> {
    for await (const row of rows) {
      this.stats.rows++;
      const item = this.planRow(row);
      if (item === null) {
        this.stats.unchanged++;
        continue;
      }
      if (item === 'no-key') {
        this.stats.noKey++;
        continue;
      }
      if (item.attempt > 1) this.stats.repeatedlyFailing++;
      if (item.kind === 'invalid') this.stats.invalid++;
      else if (item.kind === 'empty') this.stats.empty++;
      else if (item.previous.hash === null) this.stats.changedNew++;
      else this.stats.changedUpdated++;
      yield item;
    }
  }

  /** One row's plan; null when it is unchanged since the last confirmed write. */
  planRow(
    row: Readonly<Record<string, unknown>>,
  ): PlannedChange | PlannedRejection | PlannedEmpty | 'no-key' | null {
    const { sync, fields, matchField } = this.#input;
    const previous: PreviousState = {
      hash: stringOrNull(row[PLAN_COLUMNS.hash]),
      valuesJson: stringOrNull(row[PLAN_COLUMNS.values]),
      failures: Number(row[PLAN_COLUMNS.failures] ?? 0) || 0,
      crmId: stringOrNull(row[PLAN_COLUMNS.crmId]),
      pushedAt: stringOrNull(row[PLAN_COLUMNS.pushedAt]),
    };
    const attempt = previous.failures + 1;
    const key = stringOrNull(row[PLAN_COLUMNS.key]);
    if (key === null) return 'no-key';
    const rowsWithKey = Number(row[PLAN_COLUMNS.rows] ?? 1);
    if (rowsWithKey > 1) {
      return {
        kind: 'invalid',
        key,
        reason: `${rowsWithKey} rows share ${sync.match.column} = ${JSON.stringify(key)}: the sync's source must return one row per record`,
        previous,
        attempt,
      };
    }
    const reasons: string[] = [];
    if (matchField !== null) {
      const checked = validateValue(matchField, key);
      if (!checked.ok) reasons.push(`match value ${checked.reason}`);
    }
    const values: Record<string, CanonicalValue> = {};
    for (const [column, fieldName] of Object.entries(sync.fields)) {
      const field = fields.get(column);
      if (field === undefined) {
        reasons.push(`${fieldName}: no such CRM field`);
        continue;
      }
      const checked = validateValue(field, row[column]);
      if (!checked.ok) reasons.push(checked.reason);
      else if (checked.value !== null || sync.nulls === 'clear') values[field.name] = checked.value;
    }
    if (reasons.length > 0) return { kind: 'invalid', key, reason: reasons.join('; '), previous, attempt };
    const hash = recordHash(values);
    if (hash === previous.hash) return null;
    const valuesJson = canonicalJson(values);
    if (Object.keys(values).length === 0) return { kind: 'empty', key, hash, valuesJson, previous, attempt };
    return {
      kind: 'change',
      record: { key, matchValue: key, values },
      hash,
      valuesJson,
      previous,
      attempt,
      crm: this.#snapshot(row),
    };
  }

  /** The raw table's values of the mapped fields, when the plan query joined it and it has the row. */
  #snapshot(row: Readonly<Record<string, unknown>>): CrmSnapshot | null {
    const loadedAt = stringOrNull(row[PLAN_COLUMNS.crmLoadedAt]);
    if (loadedAt === null) return null;
    const values: Record<string, unknown> = {};
    Object.keys(this.#input.sync.fields).forEach((column, i) => {
      const field = this.#input.fields.get(column);
      if (field !== undefined) values[field.name] = row[crmValueColumn(i)] ?? null;
    });
    return { loadedAt, values };
  }
}

function stringOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return String(value);
}

/** Field-level differences between the last confirmed write and a planned change. */
export function diffValues(
  previousJson: string | null,
  values: Readonly<Record<string, CanonicalValue>>,
): { field: string; before: unknown; after: CanonicalValue }[] {
  let before: Record<string, unknown> = {};
  if (previousJson !== null) {
    try {
      before = JSON.parse(previousJson) as Record<string, unknown>;
    } catch {
      before = {};
    }
  }
  const out: { field: string; before: unknown; after: CanonicalValue }[] = [];
  for (const [field, after] of Object.entries(values)) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after))
      out.push({ field, before: before[field], after });
  }
  return out;
}
