import { toIso } from '../../core/cursor-state.js';
import type { SourceRecord } from '../../core/record.js';
import type { HubspotObject } from './hubspot-schemas.js';

/** The last-modified property per object type (HubSpot's default-property table). */
export function lastModifiedProperty(objectType: string): string {
  return objectType === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}

/** HubSpot timestamps come as epoch-ms strings or ISO strings depending on the endpoint. */
export function hubspotTime(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

export function toSourceRecord(
  object: HubspotObject,
  cursorProperty: string,
  extra?: Readonly<Record<string, unknown>>,
): SourceRecord {
  const ms =
    hubspotTime(object.properties[cursorProperty]) ??
    hubspotTime(object.updatedAt) ??
    hubspotTime(object.createdAt) ??
    0;
  const deleted = object.archived === true;
  // The page's properties object is ours (freshly parsed): it becomes the fields as is, without a
  // copy per record, unless something is added to it.
  const fields: Record<string, unknown> =
    object.archivedAt || extra ? { ...object.properties } : object.properties;
  if (object.archivedAt) fields.archivedAt = object.archivedAt;
  if (extra) Object.assign(fields, extra);
  return {
    id: object.id,
    updatedAt: toIso(deleted ? Math.max(ms, hubspotTime(object.archivedAt) ?? 0) : ms),
    deleted,
    fields,
  };
}
