import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../examples/tide-database.js';
import { kyselyOn } from '../../load/kysely/open-kysely.js';
import type { BigqueryDouble } from './bigquery-double.js';
import { startDouble, warehouseOn } from './bigquery-test-client.js';

/** The typed builder on BigQuery: GoogleSQL with backtick identifiers and positional parameters. */
describe('Kysely on the BigQuery warehouse', () => {
  let double: BigqueryDouble;
  beforeAll(async () => {
    double = await startDouble();
  });
  afterAll(async () => {
    await double.close();
  });

  it('sends a typed query as one job with ? parameters and reads its rows back', async () => {
    double.hooks.answer = (job) =>
      job.labels.tide === 'query'
        ? {
            fields: [
              { name: 'customer_id', type: 'STRING' },
              { name: 'score', type: 'INTEGER' },
            ],
            rows: [{ customer_id: 'abc', score: 91 }],
          }
        : {};
    const db = kyselyOn<Database>(warehouseOn(double));
    const rows = await db
      .selectFrom('analytics.customer_scores as s')
      .select(['s.customer_id', 's.score'])
      .where('s.score', '>=', 70)
      .where('s.score_reasons', '=', "it's \\ quoted")
      .limit(5)
      .execute();
    expect(rows).toEqual([{ customer_id: 'abc', score: 91 }]);
    const job = double.queryJobs.at(-1)!;
    expect(job.sql).toBe(
      'select `s`.`customer_id`, `s`.`score` from `analytics`.`customer_scores` as `s` where `s`.`score` >= ? and `s`.`score_reasons` = ? limit ?',
    );
    expect(job.params).toEqual([70, "it's \\ quoted", 5]);
  });
});
