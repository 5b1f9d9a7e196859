import type { SourceRecord } from '../../core/record.js';
import { TideError } from '../../core/tide-error.js';
import { isLookup, logicalType } from './zoho-fields.js';
import type { ZohoField } from './zoho-schemas.js';
import { zohoTimeMs } from './zoho-time.js';

type Convert = (value: unknown) => unknown;

/**
 * Turns Zoho records into SourceRecords. The Records API (JSON) and Bulk Read (CSV, every value a
 * string) give one record the same fields and values: lookups as the looked-up record's id (Bulk Read
 * exports only the id), datetimes as ISO UTC with milliseconds, numbers as numbers, multi-select
 * picklists as lists (`a;b` in CSV), empty as null.
 */
export class ZohoRecordReader {
  readonly #module: string;
  readonly #names: readonly string[];
  readonly #json: readonly Convert[];
  readonly #csv: readonly Convert[];

  constructor(module: string, fields: readonly ZohoField[]) {
    this.#module = module;
    this.#names = fields.map((f) => f.api_name);
    this.#json = fields.map((f) => converter(f, 'json'));
    this.#csv = fields.map((f) => converter(f, 'csv'));
    if (!this.#names.includes('Modified_Time')) {
      throw new TideError(
        'source_error',
        `Zoho ${module} has no Modified_Time field: it cannot be read incrementally`,
      );
    }
  }

  get fieldNames(): readonly string[] {
    return this.#names;
  }

  fromJson(raw: Readonly<Record<string, unknown>>): SourceRecord {
    const fields: Record<string, unknown> = {};
    for (let i = 0; i < this.#names.length; i++) {
      const name = this.#names[i]!;
      fields[name] = name in raw ? this.#json[i]!(raw[name]) : null;
    }
    return this.#record(fields);
  }

  /** Where each field sits in a CSV header; a field the header lacks reads as null. */
  columnsOf(header: readonly string[]): number[] {
    const position = new Map(header.map((name, i) => [name, i]));
    if (!position.has('id')) {
      throw new TideError('malformed_response', `Zoho Bulk Read CSV for ${this.#module} has no id column`);
    }
    return this.#names.map((name) => position.get(name) ?? -1);
  }

  fromCsv(row: readonly string[], columns: readonly number[]): SourceRecord {
    const fields: Record<string, unknown> = {};
    for (let i = 0; i < this.#names.length; i++) {
      const at = columns[i]!;
      fields[this.#names[i]!] = at < 0 ? null : this.#csv[i]!(row[at]);
    }
    return this.#record(fields);
  }

  #record(fields: Record<string, unknown>): SourceRecord {
    const id = fields.id;
    const modified = fields.Modified_Time;
    if (typeof id !== 'string' || id === '' || typeof modified !== 'string') {
      throw new TideError(
        'malformed_response',
        `Zoho sent a ${this.#module} record without id or Modified_Time: ${JSON.stringify(fields).slice(0, 160)}`,
      );
    }
    return { id, updatedAt: modified, deleted: false, fields };
  }
}

function converter(f: ZohoField, from: 'json' | 'csv'): Convert {
  if (isLookup(f)) return from === 'json' ? lookupId : text;
  switch (logicalType(f)) {
    case 'timestamp':
      return (v) => (empty(v) ? null : new Date(zohoTimeMs(String(v), f.api_name)).toISOString());
    case 'integer':
    case 'number':
      return (v) => {
        if (empty(v)) return null;
        const n = typeof v === 'number' ? v : Number(v);
        return Number.isFinite(n) ? n : null;
      };
    case 'boolean':
      return (v) => (empty(v) ? null : typeof v === 'boolean' ? v : String(v).toLowerCase() === 'true');
    case 'json':
      return from === 'json'
        ? (v) => (Array.isArray(v) ? v : empty(v) ? [] : [String(v)])
        : (v) => (empty(v) ? [] : String(v).split(';'));
    default:
      return (v) =>
        empty(v) ? null : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

function empty(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

function text(v: unknown): unknown {
  return empty(v) ? null : String(v);
}

function lookupId(v: unknown): unknown {
  if (empty(v)) return null;
  if (typeof v === 'object' && v !== null && 'id' in v) {
    const id = (v as { id: unknown }).id;
    return id === null || id === undefined ? null : String(id);
  }
  return String(v);
}
