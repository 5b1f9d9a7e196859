import type { LogicalType } from '../../core/column-spec.js';
import type { CrmField, CrmFieldType } from '../../core/destination.js';
import { type FieldTypeTable, typingOf } from '../field-typing.js';
import type { FieldsEndpoint, V2Entity } from './pipedrive-client.js';
import type { PipedriveField } from './pipedrive-schemas.js';

/**
 * Pipedrive's fields, as both directions see them: which v1 `*Fields` endpoint describes each v2
 * object, the standard fields of each stream with their column types, and one type table giving each
 * custom field type its warehouse column type (extraction) and the kind of value reverse ETL writes.
 */

/** The v1 `*Fields` endpoint describing each object that has fields of its own. */
const DESCRIBED = {
  persons: 'personFields',
  organizations: 'organizationFields',
  deals: 'dealFields',
} as const satisfies Readonly<Record<string, FieldsEndpoint>>;

/** The objects reverse ETL writes: those a `*Fields` endpoint describes. */
export type PipedriveObject = keyof typeof DESCRIBED;

/** Each v2 entity's `*Fields` endpoint; activities have no custom fields. */
export const FIELDS_ENDPOINT: Readonly<Record<V2Entity, FieldsEndpoint | null>> = {
  ...DESCRIBED,
  activities: null,
};

export function fieldsEndpoint(object: PipedriveObject): FieldsEndpoint {
  return DESCRIBED[object];
}

/** The writable object named `object`, or null. */
export function writableObject(object: string): PipedriveObject | null {
  return isDescribed(object) ? object : null;
}

function isDescribed(object: string): object is PipedriveObject {
  return Object.hasOwn(DESCRIBED, object);
}

export function writableObjects(): readonly string[] {
  return Object.keys(DESCRIBED);
}

export type Spec = readonly [string, LogicalType];

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

/**
 * Standard fields a v2 PATCH takes as plain top-level values (typed by STANDARD_COLUMNS). The others
 * have v2 shapes of their own (`emails: [{value, primary}]`, owner and org references, stage ids)
 * that a score sync has no business setting.
 */
const STANDARD_WRITABLE: Readonly<Record<PipedriveObject, readonly string[]>> = {
  persons: ['name', 'job_title'],
  organizations: ['name', 'website', 'annual_revenue'],
  deals: ['title', 'value'],
};

/** Custom field types: the column each loads as, and the value kind each is written as. */
const FIELD_TYPES: FieldTypeTable = {
  varchar: { column: 'string', value: 'string' },
  varchar_auto: { column: 'string', value: 'string' },
  text: { column: 'string', value: 'string' },
  phone: { column: 'string', value: 'phone' },
  enum: { column: 'string', value: 'enumeration' },
  set: { column: 'json', value: 'multi-enumeration' },
  double: { column: 'number', value: 'number' },
  date: { column: 'date', value: 'date' },
  // Types Tide reads but does not write: monetary ({value, currency}), address, user, org, people, time.
  int: { column: 'integer', value: 'unsupported' },
  time: { column: 'string', value: 'unsupported' },
  monetary: { column: 'json', value: 'unsupported' },
  address: { column: 'json', value: 'unsupported' },
  daterange: { column: 'json', value: 'unsupported' },
  timerange: { column: 'json', value: 'unsupported' },
  user: { column: 'integer', value: 'unsupported' },
  org: { column: 'integer', value: 'unsupported' },
  people: { column: 'integer', value: 'unsupported' },
  visible_to: { column: 'integer', value: 'unsupported' },
};

/** The warehouse column type of a custom field type. */
export function customColumnType(fieldType: string): LogicalType {
  return typingOf(FIELD_TYPES, fieldType).column;
}

/** A standard column's type as a written value (the column types of STANDARD_COLUMNS). */
const VALUE_OF_COLUMN: Readonly<Record<LogicalType, CrmFieldType>> = {
  string: 'string',
  integer: 'number',
  number: 'number',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'datetime',
  json: 'unsupported',
};

function standardWritableType(object: PipedriveObject, key: string): CrmFieldType | undefined {
  if (!STANDARD_WRITABLE[object].includes(key)) return undefined;
  const column = STANDARD_COLUMNS[object]?.find(([name]) => name === key);
  return column === undefined ? undefined : VALUE_OF_COLUMN[column[1]];
}

/** Pipedrive documents 255 characters for varchar (and phone) fields. */
const VARCHAR_MAX = 255;
const TEXT_MAX = 65_535;

/**
 * One `*Fields` entry as a CrmField (reverse ETL). Custom fields are written by their 40-character
 * hash `key` (the `label` is the name users see and may map by); enum and set options by option id.
 */
export function pipedriveField(object: PipedriveObject, f: PipedriveField): CrmField {
  const custom = f.edit_flag === true;
  const standardType = standardWritableType(object, f.key);
  const type: CrmFieldType = standardType ?? typingOf(FIELD_TYPES, f.field_type).value;
  return {
    name: f.key,
    label: f.name,
    type,
    vendorType: f.field_type,
    readOnlyReason:
      custom || standardType !== undefined
        ? null
        : 'a standard field Tide does not write (its v2 value is not a plain value)',
    ...(f.options && (type === 'enumeration' || type === 'multi-enumeration')
      ? { options: f.options.map((o) => ({ value: String(o.id), label: o.label })) }
      : {}),
    ...(type === 'string' || type === 'phone'
      ? { maxLength: f.field_type === 'text' ? TEXT_MAX : VARCHAR_MAX }
      : {}),
    unique: false,
  };
}

/** Whether a field's value lives in the v2 body's `custom_fields` (keyed by hash) or at the top. */
export function isCustomKey(key: string): boolean {
  return /^[0-9a-f]{40}$/.test(key);
}
