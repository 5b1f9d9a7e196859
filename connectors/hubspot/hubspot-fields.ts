import { z } from 'zod';
import type { CrmField, CrmFieldType } from '../../core/destination.js';
import { HubspotPropertySchema } from './hubspot-schemas.js';

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

/** One HubSpot property as a CrmField (type, options, writability, whether it can key a write). */
export function hubspotField(objectType: string, p: HubspotWritableProperty): CrmField {
  const fieldType = p.fieldType ?? '';
  return {
    name: p.name,
    label: p.label ?? p.name,
    type: fieldKind(p),
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

function fieldKind(p: HubspotWritableProperty): CrmFieldType {
  switch (p.type) {
    case 'string':
      if (p.name === 'email' || p.fieldType === 'email') return 'email';
      if (p.fieldType === 'phonenumber') return 'phone';
      return 'string';
    case 'phone_number':
      return 'phone';
    case 'number':
      return 'number';
    case 'bool':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'enumeration':
      return p.fieldType === 'checkbox' ? 'multi-enumeration' : 'enumeration';
    default:
      return 'unsupported';
  }
}
