import type { ColumnSpec } from '../core/column-spec.js';
import type { CrmField } from '../core/destination.js';
import type { RawCurrentJoin } from './conflict-sql.js';
import type { SyncConfig } from './sync-config.js';

/**
 * A raw table this run's extract completed for the object a sync writes: the CRM's values as of
 * minutes ago, so conflicts can be found without reading the CRM again.
 */
export interface RawTable {
  /** The table as SQL names it (`dialect.relation`). */
  readonly relation: string;
  /** The stream's columns: the names the source emits each field under (`_tide_record` keys). */
  readonly columns: readonly ColumnSpec[];
}

/** Finds, for a sync that writes `crm`'s `object`, the raw table this run loaded it into (null: none). */
export type RawTableLookup = (crm: string, object: string) => Promise<RawTable | null>;

/**
 * The join of a raw table into a sync's plan: each mapped CRM field's key in `_tide_record`. Null
 * (read the CRM back instead) when the source does not emit one of them, since a field missing from
 * the raw record would look like one a person emptied.
 */
export function rawCurrentJoin(
  sync: SyncConfig,
  table: RawTable,
  fields: ReadonlyMap<string, CrmField>,
  matchField: CrmField | null,
): RawCurrentJoin | null {
  const sourceName = (field: CrmField): string | null =>
    table.columns.find((c) => (c.writeName ?? c.name) === field.name)?.name ?? null;
  const names: string[] = [];
  for (const column of Object.keys(sync.fields)) {
    const field = fields.get(column);
    const name = field === undefined ? null : sourceName(field);
    if (name === null) return null;
    names.push(name);
  }
  if (sync.match.by === 'id') return { relation: table.relation, fields: names, matchField: null };
  const match = matchField === null ? null : sourceName(matchField);
  return match === null ? null : { relation: table.relation, fields: names, matchField: match };
}
