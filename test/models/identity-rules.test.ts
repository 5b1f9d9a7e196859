import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModelsConfig } from '../../config/models-defaults.js';
import type { DuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import { runDataTests } from '../../transform/data-tests/run-data-tests.js';
import { parseIdentityOverrides } from '../../transform/project/identity-overrides.js';
import { OVERRIDES_CSV, RULES_CLUSTERS, RULES_STREAMS } from './identity-rules-fixture.js';
import {
  buildModels,
  bundledProject,
  FIXTURE_SOURCES,
  loadStream,
  openFixtureWarehouse,
  rows,
  silentLog,
} from './model-fixture.js';

/** Customers of more than one record, as sorted lists of record keys. */
async function groups(warehouse: DuckdbWarehouse): Promise<string[][]> {
  const out = await rows(
    warehouse,
    "select string_agg(record_key, ' ' order by record_key) as members from analytics.customer_sources group by customer_id having count(*) > 1 order by members",
  );
  return out.map((r) => String(r['members']).split(' '));
}
const sorted = (clusters: readonly (readonly string[])[]) =>
  clusters.map((c) => [...c].sort()).sort((a, b) => a[0]!.localeCompare(b[0]!));

async function rulesOf(warehouse: DuckdbWarehouse): Promise<Record<string, unknown>> {
  return Object.fromEntries(
    (await rows(warehouse, 'select record_key, match_rule from analytics.customer_sources')).map((r) => [
      r['record_key'],
      r['match_rule'],
    ]),
  );
}

async function loaded(): Promise<DuckdbWarehouse> {
  const warehouse = await openFixtureWarehouse();
  for (const stream of RULES_STREAMS) await loadStream(warehouse, stream);
  return warehouse;
}

describe('identity rules v2, near names off (the default)', () => {
  let warehouse: DuckdbWarehouse;
  beforeAll(async () => {
    warehouse = await loaded();
    await buildModels(warehouse);
  });
  afterAll(() => warehouse.close());

  it('links exactly what the rules allow: shared numbers, extensions, namesakes, company names, suffixes, nicknames', async () => {
    expect(await groups(warehouse)).toEqual(sorted(RULES_CLUSTERS));
  });

  it('names the rule that linked each record', async () => {
    expect(await rulesOf(warehouse)).toMatchObject({
      'hubspot:contacts:3': 'name_phone',
      'pipedrive:persons:301': 'name_phone',
      'hubspot:contacts:4': 'phone',
      'hubspot:contacts:6': 'name_company_name',
      'salesforce:Contact:003K': 'email',
      // Alone: a switchboard, another extension, namesakes, a father and son, a nickname.
      'hubspot:contacts:1': 'none',
      'hubspot:contacts:2': 'none',
      'salesforce:Contact:003E': 'none',
      'hubspot:contacts:5': 'none',
      'salesforce:Contact:003J': 'none',
      'hubspot:contacts:7': 'none',
      'salesforce:Lead:00QS': 'none',
      'hubspot:contacts:8': 'none',
      'salesforce:Contact:003B': 'none',
    });
  });

  it('customer_matches shows every link with the evidence it matched on', async () => {
    const matches = await rows(
      warehouse,
      'select record_key, other_record_key, rule, email, phone, name, company, cut_by_override from analytics.customer_matches order by rule, record_key',
    );
    const of = (a: string, b: string) =>
      matches.find(
        (m) =>
          (m['record_key'] === a && m['other_record_key'] === b) ||
          (m['record_key'] === b && m['other_record_key'] === a),
      );
    expect(of('hubspot:contacts:4', 'pipedrive:persons:302')).toMatchObject({
      rule: 'phone',
      phone: '+16505550100 ext. 12',
      email: null,
    });
    expect(of('hubspot:contacts:6', 'pipedrive:persons:303')).toMatchObject({
      rule: 'name_company_name',
      name: 'fridafox',
      company: 'initrode',
    });
    expect(of('hubspot:contacts:3', 'pipedrive:persons:301')).toMatchObject({
      rule: 'name_phone',
      name: 'carolclark',
      phone: '+16505550100',
    });
    const kim = matches.filter((m) => m['rule'] === 'email');
    expect(kim.length).toBe(2);
    for (const m of kim) expect(m).toMatchObject({ email: 'kim@globex.example.com', cut_by_override: false });
    // One query answers "why is this one customer?": its links, all of them.
    const [customer] = await rows(
      warehouse,
      "select customer_id from analytics.customer_sources where record_key = 'hubspot:contacts:10'",
    );
    const why = await rows(
      warehouse,
      `select rule from analytics.customer_matches where customer_id = '${customer!['customer_id']}'`,
    );
    expect(why.map((r) => r['rule'])).toEqual(['email', 'email']);
  });

  it('keeps the extension with the number in the customer', async () => {
    const [dan] = await rows(
      warehouse,
      `select c.phone, c.phone_extension from analytics.customers as c
       join analytics.customer_sources as s on s.customer_id = c.customer_id
       where s.record_key = 'hubspot:contacts:4'`,
    );
    expect(dan).toEqual({ phone: '+16505550100', phone_extension: '12' });
  });
});

describe('identity rules v2, near names on', () => {
  it('links a nickname at one company, and still never a father and son or two namesakes', async () => {
    const warehouse = await loaded();
    try {
      await buildModels(warehouse, { config: { identity: { nearNames: true } } });
      const rules = await rulesOf(warehouse);
      expect(rules['hubspot:contacts:8']).toBe('near_name');
      expect(rules['salesforce:Contact:003B']).toBe('near_name');
      expect(await groups(warehouse)).toEqual(
        sorted([...RULES_CLUSTERS, ['hubspot:contacts:8', 'salesforce:Contact:003B']]),
      );
    } finally {
      await warehouse.close();
    }
  });
});

describe('identity_overrides.csv', () => {
  const project = { ...bundledProject(), overrides: parseIdentityOverrides(OVERRIDES_CSV) };

  it('must_link joins two records; cannot_link splits a cluster the email rule made, the same way every run', async () => {
    const warehouse = await loaded();
    try {
      await buildModels(warehouse, { project, runId: 'one' });
      const customer = async (key: string) =>
        String(
          (
            await rows(
              warehouse,
              `select customer_id from analytics.customer_sources where record_key = '${key}'`,
            )
          )[0]!['customer_id'],
        );
      expect(await customer('hubspot:contacts:9')).toBe(await customer('pipedrive:persons:304'));
      expect((await rulesOf(warehouse))['hubspot:contacts:9']).toBe('must_link');
      const kim = await customer('hubspot:contacts:10');
      const kimSf = await customer('salesforce:Contact:003K');
      expect(kim).not.toBe(kimSf);
      // The third record goes with one side, and stays there run after run.
      const third = await customer('pipedrive:persons:305');
      expect([kim, kimSf]).toContain(third);
      const before = await rows(
        warehouse,
        'select record_key, customer_id from analytics.customer_sources order by 1',
      );
      await buildModels(warehouse, { project, runId: 'two', fullRefresh: true });
      expect(
        await rows(warehouse, 'select record_key, customer_id from analytics.customer_sources order by 1'),
      ).toEqual(before);
      const cut = await rows(
        warehouse,
        'select record_key, other_record_key from analytics.customer_matches where cut_by_override',
      );
      expect(cut.length).toBeGreaterThan(0);
      // Every customer id is still one of its records' ids after the split.
      const tests = await runDataTests({
        warehouse,
        project,
        config: defaultModelsConfig(),
        sources: FIXTURE_SOURCES,
        runId: 't',
        runStartedAt: new Date('2024-06-01T00:00:00.000Z'),
        log: silentLog,
      });
      expect(tests.results.filter((r) => r.status !== 'pass').map((r) => `${r.model} ${r.test}`)).toEqual([]);
    } finally {
      await warehouse.close();
    }
  });

  it('a pair naming a record the warehouse does not hold is reported by a data test, not applied', async () => {
    const warehouse = await loaded();
    try {
      const typo = {
        ...bundledProject(),
        overrides: parseIdentityOverrides(
          'kind,crm,id,other_crm,other_id\nmust_link,hubspot,1,pipedrive,999\n',
        ),
      };
      await buildModels(warehouse, { project: typo });
      expect((await rulesOf(warehouse))['hubspot:contacts:1']).toBe('none');
      const tests = await runDataTests({
        warehouse,
        project: typo,
        config: defaultModelsConfig(),
        sources: FIXTURE_SOURCES,
        runId: 't',
        runStartedAt: new Date('2024-06-01T00:00:00.000Z'),
        log: silentLog,
      });
      expect(tests.status).toBe('ok');
      expect(
        tests.results
          .filter((r) => r.status === 'fail')
          .map((r) => [r.model, r.column, r.severity, r.failures]),
      ).toEqual([['int_identity_overrides', 'other_record_id', 'warn', 1]]);
    } finally {
      await warehouse.close();
    }
  });
});
