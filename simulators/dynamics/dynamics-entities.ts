import { INDUSTRIES } from '../kit/universe.js';

/**
 * The tables the simulated Dataverse environment has, as its metadata API describes them: logical
 * name, entity set, primary id and name, whether change tracking is on, and each column's type.
 * Names and types follow Dynamics 365 Sales (MicrosoftDocs reference/entities/*.md); `tide_*` columns
 * are custom columns a customer would add (publisher prefix `tide_`). Custom columns can be added at
 * run time through `/_sim/config`, like a maker adding a column in Power Apps.
 */

export type AttributeType =
  | 'Uniqueidentifier'
  | 'String'
  | 'Memo'
  | 'Integer'
  | 'BigInt'
  | 'Decimal'
  | 'Double'
  | 'Money'
  | 'Boolean'
  | 'DateTime'
  | 'Picklist'
  | 'MultiSelectPicklist'
  | 'State'
  | 'Status'
  | 'Lookup'
  | 'Customer'
  | 'Owner';

export interface OptionDef {
  readonly value: number;
  readonly label: string;
}

export interface AttributeDef {
  readonly logicalName: string;
  readonly type: AttributeType;
  readonly custom: boolean;
  /** False for system columns Dataverse sets itself (createdon, fullname, versionnumber, ...). */
  readonly updatable: boolean;
  readonly maxLength?: number;
  readonly min?: number;
  readonly max?: number;
  /** Digits after the decimal point (Decimal, Double, Money). */
  readonly precision?: number;
  readonly options?: readonly OptionDef[];
  /** Lookup targets (logical names); more than one: a polymorphic lookup (Customer, regarding). */
  readonly targets?: readonly string[];
  /** DateTime columns holding a date only (DateTimeBehavior DateOnly). */
  readonly dateOnly?: boolean;
}

export interface AlternateKeyDef {
  readonly logicalName: string;
  readonly attributes: readonly string[];
}

export interface EntityDef {
  readonly logicalName: string;
  readonly entitySetName: string;
  readonly primaryId: string;
  readonly primaryName: string;
  /** Entity code in the simulator's sequential GUIDs. */
  readonly code: number;
  changeTracking: boolean;
  readonly attributes: AttributeDef[];
  readonly keys: AlternateKeyDef[];
}

const text = (logicalName: string, maxLength = 100, custom = false): AttributeDef => ({
  logicalName,
  type: 'String',
  custom,
  updatable: true,
  maxLength,
});
const readOnly = (a: AttributeDef): AttributeDef => ({ ...a, updatable: false });
const lookup = (
  logicalName: string,
  targets: readonly string[],
  options: { readonly updatable?: boolean; readonly type?: 'Lookup' | 'Customer' | 'Owner' } = {},
): AttributeDef => ({
  logicalName,
  type: options.type ?? 'Lookup',
  custom: false,
  updatable: options.updatable ?? true,
  targets,
});
const choice = (logicalName: string, labels: readonly string[], custom = false): AttributeDef => ({
  logicalName,
  type: 'Picklist',
  custom,
  updatable: true,
  options: labels.map((label, i) => ({ value: (custom ? 100_000_000 : 1) + i, label })),
});
const bool = (logicalName: string, updatable = true): AttributeDef => ({
  logicalName,
  type: 'Boolean',
  custom: false,
  updatable,
  options: [
    { value: 0, label: 'No' },
    { value: 1, label: 'Yes' },
  ],
});
const date = (logicalName: string, dateOnly = false): AttributeDef => ({
  logicalName,
  type: 'DateTime',
  custom: false,
  updatable: true,
  ...(dateOnly ? { dateOnly } : {}),
});
const money = (logicalName: string): AttributeDef => ({
  logicalName,
  type: 'Money',
  custom: false,
  updatable: true,
  min: -922_337_203_685_477,
  max: 922_337_203_685_477,
  precision: 2,
});

