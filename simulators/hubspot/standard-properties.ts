import type { ObjectType } from './hubspot-object-types.js';
import type { PropertyDef, PropertyType } from './property-def.js';

export const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
] as const;
export const LEAD_STATUSES = [
  'NEW',
  'OPEN',
  'IN_PROGRESS',
  'OPEN_DEAL',
  'UNQUALIFIED',
  'ATTEMPTED_TO_CONTACT',
  'CONNECTED',
  'BAD_TIMING',
] as const;
export const DEAL_STAGES = ['appointmentscheduled', 'qualifiedtobuy', 'closedwon', 'closedlost'] as const;
export const CUSTOMER_TIERS = ['bronze', 'silver', 'gold', 'platinum'] as const;
export const INDUSTRY_CODES = [
  'COMPUTER_SOFTWARE',
  'FINANCIAL_SERVICES',
  'HOSPITAL_HEALTH_CARE',
  'RETAIL',
  'MACHINERY',
  'EDUCATION_MANAGEMENT',
  'LOGISTICS_AND_SUPPLY_CHAIN',
  'MEDIA_PRODUCTION',
  'OIL_ENERGY',
  'MANAGEMENT_CONSULTING',
] as const;

/** A hostile custom property name: it must reach the warehouse as a harmless identifier. */
export const HOSTILE_PROPERTY = '"; drop table x; --';
/** A custom property name near HubSpot's length limit. */
export const LONG_PROPERTY = `tide_${'very_long_custom_property_name_'.repeat(3)}for_normalizer_tests`;

const FIELD_TYPES: Record<PropertyType, string> = {
  string: 'text',
  number: 'number',
  date: 'date',
  datetime: 'date',
  enumeration: 'select',
  bool: 'booleancheckbox',
};

/** HubSpot's form-field type for a property type. */
export function fieldTypeOf(type: PropertyType): string {
  return FIELD_TYPES[type];
}

type Spec = readonly [name: string, type: PropertyType, readOnly?: boolean, options?: readonly string[]];

function defs(type: ObjectType, hubspot: readonly Spec[], custom: readonly Spec[] = []): PropertyDef[] {
  const group = `${type.replace(/ies$/, 'y').replace(/s$/, '')}information`;
  const make = (spec: Spec, hubspotDefined: boolean): PropertyDef => {
    const [name, t, readOnly, options] = spec;
    return {
      name,
      label: name.replace(/^hs_/, '').replace(/_/g, ' '),
      type: t,
      fieldType: fieldTypeOf(t),
      groupName: hubspotDefined ? group : 'tide_custom',
      hubspotDefined,
      readOnly: readOnly ?? false,
      ...(options ? { options } : {}),
    };
  };
  return [...hubspot.map((s) => make(s, true)), ...custom.map((s) => make(s, false))];
}

const SYSTEM: readonly Spec[] = [
  ['hs_object_id', 'number', true],
  ['hs_lastmodifieddate', 'datetime', true],
  ['hubspot_owner_id', 'enumeration', false, []],
];

const CONTACT_CUSTOM: readonly Spec[] = [
  ['tide_score', 'number'],
  ['customer_tier', 'enumeration', false, CUSTOMER_TIERS],
  ['favorite_color', 'string'],
  [HOSTILE_PROPERTY, 'string'],
  [LONG_PROPERTY, 'string'],
];

const ENGAGEMENT_COMMON: readonly Spec[] = [
  ...SYSTEM,
  ['hs_createdate', 'datetime', true],
  ['hs_timestamp', 'datetime'],
];

