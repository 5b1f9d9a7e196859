import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import {
  ALL_STREAMS,
  EXPECTED_CLUSTERS,
  HUBSPOT_CONTACTS,
  MERGE_CREATED,
  SALESFORCE_CONTACTS,
} from './crm-fixture.js';
import { buildModels, customerOf, idText, loadStream, openFixtureWarehouse, rows } from './model-fixture.js';

async function clusters(warehouse: DuckdbWarehouse): Promise<string[][]> {
  const out = await rows(
    warehouse,
    "select string_agg(record_key, ' ' order by record_key) as members from analytics.customer_sources group by customer_id order by members",
  );
  return out.map((r) => String(r['members']).split(' '));
}

const sorted = (groups: readonly (readonly string[])[]): string[][] =>
  groups.map((g) => [...g].sort()).sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));

describe('identity resolution across HubSpot, Salesforce and Pipedrive', () => {
  let warehouse: DuckdbWarehouse;
  beforeAll(async () => {
    warehouse = await openFixtureWarehouse();
    for (const stream of ALL_STREAMS) await loadStream(warehouse, stream);
    await buildModels(warehouse);
  });
  afterAll(async () => {
    await warehouse.close();
  });

  it('forms exactly the planted clusters: transitive links, format variants, CRM merges and near-misses', async () => {
    expect(await clusters(warehouse)).toEqual(sorted(EXPECTED_CLUSTERS));
  });

  it('records the rule that linked each record', async () => {
    const rules = Object.fromEntries(
      (await rows(warehouse, 'select record_key, match_rule from analytics.customer_sources')).map((r) => [
        r['record_key'],
        r['match_rule'],
      ]),
    );
    expect(rules).toMatchObject({
      'hubspot:contacts:110': 'email',
      'salesforce:Contact:003A1': 'email',
      'pipedrive:persons:201': 'phone',
      'hubspot:contacts:102': 'name_company_domain',
      'salesforce:Lead:00QB1': 'name_company_domain',
      'hubspot:contacts:106': 'crm_merge',
      'salesforce:Lead:00QG1': 'crm_merge',
      'pipedrive:persons:203': 'phone',
      'hubspot:contacts:104': 'none',
      'salesforce:Contact:003C1': 'none',
      'hubspot:contacts:109': 'none',
    });
    // The deleted Salesforce contact is no customer source at all.
    expect(rules['salesforce:Contact:003F1']).toBeUndefined();
  });

  it('customer_id is the smallest record id (15 hex digits of md5(record key)) of the cluster; a record a merge created counts as the ids it replaced', async () => {
    for (const cluster of EXPECTED_CLUSTERS) {
      const expected = cluster
        .flatMap((record) => MERGE_CREATED[record] ?? [record])
        .map(idText)
        .sort()[0];
      for (const record of cluster) expect(await customerOf(warehouse, record)).toBe(expected);
    }
  });

  it('keeps survivor values by source priority, then recency, and the primary CRM ids', async () => {
    const customer = async (record: string) =>
      (
        await rows(
          warehouse,
          `select * from analytics.customers where customer_id = '${await customerOf(warehouse, record)}'`,
        )
      )[0];
    expect(await customer('hubspot:contacts:101')).toMatchObject({
      email: 'ada@acme.example.com',
      phone: '+14155550101',
      first_name: 'Ada',
      last_name: 'Lovelace',
      // Salesforce outranks HubSpot…
      job_title: 'Engineer',
      country: 'US',
      // …and where Salesforce has nothing, the newest HubSpot value wins (110 is newer than 101).
      city: 'Cambridge',
      company_domain: 'acme.example.com',
      // The primary (smallest) live id in each CRM: the others are in customer_sources.
      hubspot_contact_id: '101',
      salesforce_contact_id: '003A1',
      salesforce_lead_id: null,
      pipedrive_person_id: '201',
      crm_count: 3,
      record_count: 4,
      first_seen_at: '2023-12-01T00:00:00.000Z',
      last_modified_at: '2024-05-10T00:00:00.000Z',
    });
    // The archived merge loser 106 is part of the customer, never its HubSpot id.
    expect(await customer('hubspot:contacts:105')).toMatchObject({
      hubspot_contact_id: '105',
      salesforce_contact_id: '003D1',
      record_count: 3,
    });
    // The converted lead 00QG1 follows its contact but is no live lead id.
    expect(await customer('hubspot:contacts:107')).toMatchObject({
      phone: '+49305550107',
      company_domain: 'kernel.example.de',
      salesforce_contact_id: '003E1',
      salesforce_lead_id: null,
    });
  });

  it('unifies companies by domain, then by a name that maps to one domain', async () => {
    const companies = await rows(
      warehouse,
      'select company_key, name, employees, industry_group, hubspot_company_id, salesforce_account_id, pipedrive_organization_id, deal_count, won_deal_amount, open_deal_amount from analytics.companies where company_record_count > 0 order by company_key',
    );
    expect(companies).toEqual([
      {
        company_key: 'domain:acme.example.com',
        name: 'Acme, Inc.',
        employees: 300,
        industry_group: 'Software',
        hubspot_company_id: '501',
        salesforce_account_id: '001A',
        pipedrive_organization_id: '601',
        deal_count: 2,
        won_deal_amount: 50000,
        open_deal_amount: 20000,
      },
      {
        company_key: 'domain:kernel.example.de',
        name: 'Kernel Labs',
        employees: null,
        industry_group: 'Other',
        hubspot_company_id: null,
        salesforce_account_id: '001B',
        pipedrive_organization_id: null,
        deal_count: 0,
        won_deal_amount: 0,
        open_deal_amount: 0,
      },
      {
        company_key: 'name:initech',
        name: 'Initech',
        employees: null,
        industry_group: null,
        hubspot_company_id: null,
        salesforce_account_id: null,
        pipedrive_organization_id: '602',
        deal_count: 0,
        won_deal_amount: 0,
        open_deal_amount: 0,
      },
    ]);
  });

  it('passes every data test declared next to the shipped models', async () => {
    const { runDataTests, describeFailure } = await import('../../transform/data-tests/run-data-tests.js');
    const { bundledProject, FIXTURE_SOURCES, silentLog } = await import('./model-fixture.js');
    const { defaultModelsConfig } = await import('../../config/models-defaults.js');
    const summary = await runDataTests({
      warehouse,
      project: bundledProject(),
      config: defaultModelsConfig(),
      sources: FIXTURE_SOURCES,
      runId: 't',
      runStartedAt: new Date('2024-06-01T00:00:00.000Z'),
      log: silentLog,
    });
    const failing = summary.results.filter((r) => r.status !== 'pass').map(describeFailure);
    expect(failing).toEqual([]);
    expect(summary.results.length).toBeGreaterThan(40);
  });
});