/** The industry choice's labels: the shared universe's industries, so companies match across CRMs. */
export const INDUSTRY_LABELS = INDUSTRIES;

/** Columns every table has: key, audit times, row version, owner, state and status. */
function systemColumns(
  primaryId: string,
  states: readonly string[],
  statuses: readonly string[],
  owned = true,
): AttributeDef[] {
  return [
    { logicalName: primaryId, type: 'Uniqueidentifier', custom: false, updatable: false },
    readOnly(date('createdon')),
    readOnly(date('modifiedon')),
    { logicalName: 'versionnumber', type: 'BigInt', custom: false, updatable: false },
    ...(owned ? [lookup('ownerid', ['systemuser', 'team'], { type: 'Owner' })] : []),
    {
      logicalName: 'statecode',
      type: 'State',
      custom: false,
      updatable: true,
      options: states.map((label, value) => ({ value, label })),
    },
    {
      logicalName: 'statuscode',
      type: 'Status',
      custom: false,
      updatable: true,
      options: statuses.map((label, i) => ({ value: i + 1, label })),
    },
  ];
}

const ACTIVITY_STATES = ['Open', 'Completed', 'Canceled'];
const ACTIVITY_STATUSES = ['Open', 'Made', 'Canceled'];

function activity(logicalName: string, entitySetName: string, code: number): EntityDef {
  return {
    logicalName,
    entitySetName,
    primaryId: 'activityid',
    primaryName: 'subject',
    code,
    changeTracking: false,
    attributes: [
      ...systemColumns('activityid', ACTIVITY_STATES, ACTIVITY_STATUSES),
      text('subject', 400),
      { logicalName: 'description', type: 'Memo', custom: false, updatable: true, maxLength: 2000 },
      lookup('regardingobjectid', ['contact', 'account', 'lead', 'opportunity']),
      date('scheduledstart'),
      date('scheduledend'),
      date('actualend'),
    ],
    keys: [],
  };
}

