import { type CanonicalValue, type CrmField, isEmptyCrmValue } from '../core/destination.js';

/**
 * Whether the value a CRM holds (as it answers a read, or as the extract loaded it into a raw table)
 * is the value Tide sent, as far as the CRM field can tell. The one comparison conflict detection
 * uses: a CRM stores what it was sent in its own form (HubSpot answers numbers and booleans as text,
 * Salesforce datetimes with `+0000`, Zoho with the org's offset, Pipedrive options by id while the raw
 * table holds their labels, strings trimmed, decimals to the field's scale), and none of that is a
 * person's edit. `tideValue` is the validated value Tide sent (reverse/value-validator.ts).
 */
export function sameCrmValue(field: CrmField, crmValue: unknown, tideValue: CanonicalValue): boolean {
  const crmEmpty = isEmptyCrmValue(crmValue);
  const tideEmpty = isEmptyCrmValue(tideValue);
  if (crmEmpty || tideEmpty) return crmEmpty && tideEmpty;
  switch (field.type) {
    case 'number':
      return sameNumber(field, crmValue, tideValue);
    case 'boolean':
      return asBoolean(crmValue) !== null && asBoolean(crmValue) === asBoolean(tideValue);
    case 'enumeration':
      return sameOption(field, crmValue, tideValue);
    case 'multi-enumeration':
      return sameOptionSet(field, crmValue, tideValue);
    case 'date':
      return asDate(crmValue) !== null && asDate(crmValue) === asDate(tideValue);
    case 'datetime':
      return sameInstant(crmValue, tideValue);
    case 'email':
      return text(crmValue).toLowerCase() === text(tideValue).toLowerCase();
    case 'phone':
      return phoneDigits(crmValue) === phoneDigits(tideValue);
    case 'string':
      return text(crmValue) === text(tideValue);
    case 'unsupported':
      return JSON.stringify(crmValue) === JSON.stringify(tideValue);
  }
}

/** Trimmed, line endings and Unicode composition made uniform (CRMs store either form). */
function text(value: unknown): string {
  const s = typeof value === 'string' ? value : Array.isArray(value) ? value.join(';') : String(value);
  return s.replace(/\r\n?/g, '\n').normalize('NFC').trim();
}

const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const GROUPED_NUMBER = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const s = value.trim();
  // `1,234.50`: a number as an export or a UI renders it; never a decimal comma (that would be ambiguous).
  const plain = GROUPED_NUMBER.test(s) ? s.replaceAll(',', '') : s;
  return PLAIN_NUMBER.test(plain) ? Number(plain) : null;
}

/**
 * Equal at the field's scale when it has one (the CRM rounds what it stores), else equal up to the
 * last bits a decimal text of a double can lose.
 */
function sameNumber(field: CrmField, crmValue: unknown, tideValue: unknown): boolean {
  const a = asNumber(crmValue);
  const b = asNumber(tideValue);
  if (a === null || b === null) return false;
  if (field.scale !== undefined) return a.toFixed(field.scale) === b.toFixed(field.scale);
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function asBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value !== 'string') return null;
  const s = value.trim().toLowerCase();
  if (s === 'true' || s === '1' || s === 'yes') return true;
  if (s === 'false' || s === '0' || s === 'no') return false;
  return null;
}

/** An option's value (what is sent), from its value or its label (what users and some reads see). */
function optionValue(field: CrmField, value: unknown): string {
  const s = text(value);
  const options = field.options ?? [];
  if (options.some((o) => o.value === s)) return s;
  const lower = s.toLowerCase();
  const byLabel = options.filter((o) => o.label.toLowerCase() === lower);
  return byLabel.length === 1 ? byLabel[0]!.value : s;
}

function sameOption(field: CrmField, crmValue: unknown, tideValue: unknown): boolean {
  return optionValue(field, crmValue) === optionValue(field, tideValue);
}

/** A multi-select as a list, a `;`-joined text (HubSpot) or a `,`-joined one (Pipedrive ids). */
function optionList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  const s = text(value);
  return s.split(s.includes(';') ? ';' : ',').filter((v) => v.trim() !== '');
}

function sameOptionSet(field: CrmField, crmValue: unknown, tideValue: unknown): boolean {
  const a = new Set(optionList(crmValue).map((v) => optionValue(field, v)));
  const b = new Set(optionList(tideValue).map((v) => optionValue(field, v)));
  return a.size === b.size && [...a].every((v) => b.has(v));
}

const DAY = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/;

/** A date as YYYY-MM-DD: from the text, or from an epoch-millisecond midnight (HubSpot date properties). */
function asDate(value: unknown): string | null {
  const ms = epochMillis(value);
  if (ms !== null) return new Date(ms).toISOString().slice(0, 10);
  if (typeof value !== 'string') return null;
  return DAY.exec(value.trim())?.[1] ?? null;
}

function epochMillis(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && /^\d{10,}$/.test(value.trim())) return Number(value.trim());
  return null;
}

/** An instant from ISO text with any offset (`Z`, `+05:30`, `+0000`), a zone-less text (UTC) or epoch ms. */
function asInstant(value: unknown): number | null {
  const ms = epochMillis(value);
  if (ms !== null) return ms;
  if (typeof value !== 'string') return null;
  let s = value.trim().replace(' ', 'T');
  s = s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(s)) s = `${s}Z`;
  const parsed = Date.parse(s);
  return Number.isFinite(parsed) ? parsed : null;
}

/** The same second: CRMs that store whole seconds drop the milliseconds Tide sent. */
function sameInstant(crmValue: unknown, tideValue: unknown): boolean {
  const a = asInstant(crmValue);
  const b = asInstant(tideValue);
  return a !== null && b !== null && Math.floor(a / 1000) === Math.floor(b / 1000);
}

/** Digits (and a leading +): CRMs reformat phone numbers as they store them. */
function phoneDigits(value: unknown): string {
  const s = text(value);
  return `${s.startsWith('+') ? '+' : ''}${s.replace(/\D/g, '')}`;
}
