import type { CrmField, CrmFieldType } from '../../core/destination.js';
import type { PipedriveField } from './pipedrive-schemas.js';

/** The v1 `*Fields` endpoint describing each v2 object Tide writes. */
export const FIELDS_ENDPOINT = {
  persons: 'personFields',
  organizations: 'organizationFields',
  deals: 'dealFields',
} as const;
export type PipedriveObject = keyof typeof FIELDS_ENDPOINT;

/**
 * Standard fields a v2 PATCH takes as plain top-level values. The others have v2 shapes of their own
 * (`emails: [{value, primary}]`, owner and org references, stage ids) that a score sync has no
 * business setting.
 */
const STANDARD_WRITABLE: Readonly<Record<PipedriveObject, Readonly<Record<string, CrmFieldType>>>> = {
  persons: { name: 'string', job_title: 'string' },
  organizations: { name: 'string', website: 'string', annual_revenue: 'number' },
  deals: { title: 'string', value: 'number' },
};

/** Pipedrive documents 255 characters for varchar (and phone) fields. */
const VARCHAR_MAX = 255;
const TEXT_MAX = 65_535;

/**
 * One `*Fields` entry as a CrmField. Custom fields are written by their 40-character hash `key` (the
 * `label` is the name users see and may map by); enum and set options are written by option id.
 */
export function pipedriveField(object: PipedriveObject, f: PipedriveField): CrmField {
  const custom = f.edit_flag === true;
  const standardType = STANDARD_WRITABLE[object][f.key];
  // Custom field types Tide leaves out: monetary ({value, currency}), address, user, org, people, time.
  const type: CrmFieldType = standardType ?? kindOf(f.field_type);
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

function kindOf(fieldType: string): CrmFieldType {
  switch (fieldType) {
    case 'varchar':
    case 'varchar_auto':
    case 'text':
      return 'string';
    case 'double':
      return 'number';
    case 'phone':
      return 'phone';
    case 'date':
      return 'date';
    case 'enum':
      return 'enumeration';
    case 'set':
      return 'multi-enumeration';
    default:
      return 'unsupported';
  }
}

/** Whether a field's value lives in the v2 body's `custom_fields` (keyed by hash) or at the top. */
export function isCustomKey(key: string): boolean {
  return /^[0-9a-f]{40}$/.test(key);
}
