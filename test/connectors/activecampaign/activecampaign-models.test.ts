import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckdbWarehouse } from '../../../load/duckdb/duckdb-warehouse.js';
import { ALL_STREAMS } from '../../models/crm-fixture.js';
import {
  buildModels,
  customerOf,
  type FixtureStream,
  idText,
  loadStream,
  openFixtureWarehouse,
  rows,
} from '../../models/model-fixture.js';

const T = (day: string): string => `2024-${day}T00:00:00.000Z`;
const ac = (id: string, at: string, fields: Record<string, unknown>, deleted = false) => ({
  id,
  at,
  deleted,
  fields,
});

/** ActiveCampaign raw streams, as the source emits them (field names of the API; custom fields by title). */
const AC_STREAMS: readonly FixtureStream[] = [
  {
    source: 'activecampaign',
    stream: 'contacts',
    types: { cdate: 'timestamp', udate: 'timestamp' },
    records: [
      // Ada again (HubSpot 101): the same email in another case; her company only through the link.
      ac('1', T('05-20'), {
        email: 'ADA@acme.example.com',
        firstName: 'Ada',
        lastName: 'Lovelace',
        phone: '',
        cdate: T('01-01'),
        udate: T('05-20'),
        'Job Title': 'CTO',
        City: null,
      }),
      // Someone only ActiveCampaign knows, and a contact deleted for good (reconciled).
      ac('2', T('05-21'), {
        email: 'zed@zeta.example.org',
        firstName: 'Zed',
        lastName: 'Zeta',
        phone: '+44 20 7946 0000',
        cdate: T('02-01'),
        udate: null,
      }),
      ac(
        '3',
        T('05-22'),
        {
          email: 'gone@acme.example.com',
          firstName: 'Gone',
          lastName: 'Away',
          cdate: T('02-01'),
          udate: T('05-22'),
        },
        true,
      ),
    ],
  },
  {
    source: 'activecampaign',
    stream: 'account_contacts',
    types: { createdTimestamp: 'timestamp', updatedTimestamp: 'timestamp' },
    records: [
      ac('10', T('05-20'), {
        account: '50',
        contact: '1',
        jobTitle: 'Chief Technology Officer',
        updatedTimestamp: T('05-20'),
      }),
    ],
  },
  {
    source: 'activecampaign',
    stream: 'accounts',
    types: {
      Employees: 'number',
      'Annual Revenue': 'number',
      createdTimestamp: 'timestamp',
      updatedTimestamp: 'timestamp',
    },
    records: [
      ac('50', T('03-01'), {
        name: 'ACME',
        accountUrl: 'https://www.acme.example.com',
        Industry: 'Software',
        Employees: 280,
        'Annual Revenue': 900_000_000,
        updatedTimestamp: T('03-01'),
      }),
    ],
  },
  {
    source: 'activecampaign',
    stream: 'deals',
    types: { value: 'number', cdate: 'timestamp', mdate: 'timestamp' },
    records: [
      ac('70', T('05-01'), {
        title: 'Acme renewal',
        value: 1_000_000,
        status: '1',
        stage: '3',
        contact: '1',
        account: '50',
        cdate: T('04-01'),
        mdate: T('05-01'),
      }),
    ],
  },
  {
    source: 'activecampaign',
    stream: 'notes',
    types: { cdate: 'timestamp', mdate: 'timestamp' },
    records: [
      ac('90', T('05-25'), {
        note: 'Call about the renewal',
        relid: '1',
        reltype: 'Subscriber',
        cdate: T('05-25'),
        mdate: T('05-25'),
      }),
      ac('91', T('05-25'), {
        note: 'On the deal',
        relid: '70',
        reltype: 'Deal',
        cdate: T('05-25'),
        mdate: T('05-25'),
      }),
    ],
  },
];

describe('ActiveCampaign in the models: identity, companies, deals, scores, quality', () => {
  let warehouse: DuckdbWarehouse;
  const score = async (record: string) =>
    (
      await rows(
        warehouse,
        `select * from analytics.customer_scores where customer_id = '${await customerOf(warehouse, record)}'`,
      )
    )[0];

  beforeAll(async () => {
    warehouse = await openFixtureWarehouse();
    for (const stream of [...ALL_STREAMS, ...AC_STREAMS]) await loadStream(warehouse, stream);
    await buildModels(warehouse);
  });
  afterAll(async () => {
    await warehouse.close();
  });

  it('an ActiveCampaign contact joins the customer it is, and carries its id to customers and scores', async () => {
    const ada = await customerOf(warehouse, 'hubspot:contacts:101');
    expect(await customerOf(warehouse, 'activecampaign:contacts:1')).toBe(ada);
    const [customer] = await rows(
      warehouse,
      `select * from analytics.customers where customer_id = '${ada}'`,
    );
    expect(customer).toMatchObject({ activecampaign_contact_id: '1' });
    expect(Number(customer?.['crm_count'])).toBe(4);
    expect(await score('hubspot:contacts:101')).toMatchObject({ activecampaign_contact_id: '1' });
    // Only ActiveCampaign knows Zed: a customer of one record; the deleted contact is nobody.
    expect(await customerOf(warehouse, 'activecampaign:contacts:2')).toBe(
      idText('activecampaign:contacts:2'),
    );
    await expect(customerOf(warehouse, 'activecampaign:contacts:3')).rejects.toThrow(/no customer source/);
  });

  it('its account unifies with Acme by domain; its won deal and its note count for Ada’s score', async () => {
    const [deal] = await rows(warehouse, `select * from analytics.deals where crm = 'activecampaign'`);
    expect(deal).toMatchObject({ name: 'Acme renewal', status: 'won', amount: 10000 });
    const [company] = await rows(
      warehouse,
      `select * from analytics.companies where activecampaign_account_id = '50'`,
    );
    expect(company).toMatchObject({ domain: 'acme.example.com', company_id: deal?.['company_id'] });
    // Without ActiveCampaign, Ada has 3 recent activities and 50,000 won (test/models/customer-scores
    // .test.ts): the note on her is one more (the note on the deal has no person), the deal 10,000 more.
    expect(await score('hubspot:contacts:101')).toMatchObject({
      activities_recent: 4,
      won_deal_amount: 60000,
    });
  });

  it('quality metrics measure the ActiveCampaign objects', async () => {
    const metrics = await rows(
      warehouse,
      `select object, record_count from analytics.quality_metrics where source_name = 'activecampaign' order by object`,
    );
    expect(metrics).toEqual([
      { object: 'accounts', record_count: 1 },
      { object: 'contacts', record_count: 2 },
      { object: 'deals', record_count: 1 },
    ]);
  });
});
