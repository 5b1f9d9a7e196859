import type { FieldSchema, FieldType } from './bigquery-rest-shapes.js';

/**
 * Checks a load file the way BigQuery's NEWLINE_DELIMITED_JSON reader would accept it against the
 * load schema: one JSON object per line, only known columns (unless ignoreUnknownValues), and each
 * value readable as its column type. Integers beyond ±2^53 must be quoted (BigQuery documents that
 * unquoted ones lose precision); JSON columns take any JSON value as is.
 */
export function checkNdjson(
  text: string,
  fields: readonly FieldSchema[],
  ignoreUnknownValues: boolean,
): { rows: Record<string, unknown>[]; errors: string[] } {
  const byName = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
  const rows: Record<string, unknown>[] = [];
  const errors: string[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      errors.push(`line ${i + 1}: not JSON`);
      return;
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      errors.push(`line ${i + 1}: not a JSON object`);
      return;
    }
    for (const [key, value] of Object.entries(row)) {
      const field = byName.get(key.toLowerCase());
      if (field === undefined) {
        if (!ignoreUnknownValues) errors.push(`line ${i + 1}: no such field: ${key}`);
        continue;
      }
      const problem = value === null ? null : checkValue(field.type, value, line, key);
      if (problem !== null) errors.push(`line ${i + 1}, field ${key}: ${problem}`);
    }
    for (const field of fields) {
      const value = (row as Record<string, unknown>)[field.name];
      if (field.mode === 'REQUIRED' && (value === undefined || value === null)) {
        errors.push(`line ${i + 1}: missing required field ${field.name}`);
      }
    }
    rows.push(row as Record<string, unknown>);
  });
  return { rows, errors };
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?( ?(Z|UTC|[+-]\d{2}(:?\d{2})?))?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkValue(type: FieldType, value: unknown, line: string, key: string): string | null {
  switch (type) {
    case 'STRING':
      return typeof value === 'string' ? null : `expected a string, got ${JSON.stringify(value)}`;
    case 'INTEGER':
    case 'INT64':
      if (typeof value === 'string') return /^[+-]?\d+$/.test(value) ? null : `not an integer: ${value}`;
      if (typeof value !== 'number' || !Number.isInteger(value))
        return `not an integer: ${JSON.stringify(value)}`;
      // The parsed number is already rounded: look at the digits as written.
      return Number.isSafeInteger(value) || !unquotedDigits(line, key)
        ? null
        : 'integer beyond 2^53 must be quoted';
    case 'FLOAT':
    case 'FLOAT64':
      return typeof value === 'number' ? null : `not a number: ${JSON.stringify(value)}`;
    case 'BOOLEAN':
    case 'BOOL':
      return typeof value === 'boolean' ? null : `not a boolean: ${JSON.stringify(value)}`;
    case 'TIMESTAMP':
      return typeof value === 'string' && TIMESTAMP.test(value)
        ? null
        : `not a timestamp: ${JSON.stringify(value)}`;
    case 'DATE':
      return typeof value === 'string' && DATE.test(value) ? null : `not a date: ${JSON.stringify(value)}`;
    case 'JSON':
      return null;
    default:
      return `the double does not check ${type}`;
  }
}

function unquotedDigits(line: string, key: string): boolean {
  return new RegExp(`${JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:-?\\d{16,}`).test(line);
}
