import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import { ALL_STREAMS } from './crm-fixture.js';
import { buildModels, loadStream, openFixtureWarehouse, rows } from './model-fixture.js';

/** Required fields for this test (staging column names), so every completion rate is easy to count by hand. */
const REQUIRED = {
  'hubspot.contacts': ['email', 'phone'],
  'salesforce.Contact': ['email', 'phone', 'company_record_id'],
  'salesforce.Lead': ['email', 'company_name'],
  'pipedrive.persons': ['email', 'phone'],
  'hubspot.companies': ['name', 'domain', 'industry'],
  'salesforce.Account': ['name', 'domain'],
  'pipedrive.organizations': ['name', 'domain'],
  'hubspot.deals': ['name', 'amount'],
  'salesforce.Opportunity': ['name', 'amount', 'close_date'],
  'pipedrive.deals': ['name', 'amount', 'stage'],
};
const RUN_STARTED = new Date('2024-06-01T00:00:00.000Z');
const DAY_HOURS = 24;
const SYNCS = [{ name: 'scores_to_hubspot', source: 'hubspot', object: 'contacts' }];

/** Rates are stored rounded to 4 decimals: the hand-counted fraction, rounded the same way. */
const r4 = (value: number): number => Math.round(value * 10_000) / 10_000;

/**
 * Every value below was counted by hand from crm-fixture.ts (the comments show the counting).
 * duplicate_rate = (records − distinct customers) / records over live records their CRM did not
 * merge away; crm_overlap_rate = customers that also have a record in another source / customers.
 */
