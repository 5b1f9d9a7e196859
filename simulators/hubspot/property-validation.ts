import { parseTime } from './filter-predicate.js';
import type { ObjectType } from './hubspot-object-types.js';
import type { PropertyCatalog } from './property-catalog.js';

/** One invalid property, in HubSpot's shape (it embeds a JSON list of these in its message). */
export interface PropertyProblem {
  readonly isValid: false;
  readonly message: string;
  readonly error: string;
  readonly name: string;
}

export type WriteValues = Record<string, string | null>;

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * Checks the properties of one write the way HubSpot does: unknown and read-only properties, values
 * outside an enumeration's options, non-numeric numbers, bad booleans, dates and emails are errors;
 * an empty string clears a value. Returns the normalized values or the problems.
 */
export function validateWrite(
  catalog: PropertyCatalog,
  type: ObjectType,
  input: Readonly<Record<string, unknown>>,
): { values: WriteValues } | { problems: PropertyProblem[] } {
  const values: WriteValues = {};
  const problems: PropertyProblem[] = [];
  const problem = (name: string, error: string, message: string) =>
    problems.push({ isValid: false, message, error, name });
  for (const [name, raw] of Object.entries(input)) {
    const def = catalog.get(type, name);
    if (def === undefined) {
      problem(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`);
      continue;
    }
    if (def.readOnly) {
      problem(name, 'READ_ONLY_VALUE', `"${name}" is a read only property; its value cannot be set.`);
      continue;
    }
    if (raw === null || raw === '') {
      values[name] = null;
      continue;
    }
    if (typeof raw === 'object') {
      problem(
        name,
        'INVALID_VALUE',
        `${JSON.stringify(raw)} is not a valid value for ${name}: values are strings`,
      );
      continue;
    }
    const value = String(raw);
    switch (def.type) {
      case 'number':
        if (!Number.isFinite(Number(value)) || value.trim() === '')
          problem(name, 'INVALID_FLOAT', `${value} was not a valid number.`);
        else values[name] = value.trim();
        break;
      case 'bool':
        if (!/^(true|false)$/i.test(value))
          problem(name, 'INVALID_BOOLEAN', `${value} was not a valid boolean.`);
        else values[name] = value.toLowerCase();
        break;
      case 'date':
      case 'datetime': {
        const ms = parseTime(value);
        if (ms === null)
          problem(name, 'INVALID_DATE', `${value} was not a valid date or epoch millisecond value.`);
        else
          values[name] =
            def.type === 'date' ? new Date(ms).toISOString().slice(0, 10) : new Date(ms).toISOString();
        break;
      }
      case 'enumeration': {
        const options = def.options ?? [];
        const bad = value.split(';').filter((v) => options.length > 0 && !options.includes(v));
        if (bad.length > 0)
          problem(
            name,
            'INVALID_OPTION',
            `${bad.join(';')} was not one of the allowed options: [${options.map((o) => `label: "${o}"\nvalue: "${o}"`).join(', ')}]`,
          );
        else values[name] = value;
        break;
      }
      default:
        if (type === 'contacts' && name === 'email' && !EMAIL.test(value.trim()))
          problem(name, 'INVALID_EMAIL', `Email address ${value} is invalid`);
        else values[name] = value;
    }
  }
  return problems.length > 0 ? { problems } : { values };
}

/** HubSpot's message for invalid property values: a prefix plus the JSON list of problems. */
export function problemsMessage(problems: readonly PropertyProblem[]): string {
  return `Property values were not valid: ${JSON.stringify(problems)}`;
}
