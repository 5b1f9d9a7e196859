import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { ExitCode } from '../../core/tide-error.js';
import { topCustomers } from '../../examples/customers-with-scores.js';
import type { Database } from '../../examples/tide-database.js';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import { kyselyOn, openKysely } from '../../load/kysely/open-kysely.js';
import { tide } from '../cli/cli-helpers.js';
import { type BuiltWarehouse, builtWarehouse } from '../models/built-warehouse.js';
import { typedQueries } from './typed-queries.js';

const repo = resolve(import.meta.dirname, '../..');

describe('typed access with Kysely', () => {
  let built: BuiltWarehouse;
  beforeAll(async () => {
    built = await builtWarehouse();
  });

  it('tide types writes the Database interface; examples/tide-database.ts is what it writes today', async () => {
    const out = join(built.dir, 'analytics-types.ts');
    const run = await tide('types', '--schema', 'analytics', '--out', out, '--config', built.config);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toContain('the Database interface of 8 tables and views');
    const generated = readFileSync(out, 'utf8');
    // When this fails after a model change: `tide types --schema analytics --out examples/tide-database.ts`
    // on a warehouse built from test/models/crm-fixture.ts (or any demo: the types do not depend on data).
    expect(generated).toBe(readFileSync(join(repo, 'examples/tide-database.ts'), 'utf8'));
    expect(generated).toContain("'analytics.customers': AnalyticsCustomers;");
    // A not_null data test makes a column non-null; the description is its doc comment.
    expect(generated).toMatch(/export interface AnalyticsCustomers \{\n(.*\n)*? {2}customer_id: string;/);
    expect(generated).toContain('email: string | null;');
  });

  it('types raw and staging too, and after tide models run', async () => {
    const run = await tide('models', 'run', '--no-test', '--select', 'customers', '--config', built.config);
    expect(run.code).toBe(ExitCode.ok);
    const all = readFileSync(join(built.dir, 'tide-database.ts'), 'utf8');
    expect(all).toContain("'raw.hubspot__contacts': RawHubspotContacts;");
    expect(all).toContain("'staging.stg_hubspot_contacts': StagingStgHubspotContacts;");
    expect(all).toMatch(/\/\*\* The CRM id of the record \(primary key\)\. \*\/\n {2}_tide_id: string;/);
  });

  it('runs the README example: customers joined with their scores, fully typed', async () => {
    const rows = await topCustomers(built.path, 0, 3);
    expectTypeOf(rows[0]!.email).toEqualTypeOf<string | null>();
    expectTypeOf(rows[0]!.score).toEqualTypeOf<number | string>();
    expectTypeOf(rows[0]!.score_reasons).toEqualTypeOf<string | null>();
    expect(rows.map((r) => r.email)).toEqual(['ada@acme.example.com', expect.anything(), expect.anything()]);
    expect(rows[0]).toMatchObject({ full_name: 'Ada Lovelace', crm_count: 3, score: 69 });
  });

  it('reads through the same warehouse path: parameters bound, counts, no transactions', async () => {
    const db = await openKysely<Database>({ kind: 'duckdb', path: built.path });
    try {
      const quiet = await db
        .selectFrom('analytics.customer_scores')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('score_reasons', '=', "it's no signals'; drop table x; --")
        .executeTakeFirstOrThrow();
      // A one-column `count` result is a row, not an affected-row count.
      expect(quiet).toEqual({ count: 0 });
      const streamed: unknown[] = [];
      for await (const row of db.selectFrom('analytics.customers').select('customer_id').stream(5))
        streamed.push(row);
      expect(streamed.length).toBeGreaterThan(10);
      await expect(db.transaction().execute(async () => 1)).rejects.toThrow(/transactions are not available/);
      // Read-only: DuckDB itself refuses writes through it.
      await expect(db.deleteFrom('analytics.customers').execute()).rejects.toThrow(/read-only/);
    } finally {
      await db.destroy();
    }
  });

  it('compiles the typed join to the SQL it reads as', async () => {
    const db = await openKysely<Database>({ kind: 'duckdb', path: built.path });
    try {
      expect(typedQueries(db).compile().sql).toBe(
        'select "c"."email", "s"."score", "s"."score_reasons", "c"."first_seen_at" from "analytics"."customers" as "c" ' +
          'inner join "analytics"."customer_scores" as "s" on "s"."customer_id" = "c"."customer_id"',
      );
    } finally {
      await db.destroy();
    }
  });

  it('writes when asked to: an update reports its affected rows', async () => {
    const warehouse = await openDuckdbWarehouse({ path: built.path });
    try {
      const db = kyselyOn<Database>(warehouse);
      const result = await db
        .updateTable('analytics.customers')
        .set({ job_title: 'Countess' })
        .where('email', '=', 'ada@acme.example.com')
        .executeTakeFirst();
      expect(result.numUpdatedRows).toBe(1n);
    } finally {
      await warehouse.close();
    }
  });
});
