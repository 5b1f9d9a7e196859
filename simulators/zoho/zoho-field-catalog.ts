/**
 * The modules the simulated Zoho org has and their fields, as `GET /crm/v8/settings/fields` describes
 * them (shape: zoho/crm-oas v8.0 fields getFields example). Field API names are per org in Zoho; these
 * are the standard ones of a new org plus a few custom fields (`custom_field: true`).
 */
export const MODULES = [
  'Leads',
  'Contacts',
  'Accounts',
  'Deals',
  'Tasks',
  'Calls',
  'Events',
  'Notes',
] as const;
export type ModuleName = (typeof MODULES)[number];

export type DataType =
  | 'text'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'website'
  | 'picklist'
  | 'multiselectpicklist'
  | 'integer'
  | 'bigint'
  | 'double'
  | 'currency'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'lookup'
  | 'ownerlookup'
  | 'formula';

export interface FieldDef {
  readonly api_name: string;
  readonly label: string;
  readonly data_type: DataType;
  readonly length?: number;
  readonly custom?: boolean;
  readonly read_only?: boolean;
  readonly mandatory?: boolean;
  readonly unique?: boolean;
  readonly options?: readonly string[];
  /** For lookups: the module the id points into. */
  readonly lookup?: string;
  readonly decimals?: number;
  /** Sim clock time the definition was created or last changed (custom fields). */
  readonly createdMs?: number;
}

const OWNER: FieldDef = { api_name: 'Owner', label: 'Owner', data_type: 'ownerlookup', lookup: 'users' };
const TIMES: readonly FieldDef[] = [
  { api_name: 'Created_Time', label: 'Created Time', data_type: 'datetime', read_only: true },
  { api_name: 'Modified_Time', label: 'Modified Time', data_type: 'datetime', read_only: true },
];
const text = (api_name: string, label: string, length = 255, extra: Partial<FieldDef> = {}): FieldDef => ({
  api_name,
  label,
  data_type: 'text',
  length,
  ...extra,
});
export const LEAD_SOURCES = ['Web', 'Trade Show', 'Partner', 'Cold Call', 'Advertisement'];
export const INDUSTRY_OPTIONS = [
  'Software',
  'Finance',
  'Healthcare',
  'Retail',
  'Manufacturing',
  'Education',
  'Logistics',
  'Media',
  'Energy',
  'Consulting',
];
export const STAGES = [
  'Qualification',
  'Needs Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
];
const TIERS = ['Gold', 'Silver', 'Bronze'];

