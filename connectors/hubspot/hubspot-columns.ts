import type { ColumnSpec, LogicalType } from '../../core/column-spec.js';
import type { HubspotProperty } from './hubspot-schemas.js';

/** HubSpot property types → Tide's logical types, in one table. */
const TYPE_MAP: Readonly<Record<string, LogicalType>> = {
  string: 'string',
  enumeration: 'string',
  phone_number: 'string',
  number: 'number',
  bool: 'boolean',
  datetime: 'timestamp',
  date: 'date',
  json: 'json',
  object_coordinates: 'string',
};

export function hubspotColumns(properties: readonly HubspotProperty[]): ColumnSpec[] {
  return properties.map((p) => ({
    name: p.name,
    type: TYPE_MAP[p.type] ?? 'string',
    meta: {
      hubspotType: p.type,
      readOnly: String(p.modificationMetadata?.readOnlyValue ?? false),
      ...(p.options && p.options.length > 0 ? { options: p.options.map((o) => o.value).join(';') } : {}),
    },
  }));
}
