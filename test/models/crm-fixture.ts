import type { FixtureRecord, FixtureStream } from './model-fixture.js';

/**
 * A small three-CRM world with planted duplicates and a known truth. Every record is written the
 * way its CRM's API returns it (HubSpot: strings; Salesforce: PascalCase fields; Pipedrive: email and
 * phone lists). The intended clusters are in EXPECTED_CLUSTERS; the comments say why.
 */
const T = (day: string): string => `2024-${day}T00:00:00.000Z`;

function hs(id: string, at: string, fields: Record<string, unknown>, deleted = false): FixtureRecord {
  return { id, at, deleted, fields: { createdate: T('01-01'), lastmodifieddate: at, ...fields } };
}
function sf(id: string, at: string, fields: Record<string, unknown>, deleted = false): FixtureRecord {
  return {
    id,
    at,
    deleted,
    fields: { Id: id, CreatedDate: T('01-01'), SystemModstamp: at, IsDeleted: deleted, ...fields },
  };
}
function pd(id: string, at: string, fields: Record<string, unknown>): FixtureRecord {
  return { id, at, fields: { id: Number(id), add_time: T('01-01'), update_time: at, ...fields } };
}

export const HUBSPOT_CONTACTS: FixtureStream = {
  source: 'hubspot',
  stream: 'contacts',
  types: { createdate: 'timestamp', lastmodifieddate: 'timestamp' },
  records: [
    // Ada: cluster 1 (email case variants, and a phone that links a Pipedrive person transitively).
    hs('101', T('05-01'), {
      email: 'ada@acme.example.com',
      firstname: 'Ada',
      lastname: 'Lovelace',
      website: 'acme.example.com',
      jobtitle: 'CTO',
      city: 'London',
    }),
    hs('110', T('05-10'), {
      email: 'Ada@Acme.Example.com',
      firstname: 'ada',
      lastname: 'Lovelace',
      city: 'Cambridge',
    }),
    // Grace: cluster 2, matched to a Salesforce lead only by full name + company domain.
    hs('102', T('04-01'), {
      firstname: 'Grace',
      lastname: 'Hopper',
      website: 'https://www.navy.example.org/about',
      company: 'US Navy',
    }),
    // Same name as Pipedrive 202, different company: must NOT merge.
    hs('103', T('03-01'), { email: 'alan@bletchley.example.com', firstname: 'Alan', lastname: 'Turing' }),
    // A shared inbox that Salesforce 003C1 (another person) also uses: must NOT merge.
    hs('104', T('03-01'), { email: 'info@unix.example.com', firstname: 'Ken', lastname: 'Thompson' }),
    // A HubSpot merge created 105 from 106 (hs_merged_object_ids): 106 follows 105, and its old
    // email then links SF 003D1. The customer keeps the id 106 gave it (MERGE_CREATED).
    hs('105', T('03-02'), {
      email: 'barbara@mit.example.edu',
      firstname: 'Barbara',
      lastname: 'Liskov',
      hs_merged_object_ids: '106',
    }),
    hs(
      '106',
      T('03-02'),
      { email: 'b.liskov@clu.example.com', firstname: 'Barbara', lastname: 'Liskov' },
      true,
    ),
    // Linus: cluster 8, one phone number written three ways in three CRMs.
    hs('107', T('03-01'), {
      firstname: 'Linus',
      lastname: 'Torvalds',
      phone: '+49 30 555 0107',
      country: 'DE',
    }),
    hs('108', T('03-01'), {
      email: 'margaret@apollo.example.com',
      firstname: 'Margaret',
      lastname: 'Hamilton',
      phone: '(617) 555-0108',
    }),
    // An invalid email is no match key: Pipedrive 204 has the same one and must NOT merge.
    hs('109', T('03-01'), { email: 'john@', firstname: 'John', lastname: 'McCarthy' }),
    // A chain: each record shares one key with the next only (email, phone, email, phone).
    hs('121', T('03-01'), { email: 'c1@chain.example.com', phone: '+1 202 555 0121' }),
    hs('122', T('03-01'), { email: 'c2@chain.example.com', phone: '+1 (202) 555-0121' }),
    hs('123', T('03-01'), { email: 'C2@chain.example.com', phone: '+1 202 555 0123' }),
    hs('124', T('03-01'), { email: 'c4@chain.example.com', phone: '202.555.0123' }),
    hs('125', T('03-01'), { email: 'c4@CHAIN.example.com' }),
  ],
};

export const HUBSPOT_COMPANIES: FixtureStream = {
  source: 'hubspot',
  stream: 'companies',
  types: {
    numberofemployees: 'number',
    annualrevenue: 'number',
    createdate: 'timestamp',
    hs_lastmodifieddate: 'timestamp',
  },
  records: [
    {
      id: '501',
      at: T('02-01'),
      fields: {
        name: 'Acme Inc',
        domain: 'ACME.example.com',
        industry: 'COMPUTER_SOFTWARE',
        numberofemployees: '250',
        hs_lastmodifieddate: T('02-01'),
      },
    },
  ],
};