const EXPECTED: Record<string, Record<string, unknown>> = {
  'hubspot.contacts': {
    // 15 records, 106 archived.
    record_count: 14,
    // 14 records, 9 customers: Ada (101, 110) and the chain (121…125) are one customer each.
    duplicate_rate: r4(5 / 14),
    // Of the 9: Ada, Grace, Barbara (105) and Linus (107) also have Salesforce or Pipedrive records.
    crm_overlap_rate: r4(4 / 9),
    // 12 emails (102 and 107 have none) + 6 E.164 phones (107, 108, 121, 122, 123, 124), of 2 × 14.
    required_field_completion: r4(18 / 28),
    // 12 records carry an email; "john@" (109) is invalid.
    invalid_email_rate: r4(1 / 12),
    // Newest: 110, modified 2024-05-10, 22 days before the run.
    record_freshness_hours: 22 * DAY_HOURS,
    load_freshness_hours: 1,
    api_requests: 10,
    // Latest HubSpot run: 8 × 200 and 2 without a response.
    api_error_rate: 0.2,
  },
  'salesforce.Contact': {
    record_count: 4,
    // Four contacts, four people (003E1's other Salesforce record is the converted lead 00QG1).
    duplicate_rate: 0,
    // Ada, Barbara and Linus are also in HubSpot; Dennis (003C1) is not.
    crm_overlap_rate: 0.75,
    // 003A1: 3 of 3; 003C1: email; 003D1: email; 003E1: phone + account → 7 of 12.
    required_field_completion: r4(7 / 12),
    invalid_email_rate: 0,
    record_freshness_hours: 92 * DAY_HOURS,
    load_freshness_hours: 6,
    api_requests: 20,
    // Latest Salesforce run: 10 × 200 and 10 × 403.
    api_error_rate: 0.5,
  },
  'salesforce.Lead': {
    record_count: 2,
    // 00QG1 was converted (merged by Salesforce): only 00QB1 counts, one record, one customer.
    duplicate_rate: 0,
    // 00QB1 is Grace, also HubSpot 102.
    crm_overlap_rate: 1,
    required_field_completion: 1,
    invalid_email_rate: 0,
    record_freshness_hours: 92 * DAY_HOURS,
  },
  'pipedrive.persons': {
    record_count: 5,
    duplicate_rate: 0,
    // 201 (Ada) and 203 (Linus); 205 is a namesake of HubSpot 103, not the same person.
    crm_overlap_rate: 0.4,
    // 201: both; 202, 205: email; 203: phone (from the phones list); 204: "john@" is still an email → 6 of 10.
    required_field_completion: 0.6,
    invalid_email_rate: 0.25,
    record_freshness_hours: 92 * DAY_HOURS,
    api_requests: null,
    api_error_rate: null,
  },
  'hubspot.companies': {
    record_count: 1,
    duplicate_rate: 0,
    // Acme is also Salesforce 001A and Pipedrive 601.
    crm_overlap_rate: 1,
    required_field_completion: 1,
    invalid_email_rate: null,
    record_freshness_hours: 121 * DAY_HOURS,
  },
  'salesforce.Account': {
    record_count: 2,
    duplicate_rate: 0,
    // Acme yes, Kernel Labs only here.
    crm_overlap_rate: 0.5,
    required_field_completion: 1,
    record_freshness_hours: 120 * DAY_HOURS,
  },
  'pipedrive.organizations': {
    record_count: 2,
    crm_overlap_rate: 0.5,
    // Names but no websites.
    required_field_completion: 0.5,
    record_freshness_hours: 119 * DAY_HOURS,
  },
  'hubspot.deals': {
    record_count: 1,
    duplicate_rate: null,
    crm_overlap_rate: null,
    required_field_completion: 1,
    record_freshness_hours: 61 * DAY_HOURS,
  },
  'salesforce.Opportunity': {
    record_count: 1,
    required_field_completion: 1,
    record_freshness_hours: 60 * DAY_HOURS,
  },
  // A title and a value, no stage.
  'pipedrive.deals': {
    record_count: 1,
    required_field_completion: r4(2 / 3),
    record_freshness_hours: 59 * DAY_HOURS,
  },
  'all.people': {
    // 14 HubSpot + 4 Salesforce contacts + 2 leads + 5 Pipedrive persons.
    record_count: 25,
    // 24 records counted (not the converted lead), 13 real people (EXPECTED_CLUSTERS).
    duplicate_rate: r4(11 / 24),
    // Ada, Grace, Barbara and Linus are in two or more CRMs: 4 of 13.
    crm_overlap_rate: r4(4 / 13),
    // Per-record shares summed: HubSpot 18/2 = 9, Contact 7/3, Lead 2, Pipedrive 6/2 = 3 → over 25.
    required_field_completion: r4((9 + 7 / 3 + 2 + 3) / 25),
    // 21 emails (12 + 3 + 2 + 4), "john@" twice.
    invalid_email_rate: r4(2 / 21),
    record_freshness_hours: 22 * DAY_HOURS,
    last_load_at: null,
    api_error_rate: null,
  },
  'all.companies': {
    record_count: 5,
    // 5 company records, 3 companies (Acme three times, Kernel Labs, Initech).
    duplicate_rate: 0.4,
    crm_overlap_rate: r4(1 / 3),
    // 1 + 2 + (1/2 + 1/2) over 5.
    required_field_completion: 0.8,
    invalid_email_rate: null,
    record_freshness_hours: 119 * DAY_HOURS,
  },
};

async function metrics(warehouse: DuckdbWarehouse): Promise<Map<string, Record<string, unknown>>> {
  const out = await rows(warehouse, 'select * from analytics.quality_metrics');
  return new Map(out.map((r) => [`${r['source_name']}.${r['object']}`, r]));
}

