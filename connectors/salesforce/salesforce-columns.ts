import type { ColumnSpec, LogicalType } from '../../core/column-spec.js';
import type { DescribeField, SObjectDescribe } from './salesforce-schemas.js';

/** Salesforce field types → Tide's logical types, in one table. Unknown types load as strings. */
const TYPE_MAP: Readonly<Record<string, LogicalType>> = {
  id: 'string',
  reference: 'string',
  string: 'string',
  textarea: 'string',
  picklist: 'string',
  multipicklist: 'string',
  combobox: 'string',
  email: 'string',
  phone: 'string',
  url: 'string',
  encryptedstring: 'string',
  time: 'string',
  anyType: 'string',
  boolean: 'boolean',
  int: 'integer',
  long: 'integer',
  double: 'number',
  currency: 'number',
  percent: 'number',
  date: 'date',
  datetime: 'timestamp',
};

/**
 * Compound fields are not selected: an address (`MailingAddress`) arrives flattened as its component
 * fields (`MailingStreet`, `MailingCity`, … `MailingLatitude`), which describe lists on their own and
 * which Bulk API can return (it refuses compound fields). Base64 bodies are not analytics data.
 */
const NOT_SELECTED = new Set(['address', 'location', 'base64', 'complexvalue']);

export function selectableFields(describe: SObjectDescribe): DescribeField[] {
  return describe.fields.filter((f) => !NOT_SELECTED.has(f.type));
}

export function logicalType(sfType: string): LogicalType {
  return TYPE_MAP[sfType] ?? 'string';
}

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