export const HUBSPOT_DEALS: FixtureStream = {
  source: 'hubspot',
  stream: 'deals',
  types: {
    amount: 'number',
    closedate: 'timestamp',
    hs_lastmodifieddate: 'timestamp',
    associated_contact_ids: 'json',
    associated_company_ids: 'json',
  },
  records: [
    {
      id: '701',
      at: T('04-01'),
      fields: {
        dealname: 'Acme platform',
        amount: '50000',
        dealstage: 'closedwon',
        hs_lastmodifieddate: T('04-01'),
        associated_contact_ids: ['101'],
        associated_company_ids: ['501'],
      },
    },
  ],
};

export const HUBSPOT_CALLS: FixtureStream = {
  source: 'hubspot',
  stream: 'calls',
  types: { hs_timestamp: 'timestamp', associated_contact_ids: 'json' },
  records: [
    // 10 days before the run (2024-06-01): counts. 200 days before: outside the 90-day window.
    { id: '901', at: T('05-22'), fields: { hs_timestamp: T('05-22'), associated_contact_ids: ['101'] } },
    {
      id: '902',
      at: T('05-22'),
      fields: { hs_timestamp: '2023-11-14T00:00:00.000Z', associated_contact_ids: ['101'] },
    },
  ],
};

export const SALESFORCE_CONTACTS: FixtureStream = {
  source: 'salesforce',
  stream: 'Contact',
  types: { CreatedDate: 'timestamp', SystemModstamp: 'timestamp', IsDeleted: 'boolean' },
  records: [
    sf('003A1', T('03-01'), {
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Email: ' ADA@ACME.EXAMPLE.COM ',
      Phone: '415.555.0101',
      Title: 'Engineer',
      AccountId: '001A',
      MailingCountry: 'US',
      CreatedDate: '2023-12-01T00:00:00.000Z',
    }),
    sf('003C1', T('03-01'), { FirstName: 'Dennis', LastName: 'Ritchie', Email: 'INFO@unix.example.com' }),
    sf('003D1', T('03-01'), { FirstName: 'Barbara', LastName: 'Liskov', Email: 'B.Liskov@CLU.example.com' }),
    sf('003E1', T('03-01'), {
      FirstName: 'Linus',
      LastName: 'Torvalds',
      Phone: '030 5550107',
      MailingCountry: 'Germany',
      AccountId: '001B',
    }),
    // Deleted: it must not pull anything into Ada's cluster.
    sf('003F1', T('03-01'), { FirstName: 'Old', LastName: 'Ada', Email: 'ada@acme.example.com' }, true),
  ],
};

export const SALESFORCE_LEADS: FixtureStream = {
  source: 'salesforce',
  stream: 'Lead',
  types: {
    CreatedDate: 'timestamp',
    SystemModstamp: 'timestamp',
    IsConverted: 'boolean',
    IsDeleted: 'boolean',
  },
  records: [
    sf('00QB1', T('03-01'), {
      FirstName: 'Grace',
      LastName: 'Hopper',
      Email: 'grace@navy.example.org',
      Company: 'US Navy',
    }),
    // Converted into contact 003E1: follows it.
    sf('00QG1', T('03-01'), {
      FirstName: 'Linus',
      LastName: 'Torvalds',
      Email: 'linus.t@kernel.example.de',
      Company: 'Kernel Labs',
      IsConverted: true,
      ConvertedContactId: '003E1',
    }),
  ],
};

export const SALESFORCE_ACCOUNTS: FixtureStream = {
  source: 'salesforce',
  stream: 'Account',
  types: {
    NumberOfEmployees: 'number',
    AnnualRevenue: 'number',
    CreatedDate: 'timestamp',
    SystemModstamp: 'timestamp',
  },
  records: [
    sf('001A', T('02-02'), {
      Name: 'Acme, Inc.',
      Website: 'https://www.acme.example.com/en',
      Industry: 'Technology',
      NumberOfEmployees: 300,
    }),
    sf('001B', T('02-02'), { Name: 'Kernel Labs', Website: 'kernel.example.de', Industry: 'Other' }),
  ],
};

export const SALESFORCE_OPPORTUNITIES: FixtureStream = {
  source: 'salesforce',
  stream: 'Opportunity',
  types: {
    Amount: 'number',
    IsClosed: 'boolean',
    IsWon: 'boolean',
    CloseDate: 'date',
    SystemModstamp: 'timestamp',
  },
  records: [
    sf('006A', T('04-02'), {
      Name: 'Acme expansion',
      Amount: 20000,
      StageName: 'Prospecting',
      IsClosed: false,
      IsWon: false,
      AccountId: '001A',
      ContactId: '003A1',
      CloseDate: '2024-09-30',
    }),
  ],
};