/** A fresh catalog (each simulator owns one: tests add columns to theirs). */
export function createCatalog(): Map<string, EntityDef> {
  const entities: EntityDef[] = [
    {
      logicalName: 'contact',
      entitySetName: 'contacts',
      primaryId: 'contactid',
      primaryName: 'fullname',
      code: 0xc0,
      changeTracking: true,
      attributes: [
        ...systemColumns('contactid', ['Active', 'Inactive'], ['Active', 'Inactive']),
        text('firstname', 50),
        text('lastname', 50),
        readOnly(text('fullname', 160)),
        text('emailaddress1'),
        text('telephone1', 50),
        text('mobilephone', 50),
        text('jobtitle'),
        text('address1_city', 80),
        text('address1_country', 80),
        lookup('parentcustomerid', ['account', 'contact'], { type: 'Customer' }),
        lookup('originatingleadid', ['lead']),
        lookup('masterid', ['contact'], { updatable: false }),
        bool('merged', false),
        bool('donotemail'),
        choice('preferredcontactmethodcode', ['Any', 'Email', 'Phone', 'Fax', 'Mail']),
        { logicalName: 'description', type: 'Memo', custom: false, updatable: true, maxLength: 2000 },
        { logicalName: 'tide_score', type: 'Integer', custom: true, updatable: true, min: 0, max: 100 },
        {
          logicalName: 'tide_rating',
          type: 'Decimal',
          custom: true,
          updatable: true,
          min: -100_000_000_000,
          max: 100_000_000_000,
          precision: 2,
        },
        choice('tide_tier', ['Bronze', 'Silver', 'Gold'], true),
        text('tide_externalid', 100, true),
      ],
      keys: [{ logicalName: 'tide_externalid_key', attributes: ['tide_externalid'] }],
    },
    {
      logicalName: 'account',
      entitySetName: 'accounts',
      primaryId: 'accountid',
      primaryName: 'name',
      code: 0xa0,
      changeTracking: true,
      attributes: [
        ...systemColumns('accountid', ['Active', 'Inactive'], ['Active', 'Inactive']),
        text('name', 160),
        text('emailaddress1'),
        text('telephone1', 50),
        text('websiteurl', 200),
        choice('industrycode', INDUSTRY_LABELS),
        {
          logicalName: 'numberofemployees',
          type: 'Integer',
          custom: false,
          updatable: true,
          min: 0,
          max: 1_000_000_000,
        },
        money('revenue'),
        text('address1_city', 80),
        text('address1_country', 80),
        lookup('primarycontactid', ['contact']),
      ],
      keys: [],
    },
    {
      logicalName: 'lead',
      entitySetName: 'leads',
      primaryId: 'leadid',
      primaryName: 'fullname',
      code: 0x1e,
      changeTracking: true,
      attributes: [
        ...systemColumns(
          'leadid',
          ['Open', 'Qualified', 'Disqualified'],
          ['New', 'Contacted', 'Qualified', 'Lost'],
        ),
        text('firstname', 50),
        text('lastname', 50),
        readOnly(text('fullname', 160)),
        text('emailaddress1'),
        text('telephone1', 50),
        text('mobilephone', 50),
        text('jobtitle'),
        text('companyname'),
        text('websiteurl', 200),
        text('address1_city', 80),
        text('address1_country', 80),
        lookup('parentaccountid', ['account']),
        lookup('parentcontactid', ['contact']),
        lookup('masterid', ['lead'], { updatable: false }),
        bool('merged', false),
      ],
      keys: [],
    },
    {
      logicalName: 'opportunity',
      entitySetName: 'opportunities',
      primaryId: 'opportunityid',
      primaryName: 'name',
      code: 0x0e,
      changeTracking: true,
      attributes: [
        ...systemColumns('opportunityid', ['Open', 'Won', 'Lost'], ['In Progress', 'Won', 'Canceled']),
        text('name', 300),
        money('estimatedvalue'),
        money('actualvalue'),
        date('estimatedclosedate', true),
        date('actualclosedate', true),
        text('stepname', 200),
        lookup('customerid', ['account', 'contact'], { type: 'Customer' }),
        lookup('parentaccountid', ['account']),
        lookup('parentcontactid', ['contact']),
      ],
      keys: [],
    },
    {
      logicalName: 'systemuser',
      entitySetName: 'systemusers',
      primaryId: 'systemuserid',
      primaryName: 'fullname',
      code: 0x5e,
      changeTracking: false,
      attributes: [
        { logicalName: 'systemuserid', type: 'Uniqueidentifier', custom: false, updatable: false },
        readOnly(date('createdon')),
        readOnly(date('modifiedon')),
        { logicalName: 'versionnumber', type: 'BigInt', custom: false, updatable: false },
        text('firstname', 64),
        text('lastname', 64),
        readOnly(text('fullname', 200)),
        text('internalemailaddress'),
        bool('isdisabled', false),
      ],
      keys: [],
    },
    activity('phonecall', 'phonecalls', 0x4c),
    activity('email', 'emails', 0x3e),
    activity('task', 'tasks', 0x7a),
    activity('appointment', 'appointments', 0xa9),
  ];
  return new Map(entities.map((e) => [e.logicalName, e]));
}

export function attributeOf(entity: EntityDef, name: string): AttributeDef | undefined {
  return entity.attributes.find((a) => a.logicalName === name);
}

export function isLookup(a: AttributeDef): boolean {
  return a.type === 'Lookup' || a.type === 'Customer' || a.type === 'Owner';
}

export function hasOptions(a: AttributeDef): boolean {
  return (
    a.type === 'Picklist' ||
    a.type === 'MultiSelectPicklist' ||
    a.type === 'State' ||
    a.type === 'Status' ||
    a.type === 'Boolean'
  );
}