/** The standard and custom fields of each module at start. */
export const STANDARD_FIELDS: Readonly<Record<ModuleName, readonly FieldDef[]>> = {
  Leads: [
    OWNER,
    text('Company', 'Company', 200, { mandatory: true }),
    text('First_Name', 'First Name', 40),
    text('Last_Name', 'Last Name', 80, { mandatory: true }),
    { api_name: 'Email', label: 'Email', data_type: 'email', length: 100, unique: true },
    { api_name: 'Phone', label: 'Phone', data_type: 'phone', length: 30 },
    { api_name: 'Mobile', label: 'Mobile', data_type: 'phone', length: 30 },
    text('Designation', 'Title', 100),
    { api_name: 'Website', label: 'Website', data_type: 'website', length: 255 },
    text('City', 'City', 100),
    text('Country', 'Country', 100),
    {
      api_name: 'Lead_Status',
      label: 'Lead Status',
      data_type: 'picklist',
      options: ['Not Contacted', 'Contacted', 'Qualified', 'Lost Lead'],
    },
    { api_name: 'Lead_Source', label: 'Lead Source', data_type: 'picklist', options: LEAD_SOURCES },
    { api_name: 'Industry', label: 'Industry', data_type: 'picklist', options: INDUSTRY_OPTIONS },
    { api_name: 'No_of_Employees', label: 'No. of Employees', data_type: 'integer' },
    { api_name: 'Annual_Revenue', label: 'Annual Revenue', data_type: 'currency', decimals: 2 },
    ...TIMES,
    { api_name: 'Tide_Score', label: 'Tide Score', data_type: 'integer', custom: true },
  ],
  Contacts: [
    OWNER,
    text('First_Name', 'First Name', 40),
    text('Last_Name', 'Last Name', 80, { mandatory: true }),
    { api_name: 'Email', label: 'Email', data_type: 'email', length: 100, unique: true },
    { api_name: 'Phone', label: 'Phone', data_type: 'phone', length: 30 },
    { api_name: 'Mobile', label: 'Mobile', data_type: 'phone', length: 30 },
    text('Title', 'Title', 100),
    { api_name: 'Account_Name', label: 'Account Name', data_type: 'lookup', lookup: 'Accounts' },
    text('Mailing_City', 'Mailing City', 100),
    text('Mailing_Country', 'Mailing Country', 100),
    { api_name: 'Lead_Source', label: 'Lead Source', data_type: 'picklist', options: LEAD_SOURCES },
    { api_name: 'Email_Opt_Out', label: 'Email Opt Out', data_type: 'boolean' },
    { api_name: 'Date_of_Birth', label: 'Date of Birth', data_type: 'date' },
    { api_name: 'Full_Name', label: 'Full Name', data_type: 'formula', read_only: true },
    ...TIMES,
    { api_name: 'Tide_Score', label: 'Tide Score', data_type: 'integer', custom: true },
    { api_name: 'Tide_Value', label: 'Tide Value', data_type: 'double', decimals: 2, custom: true },
    {
      api_name: 'Customer_Tier',
      label: 'Customer Tier',
      data_type: 'picklist',
      options: TIERS,
      custom: true,
    },
    {
      api_name: 'Interests',
      label: 'Interests',
      data_type: 'multiselectpicklist',
      options: ['CRM', 'ETL', 'BI'],
      custom: true,
    },
    // A hostile label: the API name is what Tide uses, the label must never reach SQL unquoted.
    text('Drop_Table_X', '"; drop table x; --', 255, { custom: true }),
  ],
  Accounts: [
    OWNER,
    text('Account_Name', 'Account Name', 200, { mandatory: true }),
    { api_name: 'Website', label: 'Website', data_type: 'website', length: 255 },
    { api_name: 'Industry', label: 'Industry', data_type: 'picklist', options: INDUSTRY_OPTIONS },
    { api_name: 'Employees', label: 'Employees', data_type: 'integer' },
    { api_name: 'Annual_Revenue', label: 'Annual Revenue', data_type: 'currency', decimals: 2 },
    { api_name: 'Phone', label: 'Phone', data_type: 'phone', length: 30 },
    text('Billing_City', 'Billing City', 100),
    text('Billing_Country', 'Billing Country', 100),
    ...TIMES,
  ],
  Deals: [
    OWNER,
    text('Deal_Name', 'Deal Name', 120, { mandatory: true }),
    { api_name: 'Stage', label: 'Stage', data_type: 'picklist', options: STAGES, mandatory: true },
    { api_name: 'Amount', label: 'Amount', data_type: 'currency', decimals: 2 },
    { api_name: 'Closing_Date', label: 'Closing Date', data_type: 'date' },
    { api_name: 'Probability', label: 'Probability (%)', data_type: 'integer' },
    { api_name: 'Account_Name', label: 'Account Name', data_type: 'lookup', lookup: 'Accounts' },
    { api_name: 'Contact_Name', label: 'Contact Name', data_type: 'lookup', lookup: 'Contacts' },
    ...TIMES,
  ],
  Tasks: [
    OWNER,
    text('Subject', 'Subject', 300, { mandatory: true }),
    { api_name: 'Due_Date', label: 'Due Date', data_type: 'date' },
    {
      api_name: 'Status',
      label: 'Status',
      data_type: 'picklist',
      options: ['Not Started', 'In Progress', 'Completed'],
    },
    { api_name: 'Who_Id', label: 'Contact Name', data_type: 'lookup', lookup: 'Contacts' },
    { api_name: 'What_Id', label: 'Related To', data_type: 'lookup', lookup: 'Leads' },
    text('$se_module', 'Related Module', 100, { read_only: true }),
    ...TIMES,
  ],
  Calls: [
    OWNER,
    text('Subject', 'Subject', 300, { mandatory: true }),
    { api_name: 'Call_Type', label: 'Call Type', data_type: 'picklist', options: ['Outbound', 'Inbound'] },
    { api_name: 'Call_Start_Time', label: 'Call Start Time', data_type: 'datetime' },
    text('Call_Duration', 'Call Duration', 10),
    { api_name: 'Who_Id', label: 'Contact Name', data_type: 'lookup', lookup: 'Contacts' },
    { api_name: 'What_Id', label: 'Related To', data_type: 'lookup', lookup: 'Leads' },
    text('$se_module', 'Related Module', 100, { read_only: true }),
    ...TIMES,
  ],
  Events: [
    OWNER,
    text('Event_Title', 'Title', 255, { mandatory: true }),
    { api_name: 'Start_DateTime', label: 'From', data_type: 'datetime' },
    { api_name: 'End_DateTime', label: 'To', data_type: 'datetime' },
    { api_name: 'Who_Id', label: 'Contact Name', data_type: 'lookup', lookup: 'Contacts' },
    { api_name: 'What_Id', label: 'Related To', data_type: 'lookup', lookup: 'Leads' },
    text('$se_module', 'Related Module', 100, { read_only: true }),
    ...TIMES,
  ],
  Notes: [
    OWNER,
    text('Note_Title', 'Note Title', 120),
    { api_name: 'Note_Content', label: 'Note Content', data_type: 'textarea', length: 32000 },
    { api_name: 'Parent_Id', label: 'Parent Id', data_type: 'lookup', lookup: 'Contacts' },
    text('$se_module', 'Related Module', 100, { read_only: true }),
    ...TIMES,
  ],
};

