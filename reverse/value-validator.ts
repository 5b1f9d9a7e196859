import type { CanonicalValue, CrmField } from '../core/destination.js';

export type Validated =
  | { readonly ok: true; readonly value: CanonicalValue }
  | { readonly ok: false; readonly reason: string };

/** Length HubSpot documents for string properties, used when a CRM states none. */
const DEFAULT_MAX_STRING = 65_536;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;
const PHONE = /^\+?[0-9 ().\-/]{3,}(?:\s*(?:x|ext\.?)\s*[0-9]{1,6})?$/i;
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Checks one warehouse value against the CRM field it is mapped to and turns it into the canonical
 * form the writers encode. A value that would be refused (or silently mangled) by the CRM is rejected
 * here with a reason, so it is never sent.
 */
export function validateValue(field: CrmField, raw: unknown): Validated {
  const value = plain(raw);
  if (value === null) return { ok: true, value: null };
  if (typeof value === 'object' && !Array.isArray(value)) {
    return fail(`${field.name}: a ${describeKind(value)} cannot be written to a ${field.vendorType} field`);
  }
  switch (field.type) {
    case 'string':
      return text(field, value);
    case 'email':
      return email(field, value);
    case 'phone':
      return phone(field, value);
    case 'number':
      return number(field, value);
    case 'boolean':
      return boolean(field, value);
    case 'enumeration':
      return option(field, value);
    case 'multi-enumeration':
      return options(field, value);
    case 'date':
      return date(field, value);
    case 'datetime':
      return datetime(field, value);
    case 'unsupported':
      return fail(`${field.name}: Tide cannot write ${field.vendorType} fields`);
  }
}

type Plain = string | number | boolean | readonly Plain[] | { readonly [k: string]: unknown } | null;

/** Warehouse drivers hand back bigints, Dates and wrapper objects: reduce them to plain values. */
function plain(raw: unknown): Plain {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string' || typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'bigint') return Number.isSafeInteger(Number(raw)) ? Number(raw) : raw.toString();
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? 'Invalid Date' : raw.toISOString();
  if (Array.isArray(raw)) return raw.map(plain);
  if (typeof raw === 'object') {
    const own = (raw as { toString?: () => string }).toString;
    if (typeof own === 'function' && own !== Object.prototype.toString) return String(raw);
    return raw as { readonly [k: string]: unknown };
  }
  return String(raw);
}

function fail(reason: string): Validated {
  return { ok: false, reason };
}

function describeKind(value: unknown): string {
  return Array.isArray(value) ? 'list' : typeof value === 'object' ? 'JSON object' : typeof value;
}

function show(value: unknown): string {
  const s = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function scalarString(field: CrmField, value: Plain): string | Validated {
  if (Array.isArray(value))
    return fail(`${field.name}: a list cannot be written to a ${field.vendorType} field`);
  return String(value);
}

function text(field: CrmField, value: Plain): Validated {
  const s = scalarString(field, value);
  if (typeof s !== 'string') return s;
  const max = field.maxLength ?? DEFAULT_MAX_STRING;
  if ([...s].length > max) {
    return fail(`${field.name}: ${[...s].length} characters is longer than the field's ${max}`);
  }
  return { ok: true, value: s };
}

function email(field: CrmField, value: Plain): Validated {
  const s = scalarString(field, value);
  if (typeof s !== 'string') return s;
  const trimmed = s.trim();
  if (!EMAIL.test(trimmed)) return fail(`${field.name}: ${show(s)} is not an email address`);
  return text(field, trimmed);
}

function phone(field: CrmField, value: Plain): Validated {
  const s = scalarString(field, value);
  if (typeof s !== 'string') return s;
  const trimmed = s.trim();
  if (!PHONE.test(trimmed) || !/\d{3}/.test(trimmed.replace(/\D/g, ''))) {
    return fail(`${field.name}: ${show(s)} is not a phone number`);
  }
  return text(field, trimmed);
}

function number(field: CrmField, value: Plain): Validated {
  if (Array.isArray(value))
    return fail(`${field.name}: a list cannot be written to a ${field.vendorType} field`);
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && NUMERIC.test(value.trim())) n = Number(value.trim());
  else return fail(`${field.name}: ${show(value)} is not a number`);
  if (!Number.isFinite(n)) return fail(`${field.name}: ${show(value)} is not a finite number`);
  if (field.scale === 0 && !Number.isInteger(n)) {
    return fail(`${field.name}: ${n} is not a whole number (the field stores no decimals)`);
  }
  // The CRM would round silently; rounding here keeps the pushed hash equal to what the CRM stores.
  if (field.scale !== undefined && field.scale > 0) n = Number(n.toFixed(field.scale));
  if (field.min !== undefined && n < field.min)
    return fail(`${field.name}: ${n} is below the minimum ${field.min}`);
  if (field.max !== undefined && n > field.max)
    return fail(`${field.name}: ${n} is above the maximum ${field.max}`);
  return { ok: true, value: n };
}

