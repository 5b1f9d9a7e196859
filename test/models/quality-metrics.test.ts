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
const DAY = 86_400;
const SYNCS = [{ name: 'scores_to_hubspot', source: 'hubspot', object: 'contacts' }];

/**
 * Every value below was counted by hand from crm-fixture.ts (the comments show the counting).
 * Duplicates count live records whose customer (company) has another live, not CRM-merged record in
 * the same CRM (within) or in another CRM (across).
 */
const EXPECTED: Record<string, Record<string, unknown>> = {
  'hubspot.contacts': {
    // 15 records, 106 archived.
    record_count: 14,
    // 101+110 (Ada) and 121…125 (chain) have HubSpot twins: 7 of 14.
    duplicate_rate_within_crm: 7 / 14,
    // 101, 110, 102, 105, 107 have records in Salesforce or Pipedrive.
    duplicate_rate_across_crms: 5 / 14,
    // 12 emails (102 and 107 have none) + 6 E.164 phones (107, 108, 121, 122, 123, 124), of 2 × 14.
    required_field_completion: 18 / 28,
    // 12 records carry an email; "john@" (109) is invalid.
    invalid_email_rate: 1 / 12,
    // Newest: 110, modified 2024-05-10, 22 days before the run.
    record_freshness_seconds: 22 * DAY,
    load_freshness_seconds: 3600,
    api_requests: 10,
    // Latest HubSpot run: 8 × 200 and 2 without a response.
    api_error_rate: 0.2,
  },
  'salesforce.Contact': {
    record_count: 4,
    // 003E1's Salesforce twin is the converted lead 00QG1, which Salesforce already merged.
    duplicate_rate_within_crm: 0,
    duplicate_rate_across_crms: 3 / 4,
    // 003A1: 3 of 3; 003C1: email; 003D1: email; 003E1: phone + account → 7 of 12.
    required_field_completion: 7 / 12,
    invalid_email_rate: 0,
    record_freshness_seconds: 92 * DAY,
    load_freshness_seconds: 6 * 3600,
    api_requests: 20,
    // Latest Salesforce run: 10 × 200 and 10 × 403.
    api_error_rate: 0.5,
  },
  'salesforce.Lead': {
    record_count: 2,
    duplicate_rate_within_crm: 0,
    // 00QB1 is Grace (also HubSpot 102); 00QG1 is a converted lead (merged): not a duplicate.
    duplicate_rate_across_crms: 1 / 2,
    required_field_completion: 1,
    invalid_email_rate: 0,
    record_freshness_seconds: 92 * DAY,
  },
  'pipedrive.persons': {
    record_count: 5,
    duplicate_rate_within_crm: 0,
    // 201 (Ada) and 203 (Linus); 205 is a namesake of HubSpot 103, not the same person.
    duplicate_rate_across_crms: 2 / 5,
    // 201: both; 202, 205: email; 203: phone (from the phones list); 204: "john@" is still an email → 6 of 10.
    required_field_completion: 6 / 10,
    invalid_email_rate: 1 / 4,
    record_freshness_seconds: 92 * DAY,
    api_requests: null,
    api_error_rate: null,
  },
  'hubspot.companies': {
    record_count: 1,
    duplicate_rate_within_crm: 0,
    // Acme is also Salesforce 001A and Pipedrive 601.
    duplicate_rate_across_crms: 1,
    required_field_completion: 1,
    invalid_email_rate: null,
    record_freshness_seconds: 121 * DAY,
  },
  'salesforce.Account': {
    record_count: 2,
    duplicate_rate_within_crm: 0,
    duplicate_rate_across_crms: 1 / 2,
    required_field_completion: 1,
    record_freshness_seconds: 120 * DAY,
  },
  'pipedrive.organizations': {
    record_count: 2,
    duplicate_rate_across_crms: 1 / 2,
    // Names but no websites.
    required_field_completion: 1 / 2,
    record_freshness_seconds: 119 * DAY,
  },
  'hubspot.deals': {
    record_count: 1,
    duplicate_rate_within_crm: null,
    duplicate_rate_across_crms: null,
    required_field_completion: 1,
    record_freshness_seconds: 61 * DAY,
  },
  'salesforce.Opportunity': {
    record_count: 1,
    required_field_completion: 1,
    record_freshness_seconds: 60 * DAY,
  },
  // A title and a value, no stage.
  'pipedrive.deals': {
    record_count: 1,
    required_field_completion: 2 / 3,
    record_freshness_seconds: 59 * DAY,
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
        if (typeof value === 'number' && !Number.isInteger(value)) {
          expect(actual[metric], `${key}.${metric}`).toBeCloseTo(value, 10);
        } else {
          expect(actual[metric], `${key}.${metric}`).toBe(value);
        }
      }
    }
  });

  it('reverse sync failure rate is NULL until reverse ETL logged pushes, then rejected over attempted of the latest run', async () => {
    expect([...first.values()].map((r) => r['reverse_sync_failure_rate'])).toEqual(Array(10).fill(null));
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
      { run_id: 'metrics-1', n: 10 },
      { run_id: 'metrics-2', n: 10 },
    ]);
  });
});
