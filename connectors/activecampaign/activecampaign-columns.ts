import type { ColumnSpec, LogicalType } from '../../core/column-spec.js';
import type { ActiveCampaignStreamName } from './activecampaign-config.js';

type Spec = readonly [string, LogicalType];

/**
 * The standard fields of each stream (the reference's response shapes), as Tide types them. Ids and
 * references to other records (owner, contact, account) are strings, like every `_tide_id` they join
 * to; deal `value` is in cents, as ActiveCampaign stores currency.
 */
export const STANDARD_COLUMNS: Readonly<Record<ActiveCampaignStreamName, readonly Spec[]>> = {
  contacts: [
    ['email', 'string'],
    ['firstName', 'string'],
    ['lastName', 'string'],
    ['phone', 'string'],
    ['orgname', 'string'],
    ['cdate', 'timestamp'],
    ['udate', 'timestamp'],
  ],
  accounts: [
    ['name', 'string'],
    ['accountUrl', 'string'],
    ['owner', 'string'],
    ['createdTimestamp', 'timestamp'],
    ['updatedTimestamp', 'timestamp'],
  ],
  deals: [
    ['title', 'string'],
    ['value', 'number'],
    ['currency', 'string'],
    ['status', 'string'],
    ['stage', 'string'],
    ['group', 'string'],
    ['owner', 'string'],
    ['contact', 'string'],
    ['account', 'string'],
    ['cdate', 'timestamp'],
    ['mdate', 'timestamp'],
  ],
  users: [
    ['username', 'string'],
    ['firstName', 'string'],
    ['lastName', 'string'],
    ['email', 'string'],
  ],
  notes: [
    ['note', 'string'],
    ['relid', 'string'],
    ['reltype', 'string'],
    ['userid', 'string'],
    ['cdate', 'timestamp'],
    ['mdate', 'timestamp'],
  ],
  account_contacts: [
    ['account', 'string'],
    ['contact', 'string'],
    ['jobTitle', 'string'],
    ['createdTimestamp', 'timestamp'],
    ['updatedTimestamp', 'timestamp'],
  ],
};

/** Custom field types (contact `type`, account/deal `fieldType`) → logical types; unknown ones stay strings. */
const CUSTOM_TYPES: Readonly<Record<string, LogicalType>> = {
  date: 'date',
  datetime: 'timestamp',
  number: 'number',
  currency: 'number',
  listbox: 'json',
  checkbox: 'json',
  multiselect: 'json',
};

/** One custom field definition, whichever endpoint described it. */
export interface CustomFieldDef {
  readonly id: string;
  /** What users see and what the column is named after (contact `title`, account/deal `fieldLabel`). */
  readonly label: string;
  readonly type: string;
  /** The name reverse ETL writes it by (contacts: the perstag, as activecampaign-crm-field.ts names it). */
  readonly writeName?: string;
}

export interface CustomColumn {
  readonly column: string;
  readonly type: LogicalType;
}

export interface CustomFieldMap {
  readonly columns: readonly ColumnSpec[];
  /** By field id. */
  readonly byId: ReadonlyMap<string, CustomColumn>;
}

/**
 * Custom fields become columns named by their label, as Pipedrive's do. A label that collides with a
 * standard column or an earlier custom field gets the field id appended, which keeps each column
 * tied to one field; the id stays in the column's meta (`activecampaignFieldId`).
 */
export function customFieldMap(fields: readonly CustomFieldDef[], standard: readonly Spec[]): CustomFieldMap {
  const taken = new Set(standard.map(([name]) => name.toLowerCase()));
  const columns: ColumnSpec[] = [];
  const byId = new Map<string, CustomColumn>();
  for (const field of fields) {
    if (byId.has(field.id)) continue;
    let column = field.label.trim() === '' ? `field ${field.id}` : field.label.trim();
    if (taken.has(column.toLowerCase())) column = `${column} ${field.id}`;
    taken.add(column.toLowerCase());
    const type = CUSTOM_TYPES[field.type] ?? 'string';
    byId.set(field.id, { column, type });
    columns.push({
      name: column,
      type,
      meta: { activecampaignFieldId: field.id, activecampaignType: field.type },
      ...(field.writeName === undefined ? {} : { writeName: field.writeName }),
    });
  }
  return { columns, byId };
}

export function standardColumns(stream: ActiveCampaignStreamName): ColumnSpec[] {
  return STANDARD_COLUMNS[stream].map(([name, type]) => ({ name, type }));
}

/**
 * A stored custom value as its column holds it: multi-value fields (`||a||b||`, the reference's
 * delimiter) become lists, empty strings NULL.
 */
export function customValue(raw: unknown, type: LogicalType): unknown {
  if (raw === null || raw === undefined) return null;
  const text = String(raw);
  if (text === '') return null;
  if (type === 'json') return text.split('||').filter((part) => part !== '');
  return text;
}
