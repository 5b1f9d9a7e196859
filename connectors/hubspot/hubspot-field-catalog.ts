import { z } from 'zod';
import type { ColumnSpec } from '../../core/column-spec.js';
import type { CrmField, CrmFieldType } from '../../core/destination.js';
import { type FieldTypeTable, typingOf } from '../field-typing.js';
import { type HubspotProperty, HubspotPropertySchema } from './hubspot-schemas.js';

/**
 * HubSpot's properties, as both directions see them: one type table gives each property type its
 * warehouse column type (extraction) and the kind of value reverse ETL validates before writing.
 * Property metadata comes from `GET /crm/v3/properties/{object}` for both.
 */
const PROPERTY_TYPES: FieldTypeTable = {
  string: { column: 'string', value: 'string' },
  enumeration: { column: 'string', value: 'enumeration' },
  phone_number: { column: 'string', value: 'phone' },
  number: { column: 'number', value: 'number' },
  bool: { column: 'boolean', value: 'boolean' },
  datetime: { column: 'timestamp', value: 'datetime' },
  date: { column: 'date', value: 'date' },
  json: { column: 'json', value: 'unsupported' },
  object_coordinates: { column: 'string', value: 'unsupported' },
};
const typeOf = (p: HubspotProperty) => typingOf(PROPERTY_TYPES, p.type);

/** The properties of an object as warehouse columns (extraction). */
export function hubspotColumns(properties: readonly HubspotProperty[]): ColumnSpec[] {
  return properties.map((p) => ({
    name: p.name,
    type: typeOf(p).column,
    meta: {
      hubspotType: p.type,
      readOnly: String(p.modificationMetadata?.readOnlyValue ?? false),
      ...(p.options && p.options.length > 0 ? { options: p.options.map((o) => o.value).join(';') } : {}),
    },
  }));
}

/** The property attributes that decide writability, on top of what extraction reads. */
export const HubspotWritablePropertySchema = HubspotPropertySchema.extend({
  calculated: z.boolean().optional(),
  hasUniqueValue: z.boolean().optional(),
  hidden: z.boolean().optional(),
  modificationMetadata: z
    .object({ readOnlyValue: z.boolean().optional(), readOnlyDefinition: z.boolean().optional() })
    .partial()
    .optional(),
});
export const HubspotWritablePropertiesSchema = z.object({ results: z.array(HubspotWritablePropertySchema) });
export type HubspotWritableProperty = z.output<typeof HubspotWritablePropertySchema>;

/** HubSpot documents 65,536 characters as the limit of a string property value. */
const MAX_STRING = 65_536;
/** Field types whose values are files, computed or rich content: not something a score sync sets. */
const UNWRITABLE_FIELD_TYPES = new Set([
  'file',
  'calculation_equation',
  'calculation_rollup',
  'calculation_score',
]);

/** One HubSpot property as a CrmField (reverse ETL): type, options, writability, whether it keys a write. */
export function hubspotField(objectType: string, p: HubspotWritableProperty): CrmField {
  const fieldType = p.fieldType ?? '';
  return {
    name: p.name,
    label: p.label ?? p.name,
    type: valueKind(p),
    vendorType: fieldType ? `${p.type}/${fieldType}` : p.type,
    readOnlyReason: p.modificationMetadata?.readOnlyValue
      ? 'HubSpot marks its value read-only'
      : p.calculated
        ? 'a calculated property'
        : UNWRITABLE_FIELD_TYPES.has(fieldType)
          ? `a ${fieldType} property`
          : null,
    ...(p.type === 'enumeration' || p.type === 'bool'
      ? { options: (p.options ?? []).map((o) => ({ value: o.value, label: o.label ?? o.value })) }
      : {}),
    ...(p.type === 'string' || p.type === 'phone_number' ? { maxLength: MAX_STRING } : {}),
    unique: p.hasUniqueValue === true || (objectType === 'contacts' && p.name === 'email'),
  };
}

/** The type table's value kind, refined by the property's form field (email, phone, checkboxes). */
function valueKind(p: HubspotWritableProperty): CrmFieldType {
  if (p.type === 'string' && (p.name === 'email' || p.fieldType === 'email')) return 'email';
  if (p.type === 'string' && p.fieldType === 'phonenumber') return 'phone';
  if (p.type === 'enumeration' && p.fieldType === 'checkbox') return 'multi-enumeration';
  return typeOf(p).value;
}
