import type { LogicalType } from '../core/column-spec.js';
import { parseTimestampMs } from './parse-timestamp.js';

/**
 * Turns a CRM value into the JS value of its column's logical type, the same way for every warehouse.
 * CRMs send loosely typed JSON (HubSpot sends every property as a string), so strings are parsed:
 * "123.5" → 123.5, "true" → true, "1706702400000" or an ISO string → a timestamp, "2024-01-31" →
 * a date, objects and arrays → JSON text. A value that does not parse becomes null — the typed
 * column gets NULL while `_tide_record` keeps the original — so one odd value never stops a load.
 */
export interface CoercedValueByType {
  readonly string: string;
  /** A number when it is a safe integer, a bigint beyond that (always within INT64). */
  readonly integer: number | bigint;
  readonly number: number;
  readonly boolean: boolean;
  /** Millisecond precision, always within years 0001–9999. */
  readonly timestamp: Date;
  /** `YYYY-MM-DD`: the calendar date (the UTC date when a full timestamp is given). */
  readonly date: string;
  /** JSON text. */
  readonly json: string;
}

export type Coercer<T extends LogicalType> = (value: unknown) => CoercedValueByType[T] | null;

export function coerceValue<T extends LogicalType>(value: unknown, type: T): CoercedValueByType[T] | null {
  return coercerFor(type)(value);
}

/** The coercer of one type, for loops that coerce a whole column. Null and undefined give null. */
export function coercerFor<T extends LogicalType>(type: T): Coercer<T> {
  return COERCERS[type] as Coercer<T>;
}

const COERCERS: { readonly [K in LogicalType]: Coercer<K> } = {
  string: coerceString,
  integer: coerceInteger,
  number: coerceNumber,
  boolean: coerceBoolean,
  timestamp: coerceTimestamp,
  date: coerceDate,
  json: coerceJson,
};

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
// Strict on purpose: Number() would read "" and " " as 0 and "0x1f" as 31.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const INTEGER_TEXT = /^[+-]?\d+(?:\.0*)?$/;
const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1', 'on']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0', 'off']);

function coerceString(value: unknown): string | null {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      if (value === null) return null;
      if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : null;
      return jsonText(value);
    default:
      return null;
  }
}

function coerceInteger(value: unknown): number | bigint | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value === 'bigint') return value >= INT64_MIN && value <= INT64_MAX ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!INTEGER_TEXT.test(text)) {
    // "1e3" is an integer written as a decimal; "12.5" is not an integer and stays unparsed.
    if (!DECIMAL.test(text)) return null;
    const n = Number(text);
    return Number.isSafeInteger(n) ? n + 0 : null;
  }
  const digits = text.replace(/\.0*$/, '');
  const n = Number(digits);
  // `+ 0` turns "-0" into 0.
  if (Number.isSafeInteger(n)) return n + 0;
  const big = BigInt(digits);
  return big >= INT64_MIN && big <= INT64_MAX ? big : null;
}

function coerceNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!DECIMAL.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

function coerceBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : null;
  if (typeof value !== 'string') return null;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return null;
}

function coerceTimestamp(value: unknown): Date | null {
  const ms = parseTimestampMs(value);
  return ms === null ? null : new Date(ms);
}

function coerceDate(value: unknown): string | null {
  const ms = parseTimestampMs(value);
  if (ms === null) return null;
  // A valid `YYYY-MM-DD` is already the answer; skip formatting it again.
  if (typeof value === 'string' && value.length === 10 && value[4] === '-') return value;
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Objects and arrays become their JSON text. A string holding a JSON object or array is taken as
 * that JSON (CRMs sometimes send serialized structures); any other string, number or boolean becomes
 * a JSON scalar, so the column always holds valid JSON.
 */
function coerceJson(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('{') || text.startsWith('[')) {
      try {
        JSON.parse(text);
        return text;
      } catch {
        // Not JSON after all: keep it as a JSON string below.
      }
    }
  }
  return jsonText(value);
}

/**
 * JSON text of any value a source can emit. bigint (not JSON-serializable) becomes a decimal string;
 * a value that cannot be serialized at all (a cycle) gives null rather than failing the load.
 */
export function jsonText(value: unknown): string | null {
  try {
    // The replacer costs a function call per value, so it only runs when plain stringify fails.
    const text = JSON.stringify(value);
    return text === undefined ? null : text;
  } catch {
    try {
      const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
      return text === undefined ? null : text;
    } catch {
      return null;
    }
  }
}
