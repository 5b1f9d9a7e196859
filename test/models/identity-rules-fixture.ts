import type { FixtureRecord, FixtureStream } from './model-fixture.js';

/**
 * One small world per identity rule of issue #19: a switchboard, phone extensions, namesakes with
 * conflicting evidence, a company known only by name, generational suffixes, nicknames, and records
 * for the overrides file. Each record's comment says what must happen to it.
 */
export const T = '2024-03-01T00:00:00.000Z';
export const hs = (id: string, fields: Record<string, unknown>): FixtureRecord => ({
  id,
  at: T,
  fields: { createdate: T, lastmodifieddate: T, ...fields },
});
export const sf = (id: string, fields: Record<string, unknown>): FixtureRecord => ({
  id,
  at: T,
  fields: { Id: id, CreatedDate: T, SystemModstamp: T, IsDeleted: false, ...fields },
});
const pd = (id: string, fields: Record<string, unknown>): FixtureRecord => ({
  id,
  at: T,
  fields: { id: Number(id), add_time: T, update_time: T, ...fields },
});

export const SWITCHBOARD = '+1 650 555 0100';

export const RULES_STREAMS: readonly FixtureStream[] = [
  {
    source: 'hubspot',
    stream: 'companies',
    types: { createdate: 'timestamp', hs_lastmodifieddate: 'timestamp' },
    records: [hs('601', { name: 'Globex Corp', domain: 'globex.example.com', phone: SWITCHBOARD })],
  },
  {
    source: 'salesforce',
    stream: 'Account',
    types: { CreatedDate: 'timestamp', SystemModstamp: 'timestamp' },
    records: [
      sf('001G', {
        Name: 'Globex Corporation',
        Website: 'https://globex.example.com',
        Phone: '(650) 555-0100',
      }),
    ],
  },
  {
    source: 'pipedrive',
    stream: 'organizations',
    types: { add_time: 'timestamp', update_time: 'timestamp' },
    // No website: Initrode is known only by its name, spelt differently in each CRM.
    records: [pd('701', { name: 'Initrode GmbH' })],
  },
  {
    source: 'hubspot',
    stream: 'contacts',
    types: { createdate: 'timestamp', lastmodifieddate: 'timestamp' },
    records: [
      // The switchboard is Globex's main number: it links neither Alice to Bert...
      hs('1', { firstname: 'Alice', lastname: 'Adams', phone: SWITCHBOARD, website: 'globex.example.com' }),
      hs('2', { firstname: 'Bert', lastname: 'Brown', phone: SWITCHBOARD }),
      // ...but supports a name: Carol on it in two CRMs, without any company, is one person.
      hs('3', { firstname: 'Carol', lastname: 'Clark', phone: SWITCHBOARD }),
      // Extension 12 is Dan's own number (one person with Pipedrive 302); Erin has extension 13.
      hs('4', { firstname: 'Dan', lastname: 'Drake', phone: '+1 650 555 0100 ext. 12' }),
      // Two John Smiths at Globex with their own phones: namesakes (Salesforce 003J is the other).
      hs('5', {
        firstname: 'John',
        lastname: 'Smith',
        email: 'john.smith@globex.example.com',
        phone: '+1 415 555 0144',
      }),
      // Initrode has no domain: matched with Pipedrive 303 by name and company name.
      hs('6', {
        firstname: 'Frida',
        lastname: 'Fox',
        company: 'INITRODE, LLC',
        email: 'frida.fox@gmail.com',
      }),
      // Father and son at Initrode: never one person, not even with near names on.
      hs('7', { firstname: 'Sam', lastname: 'Stone Jr.', company: 'Initrode' }),
      // Bob at Globex is Robert (Salesforce 003B) only with near names on.
      hs('8', { firstname: 'Bob', lastname: 'Baker', website: 'https://www.globex.example.com' }),
      // Gina's two records share nothing: the overrides file says they are one person.
      hs('9', { firstname: 'Gina', lastname: 'Gold', email: 'gina@gold.example.net' }),
      // Kim's three records share one email; the overrides file says 10 and Salesforce 003K differ.
      hs('10', { firstname: 'Kim', lastname: 'Kwan', email: 'kim@globex.example.com' }),
    ],
  },
  {
    source: 'salesforce',
    stream: 'Contact',
    types: { CreatedDate: 'timestamp', SystemModstamp: 'timestamp', IsDeleted: 'boolean' },
    records: [
      sf('003E', { FirstName: 'Erin', LastName: 'Eve', Phone: '(650) 555-0100 x13' }),
      sf('003J', { FirstName: 'John', LastName: 'Smith', AccountId: '001G', Phone: '+1 415 555 0199' }),
      sf('003B', { FirstName: 'Robert', LastName: 'Baker', AccountId: '001G' }),
      sf('003K', { FirstName: 'Kim', LastName: 'Kwan', Email: 'KIM@globex.example.com', AccountId: '001G' }),
    ],
  },
  {
    source: 'salesforce',
    stream: 'Lead',
    types: { CreatedDate: 'timestamp', SystemModstamp: 'timestamp', IsDeleted: 'boolean' },
    records: [sf('00QS', { FirstName: 'Sam', LastName: 'Stone, Sr.', Company: 'Initrode GmbH' })],
  },
  {
    source: 'pipedrive',
    stream: 'persons',
    types: { add_time: 'timestamp', update_time: 'timestamp', emails: 'json', phones: 'json' },
    records: [
      pd('301', { name: 'Carol Clark', phones: [{ value: '650-555-0100', primary: true }] }),
      pd('302', { name: 'Dan Drake', phones: [{ value: '650.555.0100 #12', primary: true }] }),
      pd('303', { name: 'Frida Fox', org_id: '701' }),
      pd('304', { name: 'Gina Goldberg', primary_email: 'g.goldberg@example.org' }),
      pd('305', { name: 'Kim Kwan', primary_email: 'kim@globex.example.com' }),
    ],
  },
];

/** The customers the rules must form (records not listed are customers on their own). */
export const RULES_CLUSTERS: readonly (readonly string[])[] = [
  ['hubspot:contacts:3', 'pipedrive:persons:301'],
  ['hubspot:contacts:4', 'pipedrive:persons:302'],
  ['hubspot:contacts:6', 'pipedrive:persons:303'],
  ['hubspot:contacts:10', 'pipedrive:persons:305', 'salesforce:Contact:003K'],
];

export const OVERRIDES_CSV = `kind,crm,id,other_crm,other_id,note
# Gina Gold and Gina Goldberg married: one person (checked by sales)
must_link,hubspot,9,pipedrive,304,
cannot_link,hubspot,10,salesforce,003K,"two Kim Kwans share the team inbox, says the account owner"
`;
