/** The CRM object types the simulator serves, with HubSpot's numeric type ids (`0-1` = contacts). */
export const OBJECT_TYPES = [
  'contacts',
  'companies',
  'deals',
  'calls',
  'emails',
  'meetings',
  'notes',
  'tasks',
] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export const ENGAGEMENT_TYPES = ['calls', 'emails', 'meetings', 'notes', 'tasks'] as const;
export type EngagementType = (typeof ENGAGEMENT_TYPES)[number];

const TYPE_IDS: Readonly<Record<string, ObjectType>> = {
  '0-1': 'contacts',
  '0-2': 'companies',
  '0-3': 'deals',
  '0-48': 'calls',
  '0-49': 'emails',
  '0-47': 'meetings',
  '0-46': 'notes',
  '0-27': 'tasks',
};

/** Accepts `contacts`, `CONTACTS` or `0-1`, like HubSpot; null for anything else. */
export function parseObjectType(raw: string): ObjectType | null {
  const lower = raw.toLowerCase();
  if ((OBJECT_TYPES as readonly string[]).includes(lower)) return lower as ObjectType;
  return TYPE_IDS[raw] ?? null;
}

export function isEngagement(type: ObjectType): type is EngagementType {
  return (ENGAGEMENT_TYPES as readonly string[]).includes(type);
}

/** HubSpot names the last-modified property differently for contacts (its oldest object). */
export function lastModifiedName(type: ObjectType): string {
  return type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}

export function createdName(type: ObjectType): string {
  return isEngagement(type) ? 'hs_createdate' : 'createdate';
}

/** Upper-case singular used in HubSpot's error messages ("Could not get some CONTACT objects"). */
export function singularUpper(type: ObjectType): string {
  const map: Record<ObjectType, string> = {
    contacts: 'CONTACT',
    companies: 'COMPANY',
    deals: 'DEAL',
    calls: 'CALL',
    emails: 'EMAIL',
    meetings: 'MEETING',
    notes: 'NOTE',
    tasks: 'TASK',
  };
  return map[type];
}
