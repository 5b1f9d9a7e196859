import type { Kysely } from 'kysely';
import type { Database } from '../../examples/tide-database.js';

/**
 * Compile-time half of the type test: `npm run typecheck` compiles this function. Were the
 * generated types loose (any, or a column missing), the @ts-expect-error lines would be unused and
 * the typecheck would fail.
 */
export function typedQueries(db: Kysely<Database>) {
  // @ts-expect-error: `emial` is not a column of analytics.customers.
  db.selectFrom('analytics.customers').select('emial');
  // @ts-expect-error: there is no table analytics.customer.
  db.selectFrom('analytics.customer').selectAll();
  // @ts-expect-error: score is a number (or the text of a huge one), never a boolean.
  db.selectFrom('analytics.customer_scores').select('score').where('score', '=', true);
  return db
    .selectFrom('analytics.customers as c')
    .innerJoin('analytics.customer_scores as s', 's.customer_id', 'c.customer_id')
    .select(['c.email', 's.score', 's.score_reasons', 'c.first_seen_at']);
}
