import type { Kysely } from 'kysely';
import { kyselyOn } from '../../load/kysely/open-kysely.js';
import type { Warehouse } from '../../load/warehouse.js';

/**
 * What every models run and data-test run did, appended to Tide's own tables so `tide docs` (and
 * anyone with SQL) can show each model's last build and the last result of each of its tests:
 * - tide.model_runs:  one row per model per run (status, rows, seconds);
 * - tide.test_results: one row per data test per run (status, offending rows).
 * Written with the typed builder: one parameterized multi-row INSERT per run, so no value is ever
 * spliced into SQL and BigQuery gets one job, not one per model.
 */
export interface RunLogTables {
  'tide.model_runs': {
    run_id: string;
    model: string;
    relation: string;
    materialized: string;
    mode: string;
    status: string;
    rows: number | string | null;
    seconds: number;
    error: string | null;
    built_at: string | Date;
  };
  'tide.test_results': {
    run_id: string;
    model: string;
    test: string;
    column_name: string | null;
    severity: string;
    status: string;
    failures: number | string;
    message: string | null;
    tested_at: string | Date;
    /** What the test read (transform/data-tests/test-inputs.ts); null before Tide recorded it. */
    inputs_version: string | null;
  };
}

export type ModelRunRow = RunLogTables['tide.model_runs'];
export type TestResultRow = RunLogTables['tide.test_results'];

/** Creates the log tables when missing (a warehouse first built before they existed included). */
async function ensureTables(warehouse: Warehouse): Promise<void> {
  const d = warehouse.dialect;
  const s = d.type('string');
  const i = d.type('integer');
  const t = d.type('timestamp');
  await warehouse.execute(d.createSchema('tide'));
  await warehouse.execute(
    `CREATE TABLE IF NOT EXISTS ${d.relation({ schema: 'tide', name: 'model_runs' })} (run_id ${s}, model ${s}, relation ${s}, materialized ${s}, mode ${s}, status ${s}, ${d.quoteIdent('rows')} ${i}, seconds ${d.type('number')}, error ${s}, built_at ${t})`,
  );
  await warehouse.execute(
    `CREATE TABLE IF NOT EXISTS ${d.relation({ schema: 'tide', name: 'test_results' })} (run_id ${s}, model ${s}, test ${s}, column_name ${s}, severity ${s}, status ${s}, failures ${i}, message ${s}, tested_at ${t})`,
  );
  // Tables from before tests' inputs were recorded gain the column (NULL: those results are not reused).
  await warehouse.execute(
    `ALTER TABLE ${d.relation({ schema: 'tide', name: 'test_results' })} ADD COLUMN IF NOT EXISTS inputs_version ${s}`,
  );
}

function typed(warehouse: Warehouse): Kysely<RunLogTables> {
  return kyselyOn<RunLogTables>(warehouse);
}

export async function logModelRuns(warehouse: Warehouse, rows: readonly ModelRunRow[]): Promise<void> {
  if (rows.length === 0) return;
  await ensureTables(warehouse);
  await typed(warehouse)
    .insertInto('tide.model_runs')
    .values([...rows])
    .execute();
}

export async function logTestResults(warehouse: Warehouse, rows: readonly TestResultRow[]): Promise<void> {
  if (rows.length === 0) return;
  await ensureTables(warehouse);
  await typed(warehouse)
    .insertInto('tide.test_results')
    .values([...rows])
    .execute();
}

/** The latest build of each model, and the latest result of each of its tests (one query each). */
export async function readRunLog(
  warehouse: Warehouse,
): Promise<{ builds: Map<string, ModelRunRow>; tests: Map<string, TestResultRow[]> }> {
  const builds = new Map<string, ModelRunRow>();
  const tests = new Map<string, TestResultRow[]>();
  const db = typed(warehouse);
  try {
    const runs = await db.selectFrom('tide.model_runs').selectAll().orderBy('built_at', 'desc').execute();
    // An `unchanged` row is a run that found the last build current: the build is the one to show.
    for (const run of runs)
      if (!builds.has(run.model) && run.status === 'success' && run.mode !== 'unchanged')
        builds.set(run.model, run);
    const results = await db
      .selectFrom('tide.test_results')
      .selectAll()
      .orderBy('tested_at', 'desc')
      .execute();
    const latestRun = new Map<string, string>();
    for (const r of results) {
      // A model's tests all ran in its latest test run: keep that run's results only.
      const run = latestRun.get(r.model) ?? r.run_id;
      latestRun.set(r.model, run);
      if (r.run_id === run) tests.set(r.model, [...(tests.get(r.model) ?? []), r]);
    }
  } catch {
    // No run was logged yet (the tables do not exist): the docs say "never built".
  }
  return { builds, tests };
}
