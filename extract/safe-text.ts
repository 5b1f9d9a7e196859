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
  const before = found.values;
  const id = safeText(record.id, found);
  const fields = safeValue(record.fields, found) as SourceRecord['fields'];
  if (found.values === before) return record;
  return { ...record, id, fields };
}

/** How many strings were changed (for one log line per stream). */
export interface SafeTextCount {
  values: number;
}

// Any NUL or surrogate code unit: the cheap test that lets clean strings (nearly all) through as is.
const SUSPECT = /[\0\ud800-\udfff]/;
const UNSAFE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function safeText(text: string, found?: SafeTextCount): string {
  if (!SUSPECT.test(text)) return text;
  const clean = text.replace(UNSAFE, '\uFFFD');
  if (clean !== text && found) found.values++;
  return clean;
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
