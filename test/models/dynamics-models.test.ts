import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../load/warehouse.js';
import {
  buildModels,
  customerOf,
  type FixtureRecord,
  type FixtureStream,
  loadStream,
  openFixtureWarehouse,
  rows,
} from './model-fixture.js';

/**
 * Dynamics 365 in the unified models: rows as the Dynamics source loads them (logical names, lookups
 * as lower-case GUIDs with `<name>_type` when polymorphic, choices with `<name>_label`) joining
 * identity resolution, companies, deals, engagement, scores and quality metrics next to HubSpot.
 */
const T = (day: string): string => `2024-${day}T00:00:00.000Z`;
const G = (n: number): string => `c05eed00-0000-4000-8000-${String(n).padStart(12, '0')}`;
const A = (n: number): string => `a05eed00-0000-4000-8000-${String(n).padStart(12, '0')}`;
const L = (n: number): string => `1e5eed00-0000-4000-8000-${String(n).padStart(12, '0')}`;

function row(id: string, at: string, fields: Record<string, unknown>): FixtureRecord {
  return { id, at, fields: { createdon: T('01-01'), modifiedon: at, ...fields } };
}
const TIMES = { createdon: 'timestamp', modifiedon: 'timestamp' } as const;

const CONTACTS: FixtureStream = {
  source: 'dynamics',
  stream: 'contacts',
  types: { ...TIMES, merged: 'boolean' },
  records: [
    // Same person as HubSpot 901 (email in another case): one customer.
    row(G(1), T('05-01'), {
      firstname: 'Hedy',
      lastname: 'Lamarr',
      emailaddress1: 'HEDY@Films.example.com',
      telephone1: '+1 (212) 555-0101',
      parentcustomerid: A(1).toUpperCase(),
      parentcustomerid_type: 'account',
      merged: false,
    }),
    // Qualified from lead L(1): the lead follows this contact (crm_merge).
    row(G(2), T('05-02'), {
      firstname: 'Katherine',
      lastname: 'Johnson',
      emailaddress1: 'katherine@nasa.example.gov',
      originatingleadid: L(1),
      merged: false,
    }),
    // Merged into G(2) by Dynamics (inactive, masterid set): follows G(2).
    row(G(3), T('05-03'), {
      firstname: 'Katherine',
      lastname: 'Johnson',
      emailaddress1: 'kj@old.example.com',
      masterid: G(2),
      merged: true,
    }),
  ],
};
const LEADS: FixtureStream = {
  source: 'dynamics',
  stream: 'leads',
  types: { ...TIMES, merged: 'boolean' },
  records: [
    row(L(1), T('04-01'), {
      firstname: 'Kathy',
      lastname: 'Johnson',
      emailaddress1: 'kj.lead@nasa.example.gov',
      companyname: 'NASA',
      statecode_label: 'Qualified',
      merged: false,
    }),
  ],
};
const ACCOUNTS: FixtureStream = {
  source: 'dynamics',
  stream: 'accounts',
  types: { ...TIMES, numberofemployees: 'integer', revenue: 'number' },
  records: [
    row(A(1), T('03-01'), {
      name: 'Films Inc',
      websiteurl: 'https://www.films.example.com',
      industrycode_label: 'Media',
      numberofemployees: 1500,
      revenue: 2_000_000,
    }),
  ],
};
const OPPORTUNITIES: FixtureStream = {
  source: 'dynamics',
  stream: 'opportunities',
  types: {
    ...TIMES,
    estimatedvalue: 'number',
    actualvalue: 'number',
    statecode: 'integer',
    actualclosedate: 'date',
  },
  records: [
    row('0e5eed00-0000-4000-8000-000000000001', T('05-05'), {
      name: 'Films renewal',
      estimatedvalue: 50_000,
      actualvalue: 60_000,
      statecode: 1,
      actualclosedate: '2024-05-05',
      customerid: A(1),
      customerid_type: 'account',
      parentcontactid: G(1),
    }),
  ],
};
const PHONECALLS: FixtureStream = {
  source: 'dynamics',
  stream: 'phonecalls',
  types: { ...TIMES, actualend: 'timestamp', scheduledstart: 'timestamp' },
  records: [
    row('4c5eed00-0000-4000-8000-000000000001', T('05-20'), {
      regardingobjectid: G(1),
      regardingobjectid_type: 'contact',
      actualend: T('05-20'),
    }),
  ],
};
const HUBSPOT: FixtureStream = {
  source: 'hubspot',
  stream: 'contacts',
  types: { createdate: 'timestamp', lastmodifieddate: 'timestamp' },
  records: [
    {
      id: '901',
      at: T('05-01'),
      fields: {
        email: 'hedy@films.example.com',
        firstname: 'Hedy',
        lastname: 'Lamarr',
        createdate: T('01-01'),
        lastmodifieddate: T('05-01'),
      },
    },
  ],
};

