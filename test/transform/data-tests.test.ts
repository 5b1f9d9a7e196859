import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultModelsConfig } from '../../config/models-defaults.js';
import type { DuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import { describeFailure, runDataTests } from '../../transform/data-tests/run-data-tests.js';
import { loadProject, type ModelProject } from '../../transform/project/load-project.js';
import { buildModels, openFixtureWarehouse, silentLog } from '../models/model-fixture.js';
import { writeProject } from './project-fixture.js';

const PEOPLE = [
  "select 'p1' as id, 'a@x.com' as email, 'hubspot' as crm, 'c1' as company_id",
  "union all select 'p2', 'b@x.com', 'salesforce', 'c2'",
  "union all select 'p2', null, 'zoho', 'c9'",
  "union all select 'p3', 'c@x.com', 'hubspot', null",
].join('\n');

const TESTS = {
  columns: {
    id: { tests: ['unique', 'not_null'] },
    email: { tests: ['not_null', { not_null: { where: "crm <> 'zoho'" } }] },
    crm: { tests: [{ accepted_values: { values: ['hubspot', 'salesforce', 'pipedrive'] } }] },
    company_id: { tests: [{ relationships: { to: 'companies', field: 'id' } }] },
  },
  tests: [
    { name: 'no_zoho', sql: ['select id, crm from {{ this }}', "where crm = 'zoho'"] },
    { name: 'soft_rule', sql: "select id from {{ this }} where crm = 'hubspot'", severity: 'warn' },
    { name: 'broken_sql', sql: 'select no_such_column from {{ this }}' },
  ],
};

describe('data tests', () => {
  let warehouse: DuckdbWarehouse;
  let project: ModelProject;
  beforeEach(async () => {
    warehouse = await openFixtureWarehouse();
    project = loadProject(
      writeProject({
        'analytics/people.sql': PEOPLE,
        'analytics/people.json': JSON.stringify(TESTS),
        'analytics/companies.sql': "select 'c1' as id union all select 'c2'",
      }),
    );
    await buildModels(warehouse, { project, sources: [] });
  });
  afterEach(async () => {
    await warehouse.close();
  });

  it('each kind fails on the planted rows and names the model, the column and offending rows', async () => {
    const summary = await runDataTests({
      warehouse,
      project,
      config: defaultModelsConfig(),
      sources: [],
      runId: 't',
      log: silentLog,
    });
    expect(summary.status).toBe('failed');
    const byTest = new Map(summary.results.map((r) => [`${r.column ?? '*'} ${r.test}`, r]));
    expect(byTest.get('id unique(id)')).toMatchObject({
      status: 'fail',
      failures: 1,
      sample: [{ id: 'p2', n: 2 }],
    });
    expect(byTest.get('id not_null(id)')?.status).toBe('pass');
    // The unfiltered not_null sees the zoho row; the one filtered by `where` does not.
    const notNull = summary.results.filter((r) => r.test === 'not_null(email)');
    expect(notNull.map((r) => r.status).sort()).toEqual(['fail', 'pass']);
    expect(byTest.get('crm accepted_values(crm)')).toMatchObject({
      failures: 1,
      sample: [{ crm: 'zoho', n: 1 }],
    });
    expect(byTest.get('company_id relationships(company_id → companies.id)')).toMatchObject({
      failures: 1,
      sample: [{ company_id: 'c9', n: 1 }],
    });
    expect(byTest.get('* no_zoho')).toMatchObject({ status: 'fail', sample: [{ id: 'p2', crm: 'zoho' }] });
    expect(byTest.get('* soft_rule')).toMatchObject({ status: 'fail', severity: 'warn', failures: 2 });
    expect(byTest.get('* broken_sql')?.status).toBe('error');
    expect(byTest.get('* broken_sql')?.message).toContain('no_such_column');

    const message = describeFailure(byTest.get('crm accepted_values(crm)') as never);
    expect(message).toContain('people.crm: accepted_values(crm) failed on 1 row(s)');
    expect(message).toContain('"crm":"zoho"');
  });

  it('passes when the data is right, and warnings alone do not fail the run', async () => {
    const clean = loadProject(
      writeProject({
        'analytics/people.sql': "select 'p1' as id, 'hubspot' as crm",
        'analytics/people.json': JSON.stringify({
          columns: {
            id: { tests: ['unique', 'not_null'] },
            crm: { tests: [{ accepted_values: { values: ['hubspot'] } }] },
          },
          tests: [{ name: 'soft_rule', sql: 'select * from {{ this }}', severity: 'warn' }],
        }),
      }),
    );
    await buildModels(warehouse, { project: clean, sources: [] });
    const summary = await runDataTests({
      warehouse,
      project: clean,
      config: defaultModelsConfig(),
      sources: [],
      runId: 't',
      log: silentLog,
    });
    expect(summary.results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass', 'fail']);
    expect(summary.status).toBe('ok');
  });

  it('rejects a malformed tests file with its path', () => {
    expect(() =>
      loadProject(
        writeProject({
          'analytics/people.sql': 'select 1 as id',
          'analytics/people.json': JSON.stringify({ columns: { id: { tests: ['uniq'] } } }),
        }),
      ),
    ).toThrow(/analytics\/people\.json is invalid:\n {2}- columns\.id\.tests\[0\]/);
  });
});
