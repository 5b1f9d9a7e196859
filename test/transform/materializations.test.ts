import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import { loadProject, type ModelProject } from '../../transform/project/load-project.js';
import { buildModels, loadStream, openFixtureWarehouse, rows } from '../models/model-fixture.js';
import { writeProject } from './project-fixture.js';

const SOURCES = JSON.stringify({ hubspot: { contacts: { columns: { email: 'string', score: 'number' } } } });
const HUBSPOT = [{ name: 'hubspot', kind: 'hubspot' }];

function contacts(records: [string, string][], at = '2024-01-01T00:00:00.000Z') {
  return {
    source: 'hubspot',
    stream: 'contacts',
    types: {},
    records: records.map(([id, email]) => ({ id, at, fields: { email } })),
  };
}

describe('materializations', () => {
  let warehouse: DuckdbWarehouse;
  beforeEach(async () => {
    warehouse = await openFixtureWarehouse();
  });
  afterEach(async () => {
    await warehouse.close();
  });

  const build = (
    project: ModelProject,
    runId: string,
    extra: { fullRefresh?: boolean; config?: Record<string, unknown> } = {},
  ) => buildModels(warehouse, { project, sources: HUBSPOT, runId, ...extra });

  it('incremental: builds in full first, then merges only rows loaded since the last run', async () => {
    const project = loadProject(
      writeProject({
        'sources.json': SOURCES,
        'staging/inc.sql': [
          "{{ config(materialized='incremental', unique_key='id') }}",
          'select _tide_id as id, email, _tide_loaded_at as loaded_at, {{ run_id() }} as built_by',
          "from {{ source('hubspot', 'contacts') }} as s",
          "where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}",
        ].join('\n'),
      }),
    );
    await loadStream(
      warehouse,
      contacts([
        ['1', 'a@x.com'],
        ['2', 'b@x.com'],
        ['3', 'c@x.com'],
      ]),
    );
    const first = await build(project, 'run-1');
    expect(first.results[0]).toMatchObject({ mode: 'full', rows: 3 });

    await loadStream(
      warehouse,
      contacts(
        [
          ['2', 'b2@x.com'],
          ['4', 'd@x.com'],
        ],
        '2024-01-02T00:00:00.000Z',
      ),
    );
    const second = await build(project, 'run-2');
    expect(second.results[0]).toMatchObject({ mode: 'incremental', rows: 4 });
    expect(await rows(warehouse, 'select id, email, built_by from staging.inc order by id')).toEqual([
      { id: '1', email: 'a@x.com', built_by: 'run-1' },
      { id: '2', email: 'b2@x.com', built_by: 'run-2' },
      { id: '3', email: 'c@x.com', built_by: 'run-1' },
      { id: '4', email: 'd@x.com', built_by: 'run-2' },
    ]);

    // Nothing new: nothing is merged.
    await build(project, 'run-3');
    expect(await rows(warehouse, "select count(*) as n from staging.inc where built_by = 'run-3'")).toEqual([
      { n: 0 },
    ]);

    // --full-refresh rebuilds every row.
    const refreshed = await build(project, 'run-4', { fullRefresh: true });
    expect(refreshed.results[0]?.mode).toBe('full');
    expect(await rows(warehouse, "select count(*) as n from staging.inc where built_by = 'run-4'")).toEqual([
      { n: 4 },
    ]);
  });

  it('incremental: a changed model is rebuilt rather than merged into', async () => {
    const files = (extra: string) => ({
      'sources.json': SOURCES,
      'staging/inc.sql': [
        "{{ config(materialized='incremental', unique_key='id') }}",
        `select _tide_id as id, email, _tide_loaded_at as loaded_at${extra}`,
        "from {{ source('hubspot', 'contacts') }} as s where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}",
      ].join('\n'),
    });
    await loadStream(warehouse, contacts([['1', 'a@x.com']]));
    await build(loadProject(writeProject(files(''))), 'run-1');
    const changed = await build(loadProject(writeProject(files(', upper(email) as email_upper'))), 'run-2');
    expect(changed.results[0]?.mode).toBe('full');
    expect(await rows(warehouse, 'select email_upper from staging.inc')).toEqual([
      { email_upper: 'A@X.COM' },
    ]);
  });

  it('incremental without a unique key appends each run, and full_refresh=false keeps its history', async () => {
    const project = loadProject(
      writeProject({
        'staging/snap.sql': 'select 1 as n, {{ run_id() }} as run_id',
        'analytics/history.sql':
          "{{ config(materialized='incremental', full_refresh=false) }}\nselect * from {{ ref('snap') }}",
      }),
    );
    await build(project, 'run-1');
    // snap writes run_id(): a model reading the run's id or clock is built again once its last build
    // is clockModelsMaxAgeMinutes old (0: every run), and the history appends what it built.
    await build(project, 'run-2', { config: { clockModelsMaxAgeMinutes: 0 } });
    await build(project, 'run-3', { fullRefresh: true });
    expect(await rows(warehouse, 'select run_id from analytics.history order by run_id')).toEqual([
      { run_id: 'run-1' },
      { run_id: 'run-2' },
      { run_id: 'run-3' },
    ]);
  });

  it('full_refresh=false keeps its history when the model gains and loses columns', async () => {
    const files = (columns: string) => ({
      'staging/snap.sql': `select {{ run_id() }} as run_id, ${columns}`,
      'analytics/history.sql':
        "{{ config(materialized='incremental', full_refresh=false) }}\nselect * from {{ ref('snap') }}",
    });
    await build(loadProject(writeProject(files('1 as kept, 2 as dropped'))), 'run-1');
    // `dropped` is gone from the model and `added` is new: an INSERT of the table's columns would fail.
    await build(loadProject(writeProject(files("1 as kept, 'x' as added"))), 'run-2');
    await build(loadProject(writeProject(files("1 as kept, 'y' as added"))), 'run-3');
    expect(
      await rows(warehouse, 'select run_id, kept, dropped, added from analytics.history order by run_id'),
    ).toEqual([
      { run_id: 'run-1', kept: 1, dropped: 2, added: null },
      { run_id: 'run-2', kept: 1, dropped: null, added: 'x' },
      { run_id: 'run-3', kept: 1, dropped: null, added: 'y' },
    ]);
    expect(
      await rows(warehouse, "select table_name from duckdb_tables() where table_name like '%__tide_%'"),
    ).toEqual([]);
  });

  it('view and table, and switching a model from one to the other', async () => {
    const files = (materialized: string) => ({
      'staging/base.sql': 'select 1 as id union all select 2',
      'analytics/m.sql': `{{ config(materialized='${materialized}') }}\nselect id * 10 as v from {{ ref('base') }}`,
    });
    const first = await build(loadProject(writeProject(files('view'))), 'run-1');
    expect(first.results.find((r) => r.name === 'm')).toMatchObject({ materialized: 'view', rows: null });
    expect(
      await rows(warehouse, "select table_type from information_schema.tables where table_name = 'm'"),
    ).toEqual([{ table_type: 'VIEW' }]);
    const second = await build(loadProject(writeProject(files('table'))), 'run-2');
    expect(second.results.find((r) => r.name === 'm')).toMatchObject({ materialized: 'table', rows: 2 });
    expect(
      await rows(warehouse, "select table_type from information_schema.tables where table_name = 'm'"),
    ).toEqual([{ table_type: 'BASE TABLE' }]);
    await build(loadProject(writeProject(files('view'))), 'run-3');
    expect(await rows(warehouse, 'select v from analytics.m order by v')).toEqual([{ v: 10 }, { v: 20 }]);
  });

  it('iterative: repeats the step until nothing changes, and fails past max_iterations', async () => {
    // Halving towards 1: 64 → 32 → … → 1 takes 6 changing rounds, then one round that changes nothing.
    const files = (max: number) => ({
      'staging/halve.sql': [
        `{{ config(materialized='iterative', max_iterations=${max}) }}`,
        'select 1 as id, 64 as v',
        '{{ repeat_until_stable() }}',
        'select id, greatest(1, v // 2) as v from {{ this }}',
      ].join('\n'),
    });
    const ok = await build(loadProject(writeProject(files(10))), 'run-1');
    expect(ok.results[0]).toMatchObject({ iterations: 7, rows: 1 });
    expect(await rows(warehouse, 'select v from staging.halve')).toEqual([{ v: 1 }]);
    await expect(build(loadProject(writeProject(files(3))), 'run-2')).rejects.toThrow(
      /staging\/halve\.sql: not stable after 3 iterations/,
    );
  });

  it('a failing model stops its dependents only, and names its file', async () => {
    const project = loadProject(
      writeProject({
        'staging/broken.sql': 'select no_such_column from (select 1 as id)',
        'staging/child.sql': "select * from {{ ref('broken') }}",
        'staging/fine.sql': 'select 1 as id',
      }),
    );
    await expect(build(project, 'run-1')).rejects.toThrow(/broken: staging\/broken\.sql: .*no_such_column/s);
    const built = await rows(
      warehouse,
      "select table_name from information_schema.tables where table_schema = 'staging'",
    );
    expect(built).toEqual([{ table_name: 'fine' }]);
  });

  it('uses a <model>.<dialect>.sql override on that warehouse', async () => {
    const project = loadProject(
      writeProject({
        'staging/m.sql': "select 'portable' as variant",
        'staging/m.duckdb.sql': "select 'duckdb override' as variant",
        'staging/m.bigquery.sql': "select 'bigquery override' as variant",
      }),
    );
    await build(project, 'run-1');
    expect(await rows(warehouse, 'select variant from staging.m')).toEqual([{ variant: 'duckdb override' }]);
  });
});
