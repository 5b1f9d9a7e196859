import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import { hs, sf } from './identity-rules-fixture.js';
import {
  buildModels,
  customerOf,
  type FixtureStream,
  loadStream,
  openFixtureWarehouse,
  rows,
} from './model-fixture.js';

/**
 * The namesake guard "one CRM holds the name twice" (models/intermediate/int_identity_edges.sql,
 * name_anchors): two unmerged records of one CRM with one name at one company may be two people, so
 * the name rules link none of that name's records there — unless those two records share an email or
 * a personal phone: then they are that CRM's unmerged duplicates of one person, and another CRM's
 * record of the name joins them.
 */
const SITE = 'https://umbrella.example.com';

const STREAMS: readonly FixtureStream[] = [
  {
    source: 'salesforce',
    stream: 'Account',
    types: { CreatedDate: 'timestamp', SystemModstamp: 'timestamp' },
    records: [sf('001U', { Name: 'Umbrella Inc', Website: SITE })],
  },
  {
    source: 'hubspot',
    stream: 'contacts',
    types: { createdate: 'timestamp', lastmodifieddate: 'timestamp' },
    records: [
      // Lena twice in HubSpot with one email (an unmerged duplicate), once in Salesforce: one person.
      hs('1', { firstname: 'Lena', lastname: 'Lund', email: 'lena.lund@umbrella.example.com' }),
      hs('2', {
        firstname: 'Lena',
        lastname: 'Lund',
        email: 'Lena.Lund@umbrella.example.com ',
        website: SITE,
      }),
      // Nils twice in HubSpot with one mobile: one person, with his Salesforce contact.
      hs('3', { firstname: 'Nils', lastname: 'Nord', phone: '+1 415 555 0188', website: SITE }),
      hs('4', { firstname: 'Nils', lastname: 'Nord', phone: '(415) 555-0188', website: SITE }),
      // Max twice in HubSpot sharing nothing: maybe two Max Mosses, so the Salesforce one joins neither.
      hs('5', { firstname: 'Max', lastname: 'Moss', email: 'max.moss@umbrella.example.com' }),
      hs('6', { firstname: 'Max', lastname: 'Moss', phone: '+1 415 555 0177', website: SITE }),
    ],
  },
  {
    source: 'salesforce',
    stream: 'Contact',
    types: { CreatedDate: 'timestamp', SystemModstamp: 'timestamp', IsDeleted: 'boolean' },
    records: [
      sf('003L', { FirstName: 'Lena', LastName: 'Lund', AccountId: '001U' }),
      sf('003N', { FirstName: 'Nils', LastName: 'Nord', AccountId: '001U' }),
      sf('003M', { FirstName: 'Max', LastName: 'Moss', AccountId: '001U' }),
    ],
  },
];

describe('the "one CRM holds the name twice" guard', () => {
  let warehouse: DuckdbWarehouse;
  beforeAll(async () => {
    warehouse = await openFixtureWarehouse();
    for (const stream of STREAMS) await loadStream(warehouse, stream);
    await buildModels(warehouse);
  });
  afterAll(() => warehouse.close());

  it('lets another CRM join a CRM’s duplicates that share an email or a personal phone', async () => {
    const lena = await customerOf(warehouse, 'hubspot:contacts:1');
    expect(await customerOf(warehouse, 'hubspot:contacts:2')).toBe(lena);
    expect(await customerOf(warehouse, 'salesforce:Contact:003L')).toBe(lena);
    const nils = await customerOf(warehouse, 'hubspot:contacts:3');
    expect(await customerOf(warehouse, 'hubspot:contacts:4')).toBe(nils);
    expect(await customerOf(warehouse, 'salesforce:Contact:003N')).toBe(nils);
    expect(nils).not.toBe(lena);
    const rules = await rows(
      warehouse,
      `select record_key, match_rule from analytics.customer_sources
       where record_key in ('salesforce:Contact:003L', 'salesforce:Contact:003N') order by record_key`,
    );
    expect(rules.map((r) => r['match_rule'])).toEqual(['name_company_domain', 'name_company_domain']);
  });

  it('still keeps the name apart when the CRM’s two records share nothing', async () => {
    const max = new Set(
      await Promise.all(
        ['hubspot:contacts:5', 'hubspot:contacts:6', 'salesforce:Contact:003M'].map((k) =>
          customerOf(warehouse, k),
        ),
      ),
    );
    expect(max.size).toBe(3);
  });
});