export const STANDARD_PROPERTIES: Readonly<Record<ObjectType, readonly PropertyDef[]>> = {
  contacts: defs(
    'contacts',
    [
      ...SYSTEM,
      ['email', 'string'],
      ['firstname', 'string'],
      ['lastname', 'string'],
      ['phone', 'string'],
      ['company', 'string'],
      ['website', 'string'],
      ['jobtitle', 'string'],
      ['city', 'string'],
      ['country', 'string'],
      ['lifecyclestage', 'enumeration', false, LIFECYCLE_STAGES],
      ['hs_lead_status', 'enumeration', false, LEAD_STATUSES],
      ['createdate', 'datetime', true],
      ['lastmodifieddate', 'datetime', true],
      ['hs_merged_object_ids', 'enumeration', true, []],
      ['hs_additional_emails', 'enumeration', true, []],
    ],
    CONTACT_CUSTOM,
  ),
  companies: defs(
    'companies',
    [
      ...SYSTEM,
      ['name', 'string'],
      ['domain', 'string'],
      ['website', 'string'],
      ['industry', 'enumeration', false, INDUSTRY_CODES],
      ['numberofemployees', 'number'],
      ['annualrevenue', 'number'],
      ['city', 'string'],
      ['country', 'string'],
      ['createdate', 'datetime', true],
      ['hs_merged_object_ids', 'enumeration', true, []],
    ],
    [
      ['tide_score', 'number'],
      ['customer_tier', 'enumeration', false, CUSTOMER_TIERS],
    ],
  ),
  deals: defs(
    'deals',
    [
      ...SYSTEM,
      ['dealname', 'string'],
      ['amount', 'number'],
      ['dealstage', 'enumeration', false, DEAL_STAGES],
      ['pipeline', 'enumeration', false, ['default']],
      ['closedate', 'datetime'],
      ['createdate', 'datetime', true],
    ],
    [['tide_score', 'number']],
  ),
  calls: defs('calls', [
    ...ENGAGEMENT_COMMON,
    ['hs_call_title', 'string'],
    ['hs_call_body', 'string'],
    ['hs_call_duration', 'number'],
    ['hs_call_direction', 'enumeration', false, ['INBOUND', 'OUTBOUND']],
    ['hs_call_status', 'enumeration', false, ['COMPLETED', 'NO_ANSWER', 'BUSY', 'FAILED']],
  ]),
  emails: defs('emails', [
    ...ENGAGEMENT_COMMON,
    ['hs_email_subject', 'string'],
    ['hs_email_text', 'string'],
    ['hs_email_direction', 'enumeration', false, ['EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL']],
    ['hs_email_status', 'enumeration', false, ['SENT', 'BOUNCED', 'FAILED', 'SCHEDULED']],
  ]),
  meetings: defs('meetings', [
    ...ENGAGEMENT_COMMON,
    ['hs_meeting_title', 'string'],
    ['hs_meeting_body', 'string'],
    ['hs_meeting_start_time', 'datetime'],
    ['hs_meeting_end_time', 'datetime'],
    [
      'hs_meeting_outcome',
      'enumeration',
      false,
      ['SCHEDULED', 'COMPLETED', 'RESCHEDULED', 'NO_SHOW', 'CANCELED'],
    ],
  ]),
  notes: defs('notes', [...ENGAGEMENT_COMMON, ['hs_note_body', 'string']]),
  tasks: defs('tasks', [
    ...ENGAGEMENT_COMMON,
    ['hs_task_subject', 'string'],
    ['hs_task_body', 'string'],
    [
      'hs_task_status',
      'enumeration',
      false,
      ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'],
    ],
    ['hs_task_priority', 'enumeration', false, ['LOW', 'MEDIUM', 'HIGH']],
    ['hs_task_type', 'enumeration', false, ['CALL', 'EMAIL', 'TODO']],
  ]),
};

const ENGAGEMENT_DEFAULTS = ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'];

/** What HubSpot returns when a request names no properties. */
export const PROPERTY_DEFAULTS: Readonly<Record<ObjectType, readonly string[]>> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: [
    'amount',
    'closedate',
    'createdate',
    'dealname',
    'dealstage',
    'hs_lastmodifieddate',
    'hs_object_id',
    'pipeline',
  ],
  calls: ENGAGEMENT_DEFAULTS,
  emails: ENGAGEMENT_DEFAULTS,
  meetings: ENGAGEMENT_DEFAULTS,
  notes: ENGAGEMENT_DEFAULTS,
  tasks: ENGAGEMENT_DEFAULTS,
};
