import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import { ALL_STREAMS } from './crm-fixture.js';
import { buildModels, customerOf, loadStream, openFixtureWarehouse, rows } from './model-fixture.js';

describe('customer scores, against the formula documented in customer_scores.sql', () => {
  let warehouse: DuckdbWarehouse;
  beforeAll(async () => {
    warehouse = await openFixtureWarehouse();
    for (const stream of ALL_STREAMS) await loadStream(warehouse, stream);
    await buildModels(warehouse);
  });
  afterAll(async () => {
    await warehouse.close();
  });

  const score = async (record: string) =>
    (
      await rows(
        warehouse,
        `select * from analytics.customer_scores where customer_id = '${await customerOf(warehouse, record)}'`,
      )
    )[0];
  const ADA = 'hubspot:contacts:101';
  const LINUS = 'hubspot:contacts:107';

  it('scores Ada from her company, recent activities and deals, computed by hand', async () => {
    expect(await score(ADA)).toMatchObject({
      // Acme: Salesforce says 300 employees (outranks HubSpot's 250) → 16; Technology → Software, a target → 20.
      employees: 300,
      size_points: 16,
      industry_group: 'Software',
      industry_points: 20,
      fit_score: 36,
      // HubSpot call 901 (10 days ago), Salesforce task 00T1 (5 days), Pipedrive activity 1001 (1 day);
      // call 902 is 200 days old.
      activities_recent: 3,
      engagement_score: 9,
      // Won: HubSpot 701 (50,000). Open: Salesforce 006A (20,000). Pipedrive 801 was lost.
      won_deal_amount: 50000,
      open_deal_amount: 20000,
      // 10·log10(1 + 50) + 5·log10(1 + 20) = 17.0757 + 6.6111 = 23.69
      value_score: 23.69,
      missing_fields: 0,
      completeness_penalty: 0,
      // round(36 + 9 + 23.69 − 0) = 69
      score: 69,
      score_reasons: 'size +16, target industry +20, 3 recent activities +9, deals +24',
      salesforce_contact_id: '003A1',
      email: 'ada@acme.example.com',
    });
  });

  it('penalizes missing data and never goes below 0', async () => {
    // Linus: Kernel Labs (industry "Other": 10 points, size unknown), no job title anywhere → −2.
    expect(await score(LINUS)).toMatchObject({
      fit_score: 10,
      missing_fields: 1,
      completeness_penalty: 2,
      score: 8,
      score_reasons: 'industry +10, missing job title -2',
    });
    // John (109): no valid email, phone, company or title: −8 against 0 points.
    expect(await score('hubspot:contacts:109')).toMatchObject({
      missing_fields: 4,
      completeness_penalty: 8,
      score: 0,
      score_reasons: 'missing email, phone, company domain, job title -8',
    });
  });

  it('follows the scoring config: target industries and the activity window', async () => {
    await buildModels(warehouse, {
      select: ['customer_scores'],
      config: { scoring: { targetIndustries: ['Healthcare'], activityWindowDays: 5 } },
    });
    // Software is no longer a target (10 points); only the task (5 days ago) and the Pipedrive activity
    // count: round(16 + 10 + 6 + 23.69) = 56.
    expect(await score(ADA)).toMatchObject({
      industry_points: 10,
      activities_recent: 2,
      engagement_score: 6,
      score: 56,
    });
  });
});
