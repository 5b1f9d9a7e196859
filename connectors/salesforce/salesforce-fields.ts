import { z } from 'zod';
import type { CrmField, CrmFieldType } from '../../core/destination.js';
import { DescribeFieldSchema } from './salesforce-schemas.js';

/** The describe attributes that bound values and decide writability, on top of what extraction reads. */
export const WritableDescribeSchema = z.object({
  name: z.string(),
  fields: z.array(
    DescribeFieldSchema.extend({
      length: z.number().optional(),
      precision: z.number().optional(),
      scale: z.number().optional(),
      digits: z.number().optional(),
      restrictedPicklist: z.boolean().optional(),
      unique: z.boolean().optional(),
      idLookup: z.boolean().optional(),
      picklistValues: z
        .array(
          z.object({
            value: z.string(),
            label: z.string().nullable().optional(),
            active: z.boolean().optional(),
          }),
        )
        .optional(),
    }),
  ),
});
type WritableField = z.output<typeof WritableDescribeSchema>['fields'][number];

const INT_MAX = 2_147_483_647;

/** One describe field as a CrmField: type, bounds (length, precision/scale), options, writability. */
export function salesforceField(f: WritableField): CrmField {
  const kind = fieldKind(f);
  const bounds = numberBounds(f);
  return {
    name: f.name,
    label: f.label ?? f.name,
    type: kind,
    vendorType: f.type,
    readOnlyReason: f.calculated
      ? 'a formula field'
      : f.updateable === false
        ? 'describe says it is not updateable'
        : null,
    ...(kind === 'enumeration' || kind === 'multi-enumeration'
      ? {
          options: (f.picklistValues ?? [])
            .filter((p) => p.active !== false)
            .map((p) => ({ value: p.value, label: p.label ?? p.value })),
        }
      : {}),
    ...(kind === 'string' || kind === 'email' || kind === 'phone'
      ? f.length !== undefined && f.length > 0
        ? { maxLength: f.length }
        : {}
      : {}),
    ...bounds,
    unique: f.externalId === true || f.type === 'id',
  };
}

function fieldKind(f: WritableField): CrmFieldType {
  switch (f.type) {
    case 'string':
    case 'textarea':
    case 'url':
    case 'combobox':
    case 'encryptedstring':
      return 'string';
    case 'email':
      return 'email';
    case 'phone':
      return 'phone';
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    // Unrestricted picklists take any text; only restricted ones refuse values outside the list.
    case 'picklist':
      return f.restrictedPicklist ? 'enumeration' : 'string';
    case 'multipicklist':
      return 'multi-enumeration';
    default:
      return 'unsupported';
  }
}

/** `double(18, 2)` holds 16 integer digits; `int` is 32-bit. */
function numberBounds(f: WritableField): Pick<CrmField, 'min' | 'max' | 'scale'> {
  if (f.type === 'int') return { min: -INT_MAX - 1, max: INT_MAX, scale: 0 };
  if (f.type !== 'double' && f.type !== 'currency' && f.type !== 'percent') return {};
  const precision = f.precision ?? 0;
  const scale = f.scale ?? 0;
  if (precision <= 0) return {};
  const max = 10 ** (precision - scale) - 10 ** -scale;
  return { min: -max, max, scale };
}
