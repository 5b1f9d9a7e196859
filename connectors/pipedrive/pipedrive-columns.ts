import type { ColumnSpec, LogicalType } from '../../core/column-spec.js';
import type { PipedriveField } from './pipedrive-schemas.js';

type Spec = readonly [string, LogicalType];

const COMMON_TAIL: readonly Spec[] = [
  ['add_time', 'timestamp'],
  ['update_time', 'timestamp'],
  ['is_deleted', 'boolean'],
];

/**
 * The standard fields of each stream (Pipedrive's v2 / v1 response shapes), as Tide types them.
 * References to other records (owner_id, org_id, …) are strings, like every `_tide_id` they join to.
 */
export const STANDARD_COLUMNS: Readonly<Record<string, readonly Spec[]>> = {
  persons: [
    ['name', 'string'],
    ['first_name', 'string'],
    ['last_name', 'string'],
    ['owner_id', 'string'],
    ['org_id', 'string'],
    ['emails', 'json'],
    ['phones', 'json'],
    ['primary_email', 'string'],
    ['primary_phone', 'string'],
    ['job_title', 'string'],
    ['visible_to', 'integer'],
    ['label_ids', 'json'],
    ['postal_address', 'json'],
    ['birthday', 'date'],
    ['notes', 'string'],
    ['im', 'json'],
    ...COMMON_TAIL,
  ],
  organizations: [
    ['name', 'string'],
    ['owner_id', 'string'],
    ['website', 'string'],
    ['linkedin', 'string'],
    ['address', 'json'],
    ['address_value', 'string'],
    ['address_locality', 'string'],
    ['address_country', 'string'],
    ['address_admin_area_level_1', 'string'],
    ['address_postal_code', 'string'],
    ['industry', 'string'],
    ['annual_revenue', 'number'],
    ['employee_count', 'integer'],
    ['visible_to', 'integer'],
    ['label_ids', 'json'],
    ...COMMON_TAIL,
  ],
  deals: [
    ['title', 'string'],
    ['owner_id', 'string'],
    ['person_id', 'string'],
    ['org_id', 'string'],
    ['pipeline_id', 'string'],
    ['stage_id', 'string'],
    ['value', 'number'],
    ['currency', 'string'],
    ['status', 'string'],
    ['probability', 'number'],
    ['lost_reason', 'string'],
    ['close_time', 'timestamp'],
    ['won_time', 'timestamp'],
    ['lost_time', 'timestamp'],
    ['expected_close_date', 'date'],
    ['stage_change_time', 'timestamp'],
    ['is_archived', 'boolean'],
    ['origin', 'string'],
    ['visible_to', 'integer'],
    ['label_ids', 'json'],
    ...COMMON_TAIL,
  ],
  activities: [
    ['subject', 'string'],
    ['type', 'string'],
    ['owner_id', 'string'],
    ['creator_user_id', 'string'],
    ['deal_id', 'string'],
    ['lead_id', 'string'],
    ['person_id', 'string'],
    ['org_id', 'string'],
    ['project_id', 'string'],
    ['due_date', 'date'],
    ['due_time', 'string'],
    ['duration', 'string'],
    ['busy', 'boolean'],
    ['done', 'boolean'],
    ['marked_as_done_time', 'timestamp'],
    ['priority', 'integer'],
    ['note', 'string'],
    ['location', 'json'],
    ['participants', 'json'],
    ['attendees', 'json'],
    ...COMMON_TAIL,
  ],
  leads: [
    ['title', 'string'],
    ['owner_id', 'string'],
    ['creator_id', 'string'],
    ['person_id', 'string'],
    ['organization_id', 'string'],
    ['source_name', 'string'],
    ['origin', 'string'],
    ['channel', 'string'],
    ['source_deal_id', 'string'],
    ['is_archived', 'boolean'],
    ['was_seen', 'boolean'],
    ['value', 'json'],
    ['value_amount', 'number'],
    ['value_currency', 'string'],
    ['expected_close_date', 'date'],
    ['next_activity_id', 'string'],
    ['label_ids', 'json'],
    ['visible_to', 'string'],
    ['cc_email', 'string'],
    ['add_time', 'timestamp'],
    ['update_time', 'timestamp'],
  ],
  users: [
    ['name', 'string'],
    ['email', 'string'],
    ['phone', 'string'],
    ['default_currency', 'string'],
    ['locale', 'string'],
    ['timezone_name', 'string'],
    ['role_id', 'integer'],
    ['active_flag', 'boolean'],
    ['activated', 'boolean'],
    ['access', 'json'],
    ['last_login', 'timestamp'],
    ['created', 'timestamp'],
    ['modified', 'timestamp'],
    ['is_deleted', 'boolean'],
  ],
};

/** Custom field types → logical types, in one table (unknown types stay strings). */
const CUSTOM_TYPES: Readonly<Record<string, LogicalType>> = {
  varchar: 'string',
  varchar_auto: 'string',
  text: 'string',
  phone: 'string',
  enum: 'string',
  set: 'json',
  double: 'number',
  int: 'integer',
  date: 'date',
  time: 'string',
  monetary: 'json',
  address: 'json',
  daterange: 'json',
  timerange: 'json',
  user: 'integer',
  org: 'integer',
  people: 'integer',
  visible_to: 'integer',
};

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
      type: CUSTOM_TYPES[field.field_type] ?? 'string',
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
