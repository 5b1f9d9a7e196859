import type { CanonicalValue, CrmField, CrmFieldType } from '../../core/destination.js';
import type { DynamicsClient } from './dynamics-client.js';
import { type DataverseTable, typedAttributes } from './dynamics-metadata.js';
import type { TypedAttributes } from './dynamics-schemas.js';

type Typed = TypedAttributes['value'][number];

/** The derived metadata a writer validates against, one cast per attribute family. */
const CASTS: readonly { readonly cast: string; readonly select: string; readonly expand: string | null }[] = [
  { cast: 'StringAttributeMetadata', select: 'LogicalName,MaxLength,Format', expand: null },
  { cast: 'MemoAttributeMetadata', select: 'LogicalName,MaxLength', expand: null },
  { cast: 'IntegerAttributeMetadata', select: 'LogicalName,MinValue,MaxValue', expand: null },
  { cast: 'BigIntAttributeMetadata', select: 'LogicalName,MinValue,MaxValue', expand: null },
  { cast: 'DecimalAttributeMetadata', select: 'LogicalName,MinValue,MaxValue,Precision', expand: null },
  { cast: 'DoubleAttributeMetadata', select: 'LogicalName,MinValue,MaxValue,Precision', expand: null },
  { cast: 'MoneyAttributeMetadata', select: 'LogicalName,MinValue,MaxValue,Precision', expand: null },
  {
    cast: 'PicklistAttributeMetadata',
    select: 'LogicalName',
    expand: 'OptionSet($select=Options),GlobalOptionSet($select=Options)',
  },
  {
    cast: 'MultiSelectPicklistAttributeMetadata',
    select: 'LogicalName',
    expand: 'OptionSet($select=Options),GlobalOptionSet($select=Options)',
  },
  { cast: 'StateAttributeMetadata', select: 'LogicalName', expand: 'OptionSet($select=Options)' },
  { cast: 'StatusAttributeMetadata', select: 'LogicalName', expand: 'OptionSet($select=Options)' },
];

/**
 * The table's columns as CrmFields (name, type, writability, length, range, scale, options, key),
 * so a sync is validated against Dataverse's own metadata before anything is sent: the base
 * properties from the table cache plus one cast per attribute family (MicrosoftDocs
 * webapi/query-metadata-web-api.md), fetched in parallel once per table and session.
 */
export async function dynamicsFields(
  client: DynamicsClient,
  table: DataverseTable,
  signal?: AbortSignal,
): Promise<CrmField[]> {
  const typed = new Map<string, Typed>();
  const answers = await Promise.all(
    CASTS.map((c) => typedAttributes(client, table.logicalName, c.cast, c.select, c.expand, signal)),
  );
  for (const answer of answers) for (const a of answer.value) typed.set(a.LogicalName, a);
  const singleKeys = new Set(
    table.keys.filter((k) => k.attributes.length === 1).map((k) => k.attributes[0]!),
  );
  return table.attributes
    .filter((a) => a.attributeOf === null)
    .map((a): CrmField => {
      const t = typed.get(a.logicalName);
      const type = fieldType(a.typeName, t, a.dateOnly);
      const options = optionsOf(a.typeName, t);
      return {
        name: a.logicalName,
        label: a.label,
        type,
        vendorType: a.typeName.replace(/Type$/, ''),
        readOnlyReason: a.updatable ? null : 'Dataverse marks it not valid for update',
        ...(options === null ? {} : { options }),
        ...(t?.MaxLength === undefined || t.MaxLength === null ? {} : { maxLength: t.MaxLength }),
        ...(t?.MinValue === undefined || t.MinValue === null ? {} : { min: t.MinValue }),
        ...(t?.MaxValue === undefined || t.MaxValue === null ? {} : { max: t.MaxValue }),
        ...(scaleOf(a.typeName, t) === null ? {} : { scale: scaleOf(a.typeName, t) as number }),
        unique: a.logicalName === table.primaryId || singleKeys.has(a.logicalName),
      };
    });
}

function fieldType(typeName: string, t: Typed | undefined, dateOnly: boolean): CrmFieldType {
  switch (typeName) {
    case 'StringType': {
      const format = t?.Format ?? t?.FormatName?.Value ?? 'Text';
      return format === 'Email' ? 'email' : format === 'Phone' ? 'phone' : 'string';
    }
    case 'MemoType':
      return 'string';
    case 'IntegerType':
    case 'BigIntType':
    case 'DecimalType':
    case 'DoubleType':
    case 'MoneyType':
      return 'number';
    case 'BooleanType':
      return 'boolean';
    case 'DateTimeType':
      return dateOnly ? 'date' : 'datetime';
    case 'PicklistType':
    case 'StateType':
    case 'StatusType':
      return 'enumeration';
    case 'MultiSelectPicklistType':
      return 'multi-enumeration';
    default:
      // Lookups are set through `<navigation>@odata.bind`, keys and files not at all: Tide does not write them.
      return 'unsupported';
  }
}

function scaleOf(typeName: string, t: Typed | undefined): number | null {
  if (typeName === 'IntegerType' || typeName === 'BigIntType') return 0;
  return t?.Precision ?? null;
}

function optionsOf(typeName: string, t: Typed | undefined): { value: string; label: string }[] | null {
  if (typeName === 'BooleanType') return null;
  const options = t?.OptionSet?.Options ?? t?.GlobalOptionSet?.Options;
  if (options === undefined || options === null) return null;
  return options.map((o) => ({
    value: String(o.Value),
    label: o.Label?.UserLocalizedLabel?.Label ?? String(o.Value),
  }));
}

/** A validated value as Dataverse's JSON wants it: choices as numbers, multi-choices as "1,2". */
export function encodeDataverseValue(field: CrmField | undefined, value: CanonicalValue): unknown {
  if (value === null) return null;
  if (field?.type === 'enumeration') return Number(value);
  if (field?.type === 'multi-enumeration' && Array.isArray(value))
    return value.length === 0 ? null : value.join(',');
  return value;
}
