import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultModelsConfig } from '../../config/models-defaults.js';
import type { DuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import { runDataTests } from '../../transform/data-tests/run-data-tests.js';
import { loadProject, type ModelProject } from '../../transform/project/load-project.js';
import type { ModelRunSummary } from '../../transform/run/run-models.js';
import { buildModels, loadStream, openFixtureWarehouse, rows, silentLog } from '../models/model-fixture.js';
import { writeProject } from './project-fixture.js';

const SOURCES = JSON.stringify({
  hubspot: {
    contacts: { columns: { email: 'string' } },
    companies: { columns: { name: 'string' } },
  },
});
const HUBSPOT = [{ name: 'hubspot', kind: 'hubspot' }];
const T0 = new Date('2024-06-01T00:00:00.000Z');
const minutes = (n: number): Date => new Date(T0.getTime() + n * 60_000);

const FILES = {
  'sources.json': SOURCES,
  'staging/stg_contacts.sql':
    "{{ config(materialized='table') }}\nselect _tide_id as id, email from {{ source('hubspot', 'contacts') }}",
  'staging/stg_companies.sql':
    "{{ config(materialized='table') }}\nselect _tide_id as id, name from {{ source('hubspot', 'companies') }}",
  'analytics/people.sql': "{{ config(materialized='table') }}\nselect * from {{ ref('stg_contacts') }}",
  'analytics/scored.sql':
    "{{ config(materialized='table') }}\nselect count(*) as n, {{ run_started_at() }} as scored_at from {{ ref('people') }}",
  'analytics/snapshot.sql': "{{ config(materialized='table') }}\nselect {{ run_id() }} as run_id",
};

function stream(name: 'contacts' | 'companies', ids: string[], at = '2024-01-01T00:00:00.000Z') {
  const field = name === 'contacts' ? 'email' : 'name';
  return {
    source: 'hubspot',
    stream: name,
    types: {},
    records: ids.map((id) => ({ id, at, fields: { [field]: `${id}@x.com` } })),
  };
}

function modes(summary: ModelRunSummary): Record<string, string> {
  expect(summary.status).toBe('ok');
  return Object.fromEntries(summary.results.map((r) => [r.name, r.mode]));
}

describe('models whose inputs did not change are not built again', () => {
  let warehouse: DuckdbWarehouse;
  let project: ModelProject;
  beforeEach(async () => {
    warehouse = await openFixtureWarehouse();
    project = loadProject(writeProject(FILES));
    await loadStream(warehouse, stream('contacts', ['1', '2']));
    await loadStream(warehouse, stream('companies', ['9']));
  });
  afterEach(async () => {
    await warehouse.close();
  });

  const build = (
    runId: string,
    at: Date,
    extra: { fullRefresh?: boolean; config?: Record<string, unknown>; project?: ModelProject } = {},
  ) =>
    buildModels(warehouse, {
      project: extra.project ?? project,
      sources: HUBSPOT,
      runId,
      runStartedAt: at,
      ...(extra.fullRefresh === undefined ? {} : { fullRefresh: extra.fullRefresh }),
      ...(extra.config === undefined ? {} : { config: extra.config }),
    });

  it('a rerun with nothing loaded builds nothing, and the tables stay', async () => {
    expect(Object.values(modes(await build('run-1', T0))).every((m) => m === 'full')).toBe(true);
    const again = await build('run-2', minutes(5));
    expect(modes(again)).toEqual({
      stg_contacts: 'unchanged',
      stg_companies: 'unchanged',
      people: 'unchanged',
      scored: 'unchanged',
      snapshot: 'unchanged',
    });
    expect(await rows(warehouse, 'select id from analytics.people order by id')).toEqual([
      { id: '1' },
      { id: '2' },
    ]);
    // run_id() is read like the clock: the snapshot of run-1 stands until it is clockModelsMaxAgeMinutes old.
    expect(await rows(warehouse, 'select run_id from analytics.snapshot')).toEqual([{ run_id: 'run-1' }]);
    // The run log says what happened; `tide docs` keeps showing the build.
    const logged = await rows(
      warehouse,
      "select mode, status from tide.model_runs where run_id = 'run-2' and model = 'people'",
    );
    expect(logged).toEqual([{ mode: 'unchanged', status: 'success' }]);
  });

  it('a load into one raw table rebuilds the models that read it and their dependents only', async () => {
    await build('run-1', T0);
    await loadStream(warehouse, stream('companies', ['9', '10'], '2024-01-02T00:00:00.000Z'));
    expect(modes(await build('run-2', minutes(5)))).toMatchObject({
      stg_contacts: 'unchanged',
      stg_companies: 'full',
      people: 'unchanged',
      scored: 'unchanged',
    });
    expect(await rows(warehouse, 'select count(*) as n from staging.stg_companies')).toEqual([{ n: 2 }]);

    // A delete is a load too: the row is marked, the count unchanged, the write time new.
    await loadStream(warehouse, {
      ...stream('contacts', ['2'], '2024-01-03T00:00:00.000Z'),
      records: [{ id: '2', at: '2024-01-03T00:00:00.000Z', deleted: true, fields: {} }],
    });
    expect(modes(await build('run-3', minutes(10)))).toMatchObject({
      stg_contacts: 'full',
      stg_companies: 'unchanged',
      people: 'full',
      scored: 'full',
    });
  });

  it('a model reading the clock is rebuilt once its last build is older than clockModelsMaxAgeMinutes', async () => {
    await build('run-1', T0);
    expect(modes(await build('run-2', minutes(59)))).toMatchObject({
      people: 'unchanged',
      scored: 'unchanged',
    });
    expect(modes(await build('run-3', minutes(61)))).toMatchObject({
      people: 'unchanged',
      scored: 'full',
      snapshot: 'full',
    });
    expect(await rows(warehouse, 'select scored_at from analytics.scored')).toEqual([
      { scored_at: minutes(61).toISOString() },
    ]);
    const every = await build('run-4', minutes(62), { config: { clockModelsMaxAgeMinutes: 0 } });
    expect(modes(every)).toMatchObject({ people: 'unchanged', scored: 'full' });
  });

  it("reuses a data test's pass while nothing it reads changed, and runs it again when something did", async () => {
    const tested = loadProject(
      writeProject({
        ...FILES,
        'analytics/people.json': JSON.stringify({
          columns: { id: { tests: ['unique', { relationships: { to: 'stg_companies', field: 'id' } }] } },
        }),
      }),
    );
    const test = async (runId: string, reusePasses = true) => {
      const summary = await runDataTests({
        warehouse,
        project: tested,
        config: defaultModelsConfig(),
        sources: HUBSPOT,
        runId,
        log: silentLog,
        reusePasses,
      });
      return Object.fromEntries(
        summary.results.map((r) => [r.test, `${r.status}${r.reused ? ' (reused)' : ''}`]),
      );
    };
    await build('run-1', T0, { project: tested });
    // Contacts 1 and 2 have no company 1 or 2: the relationships test fails, unique passes.
    expect(await test('run-1')).toEqual({
      'unique(id)': 'pass',
      'relationships(id → stg_companies.id)': 'fail',
    });
    await build('run-2', minutes(5), { project: tested });
    // A pass is reused; a failure runs again (to show its rows).
    expect(await test('run-2')).toEqual({
      'unique(id)': 'pass (reused)',
      'relationships(id → stg_companies.id)': 'fail',
    });
    // `tide models test` asks for every test.
    expect(await test('run-2b', false)).toEqual({
      'unique(id)': 'pass',
      'relationships(id → stg_companies.id)': 'fail',
    });
    // Companies 1 and 2 arrive: stg_companies is rebuilt, so the relationships test runs again (and
    // now passes); people did not change, so its unique test is still reused.
    await loadStream(warehouse, stream('companies', ['1', '2'], '2024-01-02T00:00:00.000Z'));
    await build('run-3', minutes(10), { project: tested });
    expect(await test('run-3')).toEqual({
      'unique(id)': 'pass (reused)',
      'relationships(id → stg_companies.id)': 'pass',
    });
    // A new contact changes people: its tests run.
    await loadStream(warehouse, stream('contacts', ['3'], '2024-01-03T00:00:00.000Z'));
    await build('run-4', minutes(15), { project: tested });
    expect(await test('run-4')).toEqual({
      'unique(id)': 'pass',
      'relationships(id → stg_companies.id)': 'fail',
    });
    // Without recorded builds nothing is reused, and testing does not create Tide's model state.
    await warehouse.execute('DROP TABLE tide.model_state');
    expect(await test('run-5')).toEqual({
      'unique(id)': 'pass',
      'relationships(id → stg_companies.id)': 'fail',
    });
    const state =
      "select count(*) as n from information_schema.tables where table_schema = 'tide' and table_name = 'model_state'";
    expect(await rows(warehouse, state)).toEqual([{ n: 0 }]);
  });

  it('builds every model when the warehouse cannot tell the versions of its tables', async () => {
    await build('run-1', T0);
    // The same warehouse, except that the one query reading table versions fails.
    const failing = new Proxy(warehouse, {
      get(target, property) {
        if (property === 'query')
          return (sql: string, params?: readonly unknown[]) =>
            sql.includes(' AS k, CAST(COUNT(*)')
              ? (async function* () {
                  yield* [];
                  throw new Error('permission denied on table versions');
                })()
              : target.query(sql, params);
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const summary = await buildModels(failing, {
      project,
      sources: HUBSPOT,
      runId: 'run-2',
      runStartedAt: minutes(1),
    });
    // snapshot reads no table and no model: it is still what a build would write.
    expect(modes(summary)).toEqual({
      stg_contacts: 'full',
      stg_companies: 'full',
      people: 'full',
      scored: 'full',
      snapshot: 'unchanged',
    });
  });

  it('builds again what changed outside the data: SQL, descriptions, a dropped table; and when told to', async () => {
    await build('run-1', T0);
    const edited = loadProject(
      writeProject({
        ...FILES,
        'analytics/people.sql':
          "{{ config(materialized='table') }}\nselect id from {{ ref('stg_contacts') }}",
      }),
    );
    expect(modes(await build('run-2', minutes(1), { project: edited }))).toMatchObject({
      stg_contacts: 'unchanged',
      people: 'full',
      // Its parent is a new build: its rows may differ.
      scored: 'full',
    });

    const described = loadProject(
      writeProject({
        ...FILES,
        'analytics/people.json': JSON.stringify({
          description: 'People',
          columns: { id: { description: 'The id' } },
        }),
      }),
    );
    expect(modes(await build('run-3', minutes(2), { project: described }))).toMatchObject({
      stg_contacts: 'unchanged',
      people: 'full',
    });

    await warehouse.execute('DROP TABLE staging.stg_companies');
    expect(modes(await build('run-4', minutes(3), { project: described }))).toMatchObject({
      stg_companies: 'full',
      people: 'unchanged',
    });

    const all = await build('run-5', minutes(4), { project: described, config: { skipUnchanged: false } });
    expect(Object.values(modes(all)).every((m) => m === 'full')).toBe(true);
    const refreshed = await build('run-6', minutes(5), { project: described, fullRefresh: true });
    expect(Object.values(modes(refreshed)).every((m) => m === 'full')).toBe(true);
  });
});