describe('quality metrics, checked against hand-counted values', () => {
  let warehouse: DuckdbWarehouse;
  let first: Map<string, Record<string, unknown>>;
  beforeAll(async () => {
    warehouse = await openFixtureWarehouse();
    for (const stream of ALL_STREAMS) await loadStream(warehouse, stream);
    // Load completion times as a scheduler would have left them: HubSpot contacts an hour before the run.
    await warehouse.execute("UPDATE tide.loads SET completed_at = TIMESTAMPTZ '2024-05-31 18:00:00+00'");
    await warehouse.execute(
      "UPDATE tide.loads SET completed_at = TIMESTAMPTZ '2024-05-31 23:00:00+00' WHERE source = 'hubspot' AND stream = 'contacts'",
    );
    await warehouse.recordRequests('20240530-run-a', [
      { source: 'hubspot', endpoint: '/crm/v3/objects/contacts', status: 200, count: 90 },
      { source: 'hubspot', endpoint: '/crm/v3/objects/contacts', status: 429, count: 5 },
      { source: 'hubspot', endpoint: '/crm/v3/objects/contacts', status: 500, count: 5 },
      { source: 'salesforce', endpoint: '/services/data/v62.0/query', status: 200, count: 10 },
      { source: 'salesforce', endpoint: '/services/data/v62.0/query', status: 403, count: 10 },
    ]);
    await warehouse.recordRequests('20240531-run-b', [
      { source: 'hubspot', endpoint: '/crm/v3/objects/contacts/search', status: 200, count: 8 },
      { source: 'hubspot', endpoint: '/crm/v3/objects/contacts/search', status: 0, count: 2 },
    ]);
    await buildModels(warehouse, {
      config: { requiredFields: REQUIRED },
      syncs: SYNCS,
      runId: 'metrics-1',
      runStartedAt: RUN_STARTED,
    });
    first = await metrics(warehouse);
  });
  afterAll(async () => {
    await warehouse.close();
  });

  it('has one row per CRM object with every metric as counted by hand', () => {
    expect([...first.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [key, expected] of Object.entries(EXPECTED)) {
      const actual = first.get(key) ?? {};
      for (const [metric, value] of Object.entries(expected)) {
        // Exactly: the stored value is already rounded to 4 decimals, as the hand count is.
        expect(actual[metric], `${key}.${metric}`).toBe(value);
      }
    }
  });

  it('reverse sync failure rate is NULL until reverse ETL logged pushes, then rejected over attempted of the latest run', async () => {
    expect([...first.values()].map((r) => r['reverse_sync_failure_rate'])).toEqual(Array(12).fill(null));
    // The table reverse ETL writes (reverse/push-sql.ts), with an older failed run and a newer one.
    await warehouse.execute(`CREATE TABLE tide.push_log (run_id VARCHAR NOT NULL, sync VARCHAR NOT NULL,
      record_key VARCHAR, crm_id VARCHAR, status VARCHAR NOT NULL, reason VARCHAR, attempt INTEGER NOT NULL,
      logged_at TIMESTAMP NOT NULL)`);
    const push = (run: string, status: string, n: number) =>
      Array.from(
        { length: n },
        (_, i) =>
          `('${run}', 'scores_to_hubspot', 'k${i}', '${i}', '${status}', null, 1, TIMESTAMP '2024-05-31 00:00:00')`,
      );
    await warehouse.execute(
      `INSERT INTO tide.push_log VALUES ${[...push('p1', 'rejected', 4), ...push('p2', 'written', 3), ...push('p2', 'rejected', 1), ...push('p2', 'skipped', 5)].join(', ')}`,
    );
    await buildModels(warehouse, {
      config: { requiredFields: REQUIRED },
      syncs: SYNCS,
      runId: 'metrics-2',
      runStartedAt: RUN_STARTED,
    });
    const second = await metrics(warehouse);
    // p2: 1 rejected of 4 attempted (3 written + 1 rejected); skipped rows were never sent.
    expect(second.get('hubspot.contacts')?.['reverse_sync_failure_rate']).toBe(0.25);
    expect(second.get('salesforce.Contact')?.['reverse_sync_failure_rate']).toBeNull();

    // Every run appended its measurements to the history.
    expect(
      await rows(
        warehouse,
        'select run_id, count(*) as n from analytics.quality_metrics_history group by run_id order by run_id',
      ),
    ).toEqual([
      { run_id: 'metrics-1', n: 12 },
      { run_id: 'metrics-2', n: 12 },
    ]);
  });
});
