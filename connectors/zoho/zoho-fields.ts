import type { ColumnSpec, LogicalType } from '../../core/column-spec.js';
import type { CrmField, CrmFieldType } from '../../core/destination.js';
import type { ZohoField } from './zoho-schemas.js';

/**
 * Zoho's field types, written once for both directions: how extraction types a column and how reverse
 * ETL validates a value (`settings/fields` `data_type`). Unknown types load as strings and are not
 * written.
 */
const LOGICAL: Readonly<Record<string, LogicalType>> = {
  text: 'string',
  textarea: 'string',
  email: 'string',
  phone: 'string',
  website: 'string',
  picklist: 'string',
  autonumber: 'string',
  lookup: 'string',
  ownerlookup: 'string',
  userlookup: 'string',
  bigint: 'string',
  multiselectpicklist: 'json',
  integer: 'integer',
  double: 'number',
  currency: 'number',
  decimal: 'number',
  percent: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamp',
};

/** Files, images and sub-tables are not columns: the Records API answers them with other calls. */
const NOT_SELECTED = new Set([
  'profileimage',
  'imageupload',
  'fileupload',
  'subform',
  'multiselectlookup',
  'multiuserlookup',
  'RRULE',
  'ALARM',
  'event_reminder',
  'consent_lookup',
]);

export function logicalType(f: Pick<ZohoField, 'data_type'>): LogicalType {
  return LOGICAL[f.data_type] ?? 'string';
}

export function isLookup(f: Pick<ZohoField, 'data_type'>): boolean {
  return f.data_type === 'lookup' || f.data_type === 'ownerlookup' || f.data_type === 'userlookup';
}

/** The fields a read selects, `id` first (always there, even when the fields API does not list it). */
export function selectableFields(fields: readonly ZohoField[]): ZohoField[] {
  const out: ZohoField[] = [{ api_name: 'id', data_type: 'bigint' }];
  for (const f of fields) if (f.api_name !== 'id' && !NOT_SELECTED.has(f.data_type)) out.push(f);
  return out;
}

export function zohoColumns(fields: readonly ZohoField[]): ColumnSpec[] {
  return fields.map((f) => {
    const meta: Record<string, string> = { zohoType: f.data_type, custom: String(f.custom_field === true) };
    if (readOnlyReason(f) !== null) meta.readOnly = 'true';
    const module = f.lookup?.module?.api_name;
    if (module !== undefined) meta.lookupModule = module;
    const options = (f.pick_list_values ?? []).map((p) => p.actual_value);
    if (options.length > 0) meta.options = options.join(';');
    if (f.field_label) meta.label = f.field_label;
    return { name: f.api_name, type: logicalType(f), meta };
  });
}

function readOnlyReason(f: ZohoField): string | null {
  if (f.data_type === 'formula') return 'a formula field';
  if (f.data_type === 'autonumber') return 'an auto-number field';
  if (f.read_only === true || f.field_read_only === true) return 'the fields API marks it read-only';
  return null;
}

const INT_MAX = 2_147_483_647;

/** One field as a CrmField, for validation before any write. */
export function zohoCrmField(module: string, f: ZohoField): CrmField {
  const type = crmType(f);
  const options = (f.pick_list_values ?? []).map((p) => ({
    value: p.actual_value,
    label: p.display_value ?? p.actual_value,
  }));
  const unique =
    (typeof f.unique === 'object' && f.unique !== null && Object.keys(f.unique).length > 0) ||
    f.unique === true ||
    // Leads' and Contacts' system duplicate-check field (upsert's default match).
    (f.api_name === 'Email' && (module === 'Leads' || module === 'Contacts'));
  return {
    name: f.api_name,
    label: f.display_label ?? f.field_label ?? f.api_name,
    type,
    vendorType: f.data_type,
    readOnlyReason: readOnlyReason(f),
    ...(type === 'enumeration' || type === 'multi-enumeration' ? { options } : {}),
    ...((type === 'string' || type === 'email' || type === 'phone') &&
    typeof f.length === 'number' &&
    f.length > 0
      ? { maxLength: f.length }
      : {}),
    ...(f.data_type === 'integer' ? { min: -INT_MAX - 1, max: INT_MAX, scale: 0 } : {}),
    ...(typeof f.decimal_place === 'number' && type === 'number' && f.data_type !== 'integer'
      ? { scale: f.decimal_place }
      : {}),
    unique,
  };
}

function crmType(f: ZohoField): CrmFieldType {
  switch (f.data_type) {
    case 'text':
    case 'textarea':
    case 'website':
      return 'string';
    case 'email':
      return 'email';
    case 'phone':
      return 'phone';
    case 'integer':
    case 'double':
    case 'currency':
    case 'decimal':
    case 'percent':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'picklist':
      return 'enumeration';
    case 'multiselectpicklist':
      return 'multi-enumeration';
    default:
      return 'unsupported';
  }
}