const JSON_TYPE: Readonly<Record<DataType, string>> = {
  text: 'string',
  textarea: 'string',
  email: 'string',
  phone: 'string',
  website: 'string',
  picklist: 'string',
  multiselectpicklist: 'jsonarray',
  integer: 'integer',
  bigint: 'string',
  double: 'double',
  currency: 'double',
  boolean: 'boolean',
  date: 'string',
  datetime: 'string',
  lookup: 'jsonobject',
  ownerlookup: 'jsonobject',
  formula: 'string',
};

/** One field as the fields API answers it (the keys the SDK reads, with Zoho's spellings). */
export function fieldJson(module: string, def: FieldDef, index: number): Record<string, unknown> {
  const readOnly = def.read_only === true || def.data_type === 'formula';
  return {
    api_name: def.api_name,
    field_label: def.label,
    display_label: def.label,
    id: `4150868000000${String(index + 1).padStart(6, '0')}`,
    data_type: def.data_type,
    json_type: JSON_TYPE[def.data_type],
    custom_field: def.custom === true,
    read_only: readOnly,
    field_read_only: readOnly,
    system_mandatory: def.mandatory === true,
    visible: true,
    type: 'used',
    length: def.length ?? (def.data_type === 'lookup' || def.data_type === 'ownerlookup' ? 120 : 16),
    decimal_place: def.decimals ?? null,
    unique: def.unique === true ? { casesensitive: 'false' } : {},
    pick_list_values: (def.options ?? []).map((value, i) => ({
      display_value: value,
      actual_value: value,
      reference_value: value,
      sequence_number: i + 1,
      id: `4150868000001${String(i + 1).padStart(6, '0')}`,
      type: 'used',
    })),
    lookup:
      def.lookup === undefined || def.data_type === 'ownerlookup'
        ? {}
        : {
            display_label: def.label,
            api_name: def.api_name,
            module: { api_name: def.lookup, id: `41508680000000${module.length}00000` },
            id: `4150868000002${String(index + 1).padStart(6, '0')}`,
          },
    formula: def.data_type === 'formula' ? { return_type: 'text', expression: 'First_Name & Last_Name' } : {},
    operation_type: {
      web_update: !readOnly,
      api_create: !readOnly,
      web_create: !readOnly,
      api_update: !readOnly,
    },
    created_source: def.custom === true ? 'crm' : 'default',
    created_time: def.createdMs === undefined ? null : new Date(def.createdMs).toISOString(),
    modified_time: def.createdMs === undefined ? null : new Date(def.createdMs).toISOString(),
  };
}
