import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import { loadProject, type ModelProject } from '../../transform/project/load-project.js';
import { buildModels, loadStream, openFixtureWarehouse, rows } from '../models/model-fixture.js';
import { writeProject } from './project-fixture.js';

const SOURCES = {
  hubspot: {
    contacts: {
      columns: { email: 'string', 'Annual Revenue': 'number', lastmodifieddate: 'timestamp', tags: 'json' },
    },
  },
  tide: { push_log: { columns: { sync: 'string', status: 'string' } } },
};

describe('source()', () => {
  let warehouse: DuckdbWarehouse;
  let project: ModelProject;
  beforeEach(async () => {
    warehouse = await openFixtureWarehouse();
    project = loadProject(
      writeProject({
        'sources.json': JSON.stringify(SOURCES),
        'staging/people.sql': [
          "{{ config(materialized='table') }}",
          'select _tide_source as source_name, _tide_id as id, email, annual_revenue, lastmodifieddate,',
          "  {{ json_text('tags', 0) }} as first_tag",
          "from {{ source('hubspot', 'contacts') }} as s",
        ].join('\n'),
        'staging/pushes.sql':
          "{{ config(materialized='table') }}\nselect count(*) as n, max(status) as s from {{ source('tide', 'push_log') }} as p",
      }),
    );
  });
  afterEach(async () => {
    await warehouse.close();
  });

  it('is an empty relation with the declared columns when the CRM is not configured or not loaded', async () => {
    await buildModels(warehouse, { project, sources: [] });
    expect(await rows(warehouse, 'select count(*) as n from staging.people')).toEqual([{ n: 0 }]);
    const types = await rows(
      warehouse,
      "select column_name, data_type from information_schema.columns where table_name = 'people' order by ordinal_position",
    );
    expect(types).toEqual([
      { column_name: 'source_name', data_type: 'VARCHAR' },
      { column_name: 'id', data_type: 'VARCHAR' },
      { column_name: 'email', data_type: 'VARCHAR' },
      { column_name: 'annual_revenue', data_type: 'DOUBLE' },
      { column_name: 'lastmodifieddate', data_type: 'TIMESTAMP WITH TIME ZONE' },
      { column_name: 'first_tag', data_type: 'VARCHAR' },
    ]);
    // Configured, but nothing extracted yet: the same.
    await buildModels(warehouse, { project, sources: [{ name: 'hubspot', kind: 'hubspot' }] });
    expect(await rows(warehouse, 'select count(*) as n from staging.people')).toEqual([{ n: 0 }]);
    // tide.push_log does not exist before reverse ETL ran.
    expect(await rows(warehouse, 'select n, s from staging.pushes')).toEqual([{ n: 0, s: null }]);
  });

  it('reads typed columns where the loader made them and the CRM record JSON where it did not', async () => {
    await loadStream(warehouse, {
      source: 'hubspot',
      stream: 'contacts',
      types: { 'Annual Revenue': 'number', lastmodifieddate: 'timestamp', tags: 'json' },
      records: [
        {
          id: '1',
          at: '2024-01-01T00:00:00.000Z',
          fields: {
            email: 'a@x.com',
            'Annual Revenue': '1200.5',
            lastmodifieddate: '1704067200000',
            tags: ['vip'],
          },
        },
      ],
    });
    // A raw table from before a field existed: only Tide's columns and the record JSON.
    await warehouse.execute(`CREATE TABLE raw.hs_eu__contacts AS SELECT '2' AS _tide_id,
      TIMESTAMPTZ '2024-01-02 00:00:00+00' AS _tide_updated_at, false AS _tide_deleted,
      '{"email":"b@y.com","Annual Revenue":"99","lastmodifieddate":"2024-01-02T10:00:00.000+0000","tags":["new","x"]}'::JSON AS _tide_record,
      now() AS _tide_loaded_at, 'l' AS _tide_load_id`);
    await buildModels(warehouse, {
      project,
      sources: [
        { name: 'hubspot', kind: 'hubspot' },
        { name: 'hs_eu', kind: 'hubspot' },
      ],
    });
    expect(
      await rows(
        warehouse,
        'select source_name, id, email, annual_revenue, lastmodifieddate, first_tag from staging.people order by id',
      ),
    ).toEqual([
      {
        source_name: 'hubspot',
        id: '1',
        email: 'a@x.com',
        annual_revenue: 1200.5,
        lastmodifieddate: '2024-01-01T00:00:00.000Z',
        first_tag: 'vip',
      },
      {
        source_name: 'hs_eu',
        id: '2',
        email: 'b@y.com',
        annual_revenue: 99,
        lastmodifieddate: '2024-01-02T10:00:00.000Z',
        first_tag: 'new',
      },
    ]);
  });

  it('refuses a tide.columns type it does not know, naming the column and the way out', async () => {
    await loadStream(warehouse, {
      source: 'hubspot',
      stream: 'contacts',
      types: { 'Annual Revenue': 'number' },
      records: [{ id: '1', at: '2024-01-01T00:00:00.000Z', fields: { 'Annual Revenue': '1' } }],
    });
    await warehouse.execute(
      "UPDATE tide.columns SET logical_type = 'float' WHERE field_name = 'Annual Revenue'",
    );
    await expect(
      buildModels(warehouse, { project, sources: [{ name: 'hubspot', kind: 'hubspot' }] }),
    ).rejects.toThrow(/Annual Revenue the type "float".*does not know/);
  });

  it('names the file and line of an undeclared source', async () => {
    const bad = loadProject(
      writeProject({
        'sources.json': JSON.stringify(SOURCES),
        'staging/bad.sql': "select 1\nfrom {{ source('hubspot', 'tickets') }}",
      }),
    );
    await expect(buildModels(warehouse, { project: bad, sources: [] })).rejects.toThrow(
      /staging\/bad\.sql:2: source\(\): "hubspot\.tickets" is not declared in models\/sources\.json/,
    );
  });
});
