/** The field model the simulator describes, validates writes against, and formats values with. */
export type SfFieldType =
  | 'id'
  | 'reference'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'email'
  | 'phone'
  | 'url'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'address'
  | 'location';

/** Values as the simulator stores them: datetimes are epoch ms, dates 'YYYY-MM-DD'. */
export type FieldValue = string | number | boolean | null;

export interface SimField {
  readonly name: string;
  readonly type: SfFieldType;
  readonly label: string;
  readonly custom: boolean;
  readonly updateable: boolean;
  readonly createable: boolean;
  readonly calculated: boolean;
  readonly formula?: string;
  readonly picklist?: readonly string[];
  readonly restricted?: boolean;
  readonly referenceTo?: readonly string[];
  readonly externalId?: boolean;
  /** Set on the components of an address (`MailingCity` → `MailingAddress`). */
  readonly compoundFieldName?: string;
}

export interface SObjectSchema {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  readonly deletable: boolean;
  readonly fields: readonly SimField[];
}

export interface FieldOptions {
  /** Read-only: neither createable nor updateable (system, audit and derived fields). */
  readonly ro?: boolean;
  readonly pick?: readonly string[];
  readonly restricted?: boolean;
  readonly ref?: string;
  readonly formula?: string;
  readonly ext?: boolean;
  readonly compound?: string;
}

export function field(name: string, type: SfFieldType, options: FieldOptions = {}): SimField {
  const readOnly = options.ro === true || options.formula !== undefined || type === 'id';
  return {
    name,
    type,
    label: labelOf(name),
    custom: name.endsWith('__c'),
    updateable: !readOnly,
    createable: !readOnly,
    calculated: options.formula !== undefined,
    ...(options.formula ? { formula: options.formula } : {}),
    ...(options.pick ? { picklist: options.pick } : {}),
    ...(options.restricted ? { restricted: true } : {}),
    ...(options.ref ? { referenceTo: [options.ref] } : {}),
    ...(options.ext ? { externalId: true } : {}),
    ...(options.compound ? { compoundFieldName: options.compound } : {}),
  };
}

const GEOCODE = [
  'Address',
  'NearAddress',
  'Block',
  'Street',
  'ExtendedZip',
  'Zip',
  'Neighborhood',
  'City',
  'County',
  'State',
  'Unknown',
];

/** An address: its components (what queries and Bulk select) and the compound field itself. */
export function address(prefix: string): SimField[] {
  const compound = `${prefix}Address`;
  const c = { compound };
  return [
    field(`${prefix}Street`, 'textarea', c),
    field(`${prefix}City`, 'string', c),
    field(`${prefix}State`, 'string', c),
    field(`${prefix}PostalCode`, 'string', c),
    field(`${prefix}Country`, 'string', c),
    field(`${prefix}Latitude`, 'double', c),
    field(`${prefix}Longitude`, 'double', c),
    field(`${prefix}GeocodeAccuracy`, 'picklist', { ...c, pick: GEOCODE }),
    field(compound, 'address', { ro: true }),
  ];
}

/** The audit fields every object has, in describe order. */
export function auditFields(): SimField[] {
  return [
    field('CreatedDate', 'datetime', { ro: true }),
    field('CreatedById', 'reference', { ro: true, ref: 'User' }),
    field('LastModifiedDate', 'datetime', { ro: true }),
    field('LastModifiedById', 'reference', { ro: true, ref: 'User' }),
    field('SystemModstamp', 'datetime', { ro: true }),
  ];
}

function labelOf(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/Id$/, 'ID')
    .trim();
}

/** Case-insensitive field lookup, as SOQL and the REST API resolve names. */
export class FieldIndex {
  readonly #byLower = new Map<string, SimField>();

  constructor(schema: SObjectSchema) {
    for (const f of schema.fields) this.add(f);
  }

  add(f: SimField): void {
    this.#byLower.set(f.name.toLowerCase(), f);
  }

  get(name: string): SimField | undefined {
    return this.#byLower.get(name.toLowerCase());
  }
}