describe('identity resolution over time and configuration', () => {
  it('keeps customer ids stable across runs, and only the touched cluster changes after an edit', async () => {
    const warehouse = await openFixtureWarehouse();
    try {
      for (const stream of ALL_STREAMS) await loadStream(warehouse, stream);
      await buildModels(warehouse, { runId: 'run-1' });
      const before = await rows(
        warehouse,
        'select record_key, customer_id from analytics.customer_sources order by record_key',
      );
      await buildModels(warehouse, { runId: 'run-2' });
      expect(
        await rows(
          warehouse,
          'select record_key, customer_id from analytics.customer_sources order by record_key',
        ),
      ).toEqual(before);

      // Pipedrive 204 gets a real email that HubSpot 108 (Margaret) has: the two merge, nothing else moves.
      await loadStream(warehouse, {
        source: 'pipedrive',
        stream: 'persons',
        types: {},
        records: [
          {
            id: '204',
            at: '2024-05-20T00:00:00.000Z',
            fields: { name: 'Margaret Hamilton', primary_email: 'MARGARET@apollo.example.com' },
          },
        ],
      });
      const run = await buildModels(warehouse, { runId: 'run-3' });
      expect(run.results.find((r) => r.name === 'stg_pipedrive_persons')).toMatchObject({
        mode: 'incremental',
      });
      const after = new Map(
        (await rows(warehouse, 'select record_key, customer_id from analytics.customer_sources')).map((r) => [
          r['record_key'],
          r['customer_id'],
        ]),
      );
      expect(after.get('pipedrive:persons:204')).toBe(
        [idText('hubspot:contacts:108'), idText('pipedrive:persons:204')].sort()[0],
      );
      for (const row of before) {
        if (row['record_key'] === 'pipedrive:persons:204' || row['record_key'] === 'hubspot:contacts:108')
          continue;
        expect(after.get(row['record_key'] as string)).toBe(row['customer_id']);
      }
    } finally {
      await warehouse.close();
    }
  });

  it('builds every model with only HubSpot configured; other CRMs contribute nothing', async () => {
    const warehouse = await openFixtureWarehouse();
    try {
      // Salesforce tables exist in the warehouse, but Salesforce is not configured.
      await loadStream(warehouse, HUBSPOT_CONTACTS);
      await loadStream(warehouse, SALESFORCE_CONTACTS);
      const run = await buildModels(warehouse, { sources: [{ name: 'hubspot', kind: 'hubspot' }] });
      expect(run.status).toBe('ok');
      expect(await rows(warehouse, 'select distinct crm from analytics.customer_sources')).toEqual([
        { crm: 'hubspot' },
      ]);
      // 15 HubSpot records: 101+110 (email), 105+106 (merge), 121…125 (chain) and six on their own → 9.
      expect(await rows(warehouse, 'select count(*) as n from analytics.customers')).toEqual([{ n: 9 }]);
      expect(await rows(warehouse, 'select count(*) as n from analytics.customer_scores')).toEqual([
        { n: 9 },
      ]);
    } finally {
      await warehouse.close();
    }
  });

  it('follows config: a field priority override changes that field only', async () => {
    const warehouse = await openFixtureWarehouse();
    try {
      for (const stream of ALL_STREAMS) await loadStream(warehouse, stream);
      await buildModels(warehouse, { config: { fieldPriority: { job_title: ['hubspot'] } } });
      const [ada] = await rows(
        warehouse,
        `select job_title, phone from analytics.customers where customer_id = '${await customerOf(warehouse, 'hubspot:contacts:101')}'`,
      );
      expect(ada).toEqual({ job_title: 'CTO', phone: '+14155550101' });
    } finally {
      await warehouse.close();
    }
  });
});
