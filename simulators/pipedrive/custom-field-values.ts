import type { FieldDef } from './field-catalog.js';

/**
 * Checks custom-field values a client writes (keyed by hash). Returns the values to store or a
 * message in Pipedrive's words. v2 rejects an empty array for a multi-option field: `null` clears it.
 */
export function checkCustomFields(
  defs: readonly FieldDef[],
  input: unknown,
): { values: Record<string, unknown> } | { problem: string } {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    return { problem: 'custom_fields: Must be an object keyed by custom field key' };
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const def = defs.find((d) => d.key === key);
    if (def === undefined) return { problem: `custom_fields.${key}: Unknown custom field key` };
    const problem = value === null ? null : checkValue(def, value);
    if (problem !== null) return { problem: `custom_fields.${key} (${def.name}): ${problem}` };
    values[key] = value;
  }
  return { values };
}

function checkValue(def: FieldDef, value: unknown): string | null {
  const optionIds = new Set((def.options ?? []).map((o) => o.id));
  switch (def.fieldType) {
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'Must be a number';
    case 'enum':
      return typeof value === 'number' && optionIds.has(value) ? null : 'Must be one of the option ids';
    case 'set':
      if (!Array.isArray(value)) return 'Must be an array of option ids';
      if (value.length === 0) return 'Empty array is not supported; use null to clear the selection';
      return value.every((v) => typeof v === 'number' && optionIds.has(v)) ? null : 'Unknown option id';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d\d-\d\d$/.test(value)
        ? null
        : 'Must be a YYYY-MM-DD date';
    case 'monetary':
      return typeof value === 'object' && value !== null && 'value' in value
        ? null
        : 'Must be {value, currency}';
    default:
      return typeof value === 'string' ? null : 'Must be a string';
  }
}
