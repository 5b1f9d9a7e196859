// Typed access to the modeled tables with Kysely: the best-scored customers with why they scored.
// `npx tsx examples/customers-with-scores.ts [path/to/tide.duckdb]` after `npm start`.
// examples/tide-database.ts is what `tide types --schema analytics` writes; in your own project,
// import the file `tide types` (or `tide models run`) wrote, and a misspelt column no longer compiles.
import { pathToFileURL } from 'node:url';
import { openKysely } from '../load/kysely/open-kysely.js';
import type { Database } from './tide-database.js';

export async function topCustomers(path: string, minScore = 70, limit = 10) {
  const db = await openKysely<Database>({ kind: 'duckdb', path });
  try {
    return await db
      .selectFrom('analytics.customers as c')
      .innerJoin('analytics.customer_scores as s', 's.customer_id', 'c.customer_id')
      .select([
        'c.customer_id',
        'c.full_name',
        'c.email',
        'c.company_name',
        'c.crm_count',
        's.score',
        's.score_reasons',
      ])
      .where('s.score', '>=', minScore)
      .orderBy('s.score', 'desc')
      .orderBy('c.customer_id')
      .limit(limit)
      .execute();
  } finally {
    await db.destroy();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await topCustomers(process.argv[2] ?? './tide.duckdb')) {
    // The compiler knows every column: row.full_name is string | null, row.score an Int64.
    console.log(
      `${row.score}  ${row.full_name ?? '(no name)'} <${row.email ?? '-'}>  ${row.score_reasons ?? ''}`,
    );
  }
}
