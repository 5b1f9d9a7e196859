import { csvDateTime, restDateTime } from './salesforce-time.js';
import type { FieldValue, SimField } from './sobject-schema.js';
import type { RecordValues, SObjectTable } from './sobject-table.js';

/** A record as the REST API returns it: `attributes`, then the selected fields in SELECT order. */
export function restRecord(
  table: SObjectTable,
  seq: number,
  fields: readonly SimField[],
  apiVersion: string,
): Record<string, unknown> {
  const values = table.record(seq);
  const out: Record<string, unknown> = {
    attributes: {
      type: table.schema.name,
      url: `/services/data/v${apiVersion}/sobjects/${table.schema.name}/${values.Id as string}`,
    },
  };
  for (const f of fields) out[f.name] = restValue(f, values, table);
  return out;
}

export function restValue(field: SimField, values: RecordValues, table: SObjectTable): unknown {
  if (field.type === 'address') return compoundAddress(field, values, table);
  const value = values[field.name] ?? null;
  if (value === null) return null;
  if (field.type === 'datetime') return restDateTime(value as number);
  return value;
}

function compoundAddress(field: SimField, values: RecordValues, table: SObjectTable): unknown {
  const parts = table.schema.fields.filter((f) => f.compoundFieldName === field.name);
  const prefix = field.name.replace(/Address$/, '');
  const out: Record<string, FieldValue> = {};
  let any = false;
  for (const part of parts) {
    const key = part.name.slice(prefix.length);
    const value = values[part.name] ?? null;
    if (value !== null) any = true;
    out[key.charAt(0).toLowerCase() + key.slice(1)] = value;
  }
  return any ? out : null;
}

/** One CSV line as Bulk API 2.0 writes results: every value quoted, null as an empty value. */
export function csvLine(fields: readonly SimField[], values: RecordValues): string {
  const parts = new Array<string>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const value = values[f.name] ?? null;
    if (value === null) {
      parts[i] = '""';
      continue;
    }
    const text = f.type === 'datetime' ? csvDateTime(value as number) : String(value);
    parts[i] = text.includes('"') ? `"${text.replace(/"/g, '""')}"` : `"${text}"`;
  }
  return parts.join(',');
}

export function csvHeader(fields: readonly SimField[]): string {
  return fields.map((f) => `"${f.name}"`).join(',');
}
