import type { CanonicalValue, CrmField, CrmFieldType } from '../../core/destination.js';
import type { AcField } from './activecampaign-schemas.js';

/**
 * Contact fields as reverse ETL sees them. Standard ones are written under their API names
 * (`firstName`, `lastName`, `phone`, `email`); custom ones are named by their perstag (`TIDE_SCORE`,
 * stable and unique) with the title as label, so a sync may map by either, and written by id in
 * `fieldValues`. Contacts have no number type: numbers go to text fields as text.
 */
const STANDARD: readonly CrmField[] = [
  standard('email', 'Email', 'email', 255, true),
  standard('firstName', 'First name', 'string', 255, false),
  standard('lastName', 'Last name', 'string', 255, false),
  standard('phone', 'Phone', 'phone', 255, false),
];

/** Bulk import names the standard fields in snake_case. */
export const IMPORT_NAMES: Readonly<Record<string, string>> = {
  email: 'email',
  firstName: 'first_name',
  lastName: 'last_name',
  phone: 'phone',
};

function standard(
  name: string,
  label: string,
  type: CrmFieldType,
  maxLength: number,
  unique: boolean,
): CrmField {
  return {
    name,
    label,
    type,
    vendorType: type === 'string' ? 'text' : type,
    readOnlyReason: null,
    maxLength,
    unique,
  };
}

export function isStandardField(name: string): boolean {
  return STANDARD.some((f) => f.name === name);
}

function kindOf(type: string): CrmFieldType {
  switch (type) {
    case 'text':
    case 'textarea':
    case 'hidden':
    case '':
      return 'string';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'dropdown':
    case 'radio':
      return 'enumeration';
    case 'listbox':
    case 'checkbox':
      return 'multi-enumeration';
    default:
      return 'unsupported';
  }
}

export interface ContactFieldCatalog {
  readonly fields: readonly CrmField[];
  /** Custom field id by CrmField name (perstag). */
  readonly idOf: ReadonlyMap<string, string>;
}

/** The name a contact custom field is written by: its perstag, or `FIELD_<id>` without one. */
export function contactFieldName(def: {
  readonly id: string;
  readonly perstag?: string | null | undefined;
}): string {
  return def.perstag !== null && def.perstag !== undefined && def.perstag !== ''
    ? def.perstag
    : `FIELD_${def.id}`;
}

/** `GET /fields` (+ its `fieldOptions` side-load) → the contact's writable fields. */
export function contactFieldCatalog(
  defs: readonly AcField[],
  options: readonly {
    readonly field: string;
    readonly value?: string | null | undefined;
    readonly label?: string | null | undefined;
  }[],
): ContactFieldCatalog {
  const idOf = new Map<string, string>();
  const custom = defs.map((def): CrmField => {
    const name = contactFieldName(def);
    idOf.set(name, def.id);
    const type = kindOf(def.type ?? '');
    const own = options.filter((o) => o.field === def.id);
    return {
      name,
      label: def.title,
      type,
      vendorType: def.type ?? 'text',
      readOnlyReason: null,
      ...(type === 'enumeration' || type === 'multi-enumeration'
        ? { options: own.map((o) => ({ value: o.value ?? o.label ?? '', label: o.label ?? o.value ?? '' })) }
        : {}),
      unique: false,
    };
  });
  return { fields: [...STANDARD, ...custom], idOf };
}

/**
 * A validated value as ActiveCampaign stores it: text for everything (custom values are strings),
 * multi-value fields joined with the reference's `||` delimiter, and NULL as the empty string, which
 * is how a value is cleared.
 */
export function encodeValue(value: CanonicalValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.length === 0 ? '' : `||${value.join('||')}||`;
  return String(value);
}
