import { z } from 'zod';
import type { ColumnSpec, LogicalType } from '../../core/column-spec.js';
import type { CrmField, CrmFieldType } from '../../core/destination.js';
import { type FieldTypeTable, typingOf } from '../field-typing.js';
import { type DescribeField, DescribeFieldSchema, type SObjectDescribe } from './salesforce-schemas.js';

/**
 * Salesforce's fields, as both directions see them: one type table gives each describe field type
 * its warehouse column type (extraction) and the kind of value reverse ETL validates before writing.
 * Field metadata comes from `GET /sobjects/{object}/describe` for both.
 */
const FIELD_TYPES: FieldTypeTable = {
  id: { column: 'string', value: 'unsupported' },
  reference: { column: 'string', value: 'unsupported' },
  string: { column: 'string', value: 'string' },
  textarea: { column: 'string', value: 'string' },
  // Unrestricted picklists take any text: valueKind below makes only restricted ones enumerations.
  picklist: { column: 'string', value: 'enumeration' },
  multipicklist: { column: 'string', value: 'multi-enumeration' },
  combobox: { column: 'string', value: 'string' },
  email: { column: 'string', value: 'email' },
  phone: { column: 'string', value: 'phone' },
  url: { column: 'string', value: 'string' },
  encryptedstring: { column: 'string', value: 'string' },
  time: { column: 'string', value: 'unsupported' },
  anyType: { column: 'string', value: 'unsupported' },
  boolean: { column: 'boolean', value: 'boolean' },
  int: { column: 'integer', value: 'number' },
  long: { column: 'integer', value: 'unsupported' },
  double: { column: 'number', value: 'number' },
  currency: { column: 'number', value: 'number' },
  percent: { column: 'number', value: 'number' },
  date: { column: 'date', value: 'date' },
  datetime: { column: 'timestamp', value: 'datetime' },
};

/** The warehouse column type of a describe field type. */
export function logicalType(sfType: string): LogicalType {
  return typingOf(FIELD_TYPES, sfType).column;
}

/**
 * Compound fields are not selected: an address (`MailingAddress`) arrives flattened as its component
 * fields (`MailingStreet`, `MailingCity`, … `MailingLatitude`), which describe lists on their own and
 * which Bulk API can return (it refuses compound fields). Base64 bodies are not analytics data.
 */
const NOT_SELECTED = new Set(['address', 'location', 'base64', 'complexvalue']);

export function selectableFields(describe: SObjectDescribe): DescribeField[] {
  return describe.fields.filter((f) => !NOT_SELECTED.has(f.type));
}

/** The selectable fields of an object as warehouse columns (extraction). */
export function salesforceColumns(fields: readonly DescribeField[]): ColumnSpec[] {
  return fields.map((f) => {
    const meta: Record<string, string> = {
      salesforceType: f.type,
      custom: String(f.custom ?? f.name.endsWith('__c')),
      updateable: String(f.updateable ?? false),
    };
    if (f.calculated) meta.formula = f.calculatedFormula ?? 'true';
    if (f.compoundFieldName) meta.compoundField = f.compoundFieldName;
    if (f.externalId) meta.externalId = 'true';
    if (f.referenceTo && f.referenceTo.length > 0) meta.referenceTo = f.referenceTo.join(';');
    const values = (f.picklistValues ?? []).filter((p) => p.active !== false).map((p) => p.value);
    if (values.length > 0) meta.options = values.join(';');
    return { name: f.name, type: logicalType(f.type), meta };
  });
}

/** Fields whose values change without SystemModstamp moving (see README: formula fields). */
export function formulaFields(fields: readonly DescribeField[]): string[] {
  return fields.filter((f) => f.calculated === true).map((f) => f.name);
}

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

/** One describe field as a CrmField (reverse ETL): type, bounds (length, precision/scale), options, writability. */
export function salesforceField(f: WritableField): CrmField {
  const kind = valueKind(f);
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

function valueKind(f: WritableField): CrmFieldType {
  if (f.type === 'picklist' && !f.restrictedPicklist) return 'string';
  return typingOf(FIELD_TYPES, f.type).value;
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
