import { toIso } from '../../core/cursor-state.js';
import type { SourceRecord } from '../../core/record.js';
import { TideError } from '../../core/tide-error.js';
import type { CustomFieldMap } from './pipedrive-columns.js';
import { STANDARD_COLUMNS } from './pipedrive-field-catalog.js';

type Raw = Readonly<Record<string, unknown>>;

/** Pipedrive's timestamps: RFC 3339 in v2 and leads, `YYYY-MM-DD HH:MM:SS` (UTC) in older v1 endpoints. */
export function pipedriveTime(value: unknown): number | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim();
  const ms = Date.parse(
    /^\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?$/.test(text) ? `${text.replace(' ', 'T')}Z` : text,
  );
  return Number.isFinite(ms) ? ms : null;
}

/** The primary entry of a v2 emails/phones array (else the first), trimmed as typed. */
export function primaryValue(list: unknown): string | null {
  if (!Array.isArray(list) || list.length === 0) return null;
  const entries = list as readonly { value?: unknown; primary?: unknown }[];
  const chosen = entries.find((e) => e?.primary === true) ?? entries[0];
  return typeof chosen?.value === 'string' && chosen.value.trim() !== '' ? chosen.value.trim() : null;
}

function customValue(value: unknown, labels: ReadonlyMap<string, string> | null): unknown {
  if (labels === null || value === null || value === undefined) return value ?? null;
  const label = (v: unknown): unknown => {
    // include_option_labels answers `{id, label}`; plain lists answer the id alone.
    if (typeof v === 'object' && v !== null && 'label' in v) return (v as { label: unknown }).label;
    return labels.get(String(v)) ?? v;
  };
  if (Array.isArray(value)) return value.map(label);
  if (typeof value === 'string' && value.includes(',')) return value.split(',').map(label);
  return label(value);
}

/**
 * One Pipedrive record → a SourceRecord: id as a string, updatedAt = update_time (ISO ms), deleted =
 * is_deleted (or a deal's `deleted` status); the stream's standard fields, and custom fields under
 * their readable column names (v2 nests them in `custom_fields`; leads carry them at top level).
 */
export function toSourceRecord(
  stream: string,
  raw: Raw,
  custom: CustomFieldMap,
  times: { readonly updated: string; readonly fallback?: string },
): SourceRecord {
  const id = raw['id'];
  if ((typeof id !== 'number' && typeof id !== 'string') || String(id) === '')
    throw new TideError('malformed_response', `Pipedrive ${stream}: a record has no id`);
  const ms = pipedriveTime(raw[times.updated]) ?? pipedriveTime(raw[times.fallback ?? 'add_time']);
  if (ms === null)
    throw new TideError(
      'malformed_response',
      `Pipedrive ${stream} ${String(id)}: ${times.updated} is missing or not a timestamp (${JSON.stringify(raw[times.updated])})`,
    );
  const fields: Record<string, unknown> = {};
  for (const [name, type] of STANDARD_COLUMNS[stream] ?? []) {
    const value = raw[name];
    if (value === undefined) continue;
    if (value === null) fields[name] = null;
    else if (type === 'timestamp') fields[name] = toIsoOrNull(value);
    else if (type === 'string' && typeof value === 'number') fields[name] = String(value);
    else fields[name] = value;
  }
  if (stream === 'organizations') {
    const address = (raw['address'] ?? {}) as Readonly<Record<string, unknown>>;
    for (const part of ['value', 'locality', 'country', 'admin_area_level_1', 'postal_code'])
      fields[`address_${part}`] = typeof address[part] === 'string' ? address[part] : null;
  }
  if (stream === 'persons') {
    fields['primary_email'] = primaryValue(raw['emails']);
    fields['primary_phone'] = primaryValue(raw['phones']);
  }
  if (stream === 'leads') {
    const value = raw['value'] as { amount?: unknown; currency?: unknown } | null | undefined;
    fields['value_amount'] = typeof value?.amount === 'number' ? value.amount : null;
    fields['value_currency'] = typeof value?.currency === 'string' ? value.currency : null;
  }
  const nested = raw['custom_fields'];
  const source = typeof nested === 'object' && nested !== null ? (nested as Raw) : raw;
  for (const [key, column] of custom.byKey) {
    if (key in source) fields[column.column] = customValue(source[key], column.labels);
  }
  const deleted = raw['is_deleted'] === true || (stream === 'deals' && raw['status'] === 'deleted');
  return { id: String(id), updatedAt: toIso(ms), deleted, fields };
}

function toIsoOrNull(value: unknown): string | null {
  const ms = pipedriveTime(value);
  return ms === null ? null : toIso(ms);
}