let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await openFixtureWarehouse();
  for (const stream of [CONTACTS, LEADS, ACCOUNTS, OPPORTUNITIES, PHONECALLS, HUBSPOT])
    await loadStream(warehouse, stream);
  await buildModels(warehouse, {
    sources: [
      { name: 'hubspot', kind: 'hubspot' },
      { name: 'dynamics', kind: 'dynamics' },
    ],
  });
});
afterAll(() => warehouse.close());

describe('Dynamics 365 in the unified models', () => {
  it('joins identity resolution: an email match across CRMs, a qualified lead and a merged contact', async () => {
    expect(await customerOf(warehouse, `dynamics:contacts:${G(1)}`)).toBe(
      await customerOf(warehouse, 'hubspot:contacts:901'),
    );
    const katherine = await customerOf(warehouse, `dynamics:contacts:${G(2)}`);
    expect(await customerOf(warehouse, `dynamics:leads:${L(1)}`)).toBe(katherine);
    expect(await customerOf(warehouse, `dynamics:contacts:${G(3)}`)).toBe(katherine);
    const rules = await rows(
      warehouse,
      `select record_key, match_rule from analytics.customer_sources where crm = 'dynamics' order by record_key`,
    );
    expect(rules).toEqual([
      { record_key: `dynamics:contacts:${G(1)}`, match_rule: 'email' },
      { record_key: `dynamics:contacts:${G(2)}`, match_rule: 'crm_merge' },
      { record_key: `dynamics:contacts:${G(3)}`, match_rule: 'crm_merge' },
      { record_key: `dynamics:leads:${L(1)}`, match_rule: 'crm_merge' },
    ]);
    const [hedy] = await rows(
      warehouse,
      `select dynamics_contact_id, hubspot_contact_id, crm_count, phone from analytics.customers where dynamics_contact_id = '${G(1)}'`,
    );
    expect(hedy).toEqual({
      dynamics_contact_id: G(1),
      hubspot_contact_id: '901',
      crm_count: 2,
      phone: '+12125550101',
    });
    const [kath] = await rows(
      warehouse,
      `select dynamics_contact_id, dynamics_lead_id from analytics.customers where dynamics_contact_id = '${G(2)}'`,
    );
    // The qualified lead lives on as the contact: it is merged, so it lends the customer no lead id.
    expect(kath).toEqual({ dynamics_contact_id: G(2), dynamics_lead_id: null });
  });

  it('accounts become companies, opportunities deals of that company, calls engagement; scores carry the contact id', async () => {
    const [company] = await rows(
      warehouse,
      `select domain, industry_group, employees, dynamics_account_id, deal_count, won_deal_amount from analytics.companies where dynamics_account_id is not null`,
    );
    expect(company).toMatchObject({
      domain: 'films.example.com',
      dynamics_account_id: A(1),
      deal_count: 1,
      won_deal_amount: 60_000,
      employees: 1500,
    });
    const [deal] = await rows(
      warehouse,
      `select crm, status, amount, stage from analytics.deals where crm = 'dynamics'`,
    );
    expect(deal).toMatchObject({ crm: 'dynamics', status: 'won', amount: 60_000 });
    const [score] = await rows(
      warehouse,
      `select dynamics_contact_id, activities_recent, won_deal_amount from analytics.customer_scores where dynamics_contact_id = '${G(1)}'`,
    );
    expect(score).toEqual({ dynamics_contact_id: G(1), activities_recent: 1, won_deal_amount: 60_000 });
  });

  it('quality metrics count Dynamics people, companies and deals', async () => {
    const crms = await rows(
      warehouse,
      `select distinct crm, object from staging.int_quality_records where crm = 'dynamics' order by object`,
    );
    expect(crms.map((r) => r.object)).toEqual(['accounts', 'contacts', 'leads', 'opportunities']);
  });
});