export const SALESFORCE_TASKS: FixtureStream = {
  source: 'salesforce',
  stream: 'Task',
  types: { ActivityDate: 'date', SystemModstamp: 'timestamp' },
  records: [sf('00T1', T('05-27'), { WhoId: '003A1', ActivityDate: '2024-05-27' })],
};

export const PIPEDRIVE_PERSONS: FixtureStream = {
  source: 'pipedrive',
  stream: 'persons',
  types: { add_time: 'timestamp', update_time: 'timestamp', emails: 'json', phones: 'json' },
  records: [
    pd('201', T('03-01'), {
      name: 'Ada Lovelace',
      primary_email: 'ada.lovelace@gmail.com',
      emails: [{ value: 'ada.lovelace@gmail.com', primary: true, label: 'home' }],
      primary_phone: '+1 415 555 0101',
    }),
    pd('202', T('03-01'), { name: 'Alan Turing', primary_email: 'alan@enigma.example.com' }),
    // No primary_phone field: the phone comes from the phones list.
    pd('203', T('03-01'), {
      name: 'Linus Torvalds',
      phones: [{ value: '0049 30 5550107', primary: true, label: 'work' }],
    }),
    pd('204', T('03-01'), { name: 'John McCarthy', primary_email: 'john@' }),
    // Same name and company as HubSpot 103, but another work email there: a namesake, must NOT merge.
    pd('205', T('03-01'), { name: 'Alan Turing', primary_email: 'a.turing@bletchley.example.com' }),
  ],
};

export const PIPEDRIVE_ORGANIZATIONS: FixtureStream = {
  source: 'pipedrive',
  stream: 'organizations',
  types: { add_time: 'timestamp', update_time: 'timestamp' },
  records: [
    // No website: unified with Acme through its name, which maps to exactly one domain elsewhere.
    pd('601', T('02-03'), { name: 'Acme Inc' }),
    pd('602', T('02-03'), { name: 'Initech' }),
  ],
};

export const PIPEDRIVE_DEALS: FixtureStream = {
  source: 'pipedrive',
  stream: 'deals',
  types: { value: 'number', add_time: 'timestamp', update_time: 'timestamp' },
  records: [
    pd('801', T('04-03'), { title: 'Ada side project', value: 10000, status: 'lost', person_id: 201 }),
  ],
};

export const PIPEDRIVE_ACTIVITIES: FixtureStream = {
  source: 'pipedrive',
  stream: 'activities',
  types: {
    marked_as_done_time: 'timestamp',
    add_time: 'timestamp',
    update_time: 'timestamp',
    done: 'boolean',
  },
  records: [
    pd('1001', T('05-31'), { type: 'call', person_id: 201, done: true, marked_as_done_time: T('05-31') }),
  ],
};

export const ALL_STREAMS: readonly FixtureStream[] = [
  HUBSPOT_CONTACTS,
  HUBSPOT_COMPANIES,
  HUBSPOT_DEALS,
  HUBSPOT_CALLS,
  SALESFORCE_CONTACTS,
  SALESFORCE_LEADS,
  SALESFORCE_ACCOUNTS,
  SALESFORCE_OPPORTUNITIES,
  SALESFORCE_TASKS,
  PIPEDRIVE_PERSONS,
  PIPEDRIVE_ORGANIZATIONS,
  PIPEDRIVE_DEALS,
  PIPEDRIVE_ACTIVITIES,
];

/**
 * Records a CRM merge created under a new id, with the records they replaced: the customer's id is
 * the smallest of the replaced ids, never the new one (int_customer_map).
 */
export const MERGE_CREATED: Readonly<Record<string, readonly string[]>> = {
  'hubspot:contacts:105': ['hubspot:contacts:106'],
};

/** The truth: every live (or CRM-merged) person record, grouped by the real person it is. */
export const EXPECTED_CLUSTERS: readonly (readonly string[])[] = [
  ['hubspot:contacts:101', 'hubspot:contacts:110', 'salesforce:Contact:003A1', 'pipedrive:persons:201'],
  ['hubspot:contacts:102', 'salesforce:Lead:00QB1'],
  ['hubspot:contacts:103'],
  ['pipedrive:persons:202'],
  ['hubspot:contacts:104'],
  ['salesforce:Contact:003C1'],
  ['hubspot:contacts:105', 'hubspot:contacts:106', 'salesforce:Contact:003D1'],
  ['hubspot:contacts:107', 'salesforce:Contact:003E1', 'salesforce:Lead:00QG1', 'pipedrive:persons:203'],
  ['hubspot:contacts:108'],
  ['hubspot:contacts:109'],
  ['pipedrive:persons:204'],
  ['pipedrive:persons:205'],
  [
    'hubspot:contacts:121',
    'hubspot:contacts:122',
    'hubspot:contacts:123',
    'hubspot:contacts:124',
    'hubspot:contacts:125',
  ],
];
