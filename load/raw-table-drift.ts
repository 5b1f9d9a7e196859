import type { LogicalType } from '../core/column-spec.js';
import type { MappedColumn } from './column-mapping.js';

/**
 * Raw tables heal: a raw table changed outside Tide (dropped, a column dropped, a column's type
 * altered) is compared at the start of its stream's load with what Tide recorded (`tide.columns`,
 * the system columns) and put back. This file decides WHAT is wrong and what to do, the same for
 * every warehouse; each warehouse reads its catalog and runs the repair in its own SQL
 * (load/duckdb/duckdb-raw-table.ts, load/bigquery/bigquery-raw-table.ts).
 *
 * Any repair reloads the stream in full: a dropped table or column took data with it, and only the
 * CRM has it again (`_tide_record` would not: it can be dropped too, and the typed values come from
 * the load's coercion). A table Tide never loaded needs no healing: the first load creates it. The
 * repair is recorded in `tide.loads` (status 'healed'), so a run that stops before its reload
 * completes leaves the next run reloading too.
 */
export type ColumnKind = 'system' | LogicalType;

/** What the warehouse's catalog says about the table; null when the table does not exist. */
export interface ActualTable {
  /** Column name → the warehouse's type name for it (already comparable with `typeName`). */
  readonly columns: ReadonlyMap<string, string>;
  /** False when the table lost what Tide needs beyond columns (DuckDB: the primary key). */
  readonly intact: boolean;
}

export interface DriftInput {
  /** `raw.<table>`, for the message. */
  readonly table: string;
  /** Tide's own columns and their warehouse types. */
  readonly system: readonly { readonly column: string; readonly type: string }[];
  /** tide.columns for this table. */
  readonly mapped: readonly MappedColumn[];
  readonly actual: ActualTable | null;
  /** Whether a load of the stream ever completed (else there is nothing to heal). */
  readonly loaded: boolean;
  /** The warehouse's type name of a logical type, as its catalog reports it. */
  typeName(type: LogicalType): string;
}

export interface RawTableRepair {
  /** Drop (if present) and create the table with every recorded column. */
  readonly recreate: boolean;
  /** Columns to add (missing), then columns to drop and add again with their recorded type. */
  readonly add: readonly MappedColumn[];
  readonly retype: readonly MappedColumn[];
  /** One line for the operator: what was found, what is done. */
  readonly message: string;
}

export function planRawTableRepair(input: DriftInput): RawTableRepair | null {
  const { actual, table } = input;
  if (actual === null) {
    if (!input.loaded && input.mapped.length === 0) return null;
    return {
      recreate: true,
      add: [],
      retype: [],
      message: `${table} is missing (dropped outside Tide?): recreated with its ${input.system.length + input.mapped.length} recorded columns; reading the stream again in full`,
    };
  }
  const systemDrift = input.system
    .filter((c) => actual.columns.get(c.column) !== c.type)
    .map((c) => describe(c.column, c.type, actual.columns.get(c.column)));
  if (systemDrift.length > 0 || !actual.intact) {
    const what = [...systemDrift, ...(actual.intact ? [] : ['its primary key is gone'])].join(', ');
    return {
      recreate: true,
      add: [],
      retype: [],
      message: `${table} lost Tide's own structure (${what}): recreated with its ${input.system.length + input.mapped.length} recorded columns; reading the stream again in full`,
    };
  }
  const add = input.mapped.filter((c) => !actual.columns.has(c.column));
  const retype = input.mapped.filter(
    (c) => actual.columns.has(c.column) && actual.columns.get(c.column) !== input.typeName(c.type),
  );
  if (add.length === 0 && retype.length === 0) return null;
  const found = [
    ...add.map((c) => `column ${c.column} is missing`),
    ...retype.map((c) => describe(c.column, input.typeName(c.type), actual.columns.get(c.column))),
  ];
  return {
    recreate: false,
    add,
    retype,
    message: `${table} differs from tide.columns (${found.join(', ')}): put back as recorded; reading the stream again in full`,
  };
}

function describe(column: string, expected: string, actual: string | undefined): string {
  return actual === undefined
    ? `column ${column} is missing`
    : `column ${column} is ${actual}, recorded as ${expected}`;
}

/**
 * The stream's load history as healing needs it: whether a load ever completed, and whether the
 * newest entry is a repair whose full reload has not completed yet (the run that repaired the table
 * stopped or crashed before its reload committed: the next run must still read everything).
 */
export interface LoadHistory {
  readonly loaded: boolean;
  readonly reloadPending: boolean;
}

/** `tide.loads` status of the entry a repair writes (never 'completed': cursors ignore it). */
export const HEALED_STATUS = 'healed';

/** What healing amounts to, for a plan (null: the table matches) and the load history. */
export function healingOutcome(
  table: string,
  plan: RawTableRepair | null,
  history: LoadHistory,
): RawTableHealing {
  if (plan !== null) return { repaired: plan.message, reloadAll: true };
  if (history.reloadPending) {
    return {
      repaired: `${table} was repaired by an earlier run whose full reload did not finish: reading the stream again in full`,
      reloadAll: true,
    };
  }
  return HEALTHY;
}

/** What healing did, for the extract runner. */
export interface RawTableHealing {
  /** The log line; null when the table matched what Tide recorded. */
  readonly repaired: string | null;
  /** The stream must be read again in full (cursor ignored, load as a full refresh). */
  readonly reloadAll: boolean;
}

export const HEALTHY: RawTableHealing = { repaired: null, reloadAll: false };
