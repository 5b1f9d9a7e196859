import { parse } from 'sql-parser-cst';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigqueryDialect } from '../../load/bigquery/bigquery-dialect.js';
import type { DuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import { columnDescriptions } from '../../transform/project/load-project.js';
import { ALL_STREAMS } from './crm-fixture.js';
import {
  buildModels,
  bundledProject,
  loadStream,
  openFixtureWarehouse,
  rows,
  silentLog,
} from './model-fixture.js';

describe('documented models', () => {
  let warehouse: DuckdbWarehouse;
  beforeAll(async () => {
    warehouse = await openFixtureWarehouse();
    for (const stream of ALL_STREAMS) await loadStream(warehouse, stream);
    await buildModels(warehouse);
  });
  afterAll(async () => {
    await warehouse.close();
  });

  it('describes every column of every analytics model, and every analytics model', async () => {
    const project = bundledProject();
    const columns = await rows(
      warehouse,
      "select table_name, column_name from information_schema.columns where table_schema = 'analytics' order by all",
    );
    expect(columns.length).toBeGreaterThan(100);
    const undescribed = columns.filter((c) => {
      const model = project.models.get(String(c['table_name']));
      return model === undefined || !columnDescriptions(project, model).has(String(c['column_name']));
    });
    expect(undescribed).toEqual([]);
    for (const model of project.models.values()) {
      if (model.schema === 'analytics') expect(model.description, model.name).toBeTruthy();
    }
  });

  it('writes the descriptions into DuckDB as comments on tables, views and columns', async () => {
    const project = bundledProject();
    const customers = project.models.get('customers');
    const [table] = await rows(
      warehouse,
      "select comment from duckdb_tables() where schema_name = 'analytics' and table_name = 'customers'",
    );
    expect(table?.['comment']).toBe(customers?.description);
    const [view] = await rows(
      warehouse,
      "select comment from duckdb_views() where schema_name = 'analytics' and view_name = 'customer_sources'",
    );
    expect(view?.['comment']).toBe(project.models.get('customer_sources')?.description);
    const [email] = await rows(
      warehouse,
      "select comment from duckdb_columns() where schema_name = 'analytics' and table_name = 'customers' and column_name = 'email'",
    );
    expect(email?.['comment']).toBe(customers?.columns.get('email'));
    // The history shares the metrics' descriptions (describe_like).
    const [history] = await rows(
      warehouse,
      "select comment from duckdb_columns() where table_name = 'quality_metrics_history' and column_name = 'duplicate_rate'",
    );
    expect(String(history?.['comment'])).toContain('(records − distinct customers) / records');
  });

  it('warns, and still builds, when a description names a column the model does not have', async () => {
    const project = bundledProject();
    const deals = project.models.get('deals')!;
    const warnings: string[] = [];
    const broken = {
      ...project,
      models: new Map([
        ...project.models,
        ['deals', { ...deals, columns: new Map([...deals.columns, ['no_such_column', 'Gone.']]) }],
      ]),
    };
    const summary = await buildModels(warehouse, {
      project: broken,
      select: ['deals'],
      log: { ...silentLog, warn: (m: string) => warnings.push(m) },
    });
    expect(summary.status).toBe('ok');
    expect(warnings).toEqual([
      expect.stringContaining('model deals: 1 description(s) not written (analytics/deals.json)'),
    ]);
  });

  it('on BigQuery, as table and column description options that parse as GoogleSQL', () => {
    const statements = new BigqueryDialect().describeRelation(
      { schema: 'analytics', name: 'customers' },
      'table',
      "One row per person's record",
      new Map([['email', 'Surviving email.']]),
    );
    expect(statements).toEqual([
      "ALTER TABLE `analytics`.`customers` SET OPTIONS (description = 'One row per person\\'s record')",
      "ALTER TABLE `analytics`.`customers` ALTER COLUMN `email` SET OPTIONS (description = 'Surviving email.')",
    ]);
    expect(parse(statements.join(';\n'), { dialect: 'bigquery' }).statements).toHaveLength(2);
  });
});
