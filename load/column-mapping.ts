import { createHash } from 'node:crypto';
import type { ColumnSpec, LogicalType } from '../core/column-spec.js';
import { normalizeName, normalizeNames } from './normalize-name.js';

/** One CRM field and the raw-table column that holds it. */
export interface MappedColumn {
  /** The CRM's own field name. */
  readonly field: string;
  readonly column: string;
  readonly type: LogicalType;
}

/** Tide's own columns of every raw table, in table order; no CRM field may take these names. */
export const SYSTEM_COLUMNS = [
  '_tide_id',
  '_tide_updated_at',
  '_tide_deleted',
  '_tide_record',
  '_tide_loaded_at',
  '_tide_load_id',
] as const;

/**
 * Field → column assignments of one raw table. Assignments are stable: once a field has a column,
 * it keeps that column and type in every later load, even when a newly seen field would normalize to
 * the same name (`Email` first, then `email`): the newcomer gets the hashed suffix. Recomputing
 * normalizeNames() over each load's field set would instead move data between columns. Warehouses
 * persist the assignments (DuckDB and BigQuery: `tide.columns`).
 */
export class ColumnMapping {
  readonly #byField = new Map<string, MappedColumn>();
  readonly #taken = new Set<string>(SYSTEM_COLUMNS);

  constructor(existing: readonly MappedColumn[] = []) {
    for (const column of existing) this.#remember(column);
  }

  get(field: string): MappedColumn | undefined {
    return this.#byField.get(field);
  }

  /** Every mapped column, in the order the fields were first seen. */
  all(): readonly MappedColumn[] {
    return [...this.#byField.values()];
  }

  /**
   * Gives a column to each field that has none yet and returns those new assignments. A field that is
   * already mapped keeps its column and its type, even when the spec now declares another type:
   * changing a column's type would need a rewrite of the table, and the original value is in
   * `_tide_record` for anyone who needs it typed differently.
   */
  add(specs: readonly ColumnSpec[]): readonly MappedColumn[] {
    const fresh: ColumnSpec[] = [];
    const seen = new Set<string>();
    for (const spec of specs) {
      if (this.#byField.has(spec.name) || seen.has(spec.name)) continue;
      seen.add(spec.name);
      fresh.push(spec);
    }
    if (fresh.length === 0) return [];
    const proposed = normalizeNames(fresh.map((s) => s.name));
    const added: MappedColumn[] = [];
    for (const spec of fresh) {
      const column = this.#free(proposed.get(spec.name) ?? normalizeName(spec.name), spec.name);
      const mapped: MappedColumn = { field: spec.name, column, type: spec.type };
      this.#remember(mapped);
      added.push(mapped);
    }
    return added;
  }

  #remember(column: MappedColumn): void {
    this.#byField.set(column.field, column);
    this.#taken.add(column.column);
  }

  /** The proposed name, or the same hashed form normalizeNames() uses when it is taken already. */
  #free(proposed: string, field: string): string {
    if (!this.#taken.has(proposed)) return proposed;
    const base = `${normalizeName(field).slice(0, 54)}_${shortHash(field)}`;
    let candidate = base;
    for (let n = 2; this.#taken.has(candidate); n++) candidate = `${base.slice(0, 60)}_${n}`;
    return candidate;
  }
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
