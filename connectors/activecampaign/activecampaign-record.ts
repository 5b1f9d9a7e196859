import { toIso } from '../../core/cursor-state.js';
import type { SourceRecord } from '../../core/record.js';
import { TideError } from '../../core/tide-error.js';
import { type CustomFieldMap, customValue, STANDARD_COLUMNS } from './activecampaign-columns.js';
import type { ActiveCampaignStreamName } from './activecampaign-config.js';
import { acTime } from './activecampaign-time.js';

type Raw = Readonly<Record<string, unknown>> & { readonly id: string };

export interface CustomValues {
  readonly map: CustomFieldMap;
  /** The record's stored values by field id (absent = no value). */
  readonly values: ReadonlyMap<string, unknown>;
}

/**
 * One ActiveCampaign record → a SourceRecord: the id, updatedAt from the stream's modified field
 * (`udate`, `mdate`, `updatedTimestamp`; the created one when that is null) or `updatedAt` when the
 * stream has none, the stream's standard fields typed, and custom fields under their label columns
 * (every mapped column is set, NULL when the record has no value, so a cleared value clears).
 * ActiveCampaign deletes for good, so a record read is never deleted.
 */
export function toSourceRecord(
  stream: ActiveCampaignStreamName,
  raw: Raw,
  time: { readonly updated: string; readonly fallback: string } | { readonly updatedAt: string },
  custom: CustomValues | null,
): SourceRecord {
  const updatedAt = 'updatedAt' in time ? time.updatedAt : recordTime(stream, raw, time);
  const fields: Record<string, unknown> = {};
  for (const [name, type] of STANDARD_COLUMNS[stream]) {
    const value = raw[name];
    if (value === undefined) continue;
    if (value === null || value === '') fields[name] = null;
    else if (type === 'timestamp') {
      const ms = acTime(value);
      fields[name] = ms === null ? null : toIso(ms);
    } else if (type === 'number') {
      const n = Number(value);
      fields[name] = Number.isFinite(n) ? n : null;
    } else if (type === 'string' && typeof value === 'number') fields[name] = String(value);
    else fields[name] = value;
  }
  if (custom !== null) {
    for (const [id, column] of custom.map.byId)
      fields[column.column] = customValue(custom.values.get(id), column.type);
  }
  return { id: raw.id, updatedAt, deleted: false, fields };
}

function recordTime(
  stream: string,
  raw: Raw,
  time: { readonly updated: string; readonly fallback: string },
): string {
  const ms = acTime(raw[time.updated]) ?? acTime(raw[time.fallback]);
  if (ms === null) {
    throw new TideError(
      'malformed_response',
      `ActiveCampaign ${stream} ${raw.id}: neither ${time.updated} nor ${time.fallback} is a timestamp (${JSON.stringify(raw[time.updated])})`,
    );
  }
  return toIso(ms);
}
