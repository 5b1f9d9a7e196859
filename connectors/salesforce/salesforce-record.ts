import type { SourceRecord } from '../../core/record.js';
import { TideError } from '../../core/tide-error.js';
import { logicalType } from './salesforce-field-catalog.js';
import type { DescribeField } from './salesforce-schemas.js';

type Convert = (value: unknown) => unknown;

/**
 * Turns Salesforce records into SourceRecords. REST (JSON) and Bulk (CSV, every value a string) give
 * the same record the same fields and values: datetimes as ISO UTC with milliseconds, numbers as
 * numbers, booleans as booleans, empty as null (Salesforce does not store empty strings).
 */
export class SalesforceRecordReader {
  readonly #object: string;
  readonly #names: readonly string[];
  readonly #converters: readonly Convert[];

  constructor(object: string, fields: readonly DescribeField[]) {
    this.#object = object;
    this.#names = fields.map((f) => f.name);
    this.#converters = fields.map((f) => converterFor(logicalType(f.type)));
    for (const required of ['Id', 'SystemModstamp']) {
      if (!this.#names.includes(required)) {
        throw new TideError(
          'source_error',
          `Salesforce ${object} has no ${required} field: it cannot be read incrementally`,
        );
      }
    }
  }

  get fieldNames(): readonly string[] {
    return this.#names;
  }

  /** A REST record (`attributes` and the selected fields). */
  fromRest(raw: Readonly<Record<string, unknown>>): SourceRecord {
    const fields: Record<string, unknown> = {};
    for (let i = 0; i < this.#names.length; i++) {
      const name = this.#names[i]!;
      fields[name] = this.#converters[i]!(raw[name]);
    }
    return this.#record(fields);
  }

  /**
   * A CSV row of a Bulk results page. `columns[i]` is the index of field i in the page's header
   * (Salesforce keeps SELECT order since v50, but the header is what the row is laid out by).
   */
  fromCsv(row: readonly string[], columns: readonly number[]): SourceRecord {
    const fields: Record<string, unknown> = {};
    for (let i = 0; i < this.#names.length; i++) {
      const at = columns[i]!;
      fields[this.#names[i]!] = at < 0 ? null : this.#converters[i]!(row[at]);
    }
    return this.#record(fields);
  }

  /** Where each field sits in a CSV header; a field missing from the header is an error. */
  columnsOf(header: readonly string[]): number[] {
    const position = new Map(header.map((name, i) => [name, i]));
    return this.#names.map((name) => {
      const at = position.get(name);
      if (at === undefined) {
        throw new TideError(
          'malformed_response',
          `Salesforce Bulk results for ${this.#object} have no column ${name}`,
        );
      }
      return at;
    });
  }

  #record(fields: Record<string, unknown>): SourceRecord {
    const id = fields.Id;
    const modstamp = fields.SystemModstamp;
    if (typeof id !== 'string' || id === '' || typeof modstamp !== 'string') {
      throw new TideError(
        'malformed_response',
        `Salesforce sent a ${this.#object} record without Id or SystemModstamp: ${JSON.stringify(fields).slice(0, 160)}`,
      );
    }
    return { id, updatedAt: modstamp, deleted: fields.IsDeleted === true, fields };
  }
}

function converterFor(type: ReturnType<typeof logicalType>): Convert {
  switch (type) {
    case 'timestamp':
      return toTimestamp;
    case 'boolean':
      return toBoolean;
    case 'integer':
    case 'number':
      return toNumber;
    default:
      return toText;
  }
}

function toText(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return null;
  return typeof value === 'string' ? value : String(value);
}

function toNumber(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

function toBoolean(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'boolean') return value;
  return value === 'true';
}

/** `2013-05-20T20:49:32.000+0000` and `…000Z` → `2013-05-20T20:49:32.000Z`. */
function toTimestamp(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return null;
  const text = String(value);
  // Bulk CSV already writes `…00.000Z`; REST writes `…00.000+0000`. Anything else goes through Date.
  if (text.length === 24 && text.charCodeAt(23) === 90 && text.charCodeAt(19) === 46) return text;
  if (text.length === 28 && text.endsWith('+0000')) return `${text.slice(0, 23)}Z`;
  const ms = Date.parse(text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  if (!Number.isFinite(ms))
    throw new TideError('malformed_response', `Salesforce sent an unreadable datetime: ${text}`);
  return new Date(ms).toISOString();
}