function boolean(field: CrmField, value: Plain): Validated {
  if (typeof value === 'boolean') return { ok: true, value };
  if (value === 1 || value === 0) return { ok: true, value: value === 1 };
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (s === 'true' || s === '1') return { ok: true, value: true };
    if (s === 'false' || s === '0') return { ok: true, value: false };
  }
  return fail(`${field.name}: ${show(value)} is not true or false`);
}

function resolveOption(field: CrmField, value: string): string | null {
  const opts = field.options ?? [];
  const exact = opts.find((o) => o.value === value);
  if (exact) return exact.value;
  const lower = value.toLowerCase();
  const byLabel = opts.filter((o) => o.label.toLowerCase() === lower);
  return byLabel.length === 1 ? byLabel[0]!.value : null;
}

function optionHint(field: CrmField): string {
  const opts = (field.options ?? []).map((o) => o.value);
  if (opts.length === 0) return 'the field has no options';
  return `allowed: ${opts.slice(0, 10).join(', ')}${opts.length > 10 ? `, … (${opts.length} in all)` : ''}`;
}

function option(field: CrmField, value: Plain): Validated {
  const s = scalarString(field, value);
  if (typeof s !== 'string') return s;
  const resolved = resolveOption(field, s.trim());
  if (resolved === null) return fail(`${field.name}: ${show(s)} is not an option (${optionHint(field)})`);
  return { ok: true, value: resolved };
}

function options(field: CrmField, value: Plain): Validated {
  const items = Array.isArray(value)
    ? value.map((v) => String(v))
    : String(value)
        .split(';')
        .map((v) => v.trim())
        .filter((v) => v !== '');
  const out: string[] = [];
  for (const item of items) {
    const resolved = resolveOption(field, item.trim());
    if (resolved === null)
      return fail(`${field.name}: ${show(item)} is not an option (${optionHint(field)})`);
    if (!out.includes(resolved)) out.push(resolved);
  }
  return { ok: true, value: out };
}

function isRealDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function date(field: CrmField, value: Plain): Validated {
  const s = scalarString(field, value);
  if (typeof s !== 'string') return s;
  const trimmed = s.trim();
  const day = DATE.exec(trimmed.slice(0, 10));
  if (day === null) return fail(`${field.name}: ${show(s)} is not a date (YYYY-MM-DD)`);
  const [, y, m, d] = day;
  if (!isRealDate(Number(y), Number(m), Number(d)))
    return fail(`${field.name}: ${show(s)} is not a real date`);
  const rest = trimmed.slice(10);
  if (rest !== '' && !/^[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?$/.test(rest)) {
    return fail(`${field.name}: ${show(s)} has a time of day; the field holds dates only`);
  }
  return { ok: true, value: trimmed.slice(0, 10) };
}

function datetime(field: CrmField, value: Plain): Validated {
  if (typeof value === 'number') {
    const t = new Date(value);
    if (Number.isNaN(t.getTime())) return fail(`${field.name}: ${value} is not a timestamp`);
    return { ok: true, value: t.toISOString() };
  }
  const s = scalarString(field, value);
  if (typeof s !== 'string') return s;
  const trimmed = s.trim();
  const day = DATE.exec(trimmed.slice(0, 10));
  if (day === null || !isRealDate(Number(day[1]), Number(day[2]), Number(day[3]))) {
    return fail(`${field.name}: ${show(s)} is not a date-time (ISO 8601)`);
  }
  const rest = trimmed.slice(10);
  if (rest !== '' && !/^[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/.test(rest)) {
    return fail(`${field.name}: ${show(s)} is not a date-time (ISO 8601)`);
  }
  // Warehouse timestamps without a zone are UTC by Tide's convention.
  const zoned = rest === '' || /(?:Z|[+-]\d{2}:?\d{2})$/.test(rest) ? trimmed : `${trimmed}Z`;
  const t = new Date(zoned.replace(' ', 'T'));
  if (Number.isNaN(t.getTime())) return fail(`${field.name}: ${show(s)} is not a date-time (ISO 8601)`);
  return { ok: true, value: t.toISOString() };
}
