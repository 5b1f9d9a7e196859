import type { ColumnSpec } from '../../core/column-spec.js';
import { customColumnType, type Spec, STANDARD_COLUMNS } from './pipedrive-field-catalog.js';
import type { PipedriveField } from './pipedrive-schemas.js';

/** How one custom field's value becomes a column value. */
export interface CustomColumn {
  readonly column: string;
  /** Option id → label for enum and set fields: values arrive as ids, columns hold labels. */
  readonly labels: ReadonlyMap<string, string> | null;
}

export interface CustomFieldMap {
  readonly columns: readonly ColumnSpec[];
  /** By the field's 40-character hash key. */
  readonly byKey: ReadonlyMap<string, CustomColumn>;
}

const HASH_KEY = /^[0-9a-f]{40}$/;

/**
 * Custom fields (40-character hash keys in the *Fields list) become columns named by their readable
 * `name`. The hash stays in the column's meta (`pipedriveKey`), so reverse ETL writes back by hash.
 * A name that collides with a standard column or an earlier custom field gets the hash's first
 * 8 characters appended, which keeps each column tied to one field.
 */
export function customFieldMap(fields: readonly PipedriveField[], standard: readonly Spec[]): CustomFieldMap {
  const taken = new Set(standard.map(([name]) => name.toLowerCase()));
  const columns: ColumnSpec[] = [];
  const byKey = new Map<string, CustomColumn>();
  for (const field of fields) {
    if (!HASH_KEY.test(field.key) || byKey.has(field.key)) continue;
    let column = field.name.trim() === '' ? field.key : field.name.trim();
    if (taken.has(column.toLowerCase())) column = `${column} ${field.key.slice(0, 8)}`;
    taken.add(column.toLowerCase());
    const options = field.options ?? [];
    const labels =
      field.field_type === 'enum' || field.field_type === 'set'
        ? new Map(options.map((o) => [String(o.id), o.label]))
        : null;
    byKey.set(field.key, { column, labels });
    columns.push({
      name: column,
      type: customColumnType(field.field_type),
      writeName: field.key,
      meta: {
        pipedriveKey: field.key,
        pipedriveType: field.field_type,
        ...(options.length > 0 ? { options: options.map((o) => `${o.id}=${o.label}`).join(';') } : {}),
      },
    });
  }
  return { columns, byKey };
}

export function standardColumns(stream: string): ColumnSpec[] {
  return (STANDARD_COLUMNS[stream] ?? []).map(([name, type]) => ({ name, type }));
}
