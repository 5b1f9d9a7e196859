import type { SourceRecord } from '../core/record.js';

/**
 * Makes every string a CRM sent valid, storable Unicode before it reaches the warehouse: the one door
 * all records pass, whatever the connector and the warehouse.
 *
 * - A lone UTF-16 surrogate (half an emoji, as tools that cut strings by code unit leave them) becomes
 *   U+FFFD. Left alone it is stored as U+FFFD in a typed column (the UTF-8 encoder replaces it) but
 *   as the escape `\ud800` in `_tide_record` (JSON.stringify keeps it), which DuckDB's JSON reader
 *   and BigQuery refuse: one such value used to stop every model.
 * - NUL becomes U+FFFD too. DuckDB would keep it, but BigQuery, CSV exports, C-string consumers and
 *   most CRMs (on the way back) do not agree on it; U+FFFD keeps the mark that something was there,
 *   the same in the typed column and in `_tide_record`.
 *
 * Keys are cleaned like values (a field name is text from the CRM as well). A record without such a
 * character is returned as is, without copying.
 */
export function safeRecord(record: SourceRecord, found: SafeTextCount): SourceRecord {
  // Nearly every record is clean: check without allocating, copy only what must change.
  if (!unsafe(record.id) && !dirty(record.fields)) return record;
  return {
    ...record,
    id: safeText(record.id, found),
    fields: safeValue(record.fields, found) as SourceRecord['fields'],
  };
}

/** How many strings were changed (for one log line per stream). */
export interface SafeTextCount {
  values: number;
}

// Any NUL or surrogate code unit: the cheap test that lets clean strings (nearly all) through as is.
const SUSPECT = /[\0\ud800-\udfff]/;
const UNSAFE_SOURCE = '\\0|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const UNSAFE_ONE = new RegExp(UNSAFE_SOURCE);
const UNSAFE_ALL = new RegExp(UNSAFE_SOURCE, 'g');

/** A NUL or a lone surrogate (a well-formed pair, as in an emoji, is fine). */
function unsafe(text: string): boolean {
  return SUSPECT.test(text) && UNSAFE_ONE.test(text);
}

export function safeText(text: string, found?: SafeTextCount): string {
  if (!unsafe(text)) return text;
  if (found) found.values++;
  return text.replace(UNSAFE_ALL, '\uFFFD');
}

/** Whether any string in a value (keys included) needs cleaning; allocates nothing. */
function dirty(value: unknown): boolean {
  if (typeof value === 'string') return unsafe(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (const item of value) if (dirty(item)) return true;
    return false;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const object = value as Record<string, unknown>;
  for (const key in object) if (unsafe(key) || dirty(object[key])) return true;
  return false;
}

function safeValue(value: unknown, found: SafeTextCount): unknown {
  if (typeof value === 'string') return safeText(value, found);
  if (value === null || typeof value !== 'object') return value;
  const before = found.values;
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => safeValue(item, found));
    return found.values === before ? value : items;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
    return value; // a Date or a typed value: no text inside
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[safeText(key, found)] = safeValue(item, found);
  return found.values === before ? value : out;
}
