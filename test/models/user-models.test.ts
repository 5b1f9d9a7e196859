import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../core/tide-error.js';
import { loadModels } from '../../transform/project/user-models.js';
import { tide, writeConfig } from '../cli/cli-helpers.js';
import { writeProject } from '../transform/project-fixture.js';
import { builtWarehouse } from './built-warehouse.js';

/** A user's models folder: one model of their own, one shipped model replaced, one extra source field. */
const USER_MODELS = {
  'analytics/vip_customers.sql': [
    "{{ config(materialized='table') }}",
    'select c.customer_id, c.email, s.score',
    "from {{ ref('customers') }} as c join {{ ref('customer_scores') }} as s using (customer_id)",
    'where s.score >= 0',
  ].join('\n'),
  'analytics/vip_customers.json': JSON.stringify({
    description: 'Customers worth a call.',
    columns: { customer_id: { description: 'The customer.', tests: ['unique', 'not_null'] } },
  }),
  // Replaces the shipped deals model (same name): only won deals.
  'analytics/deals.sql': [
    "{{ config(materialized='table') }}",
    "select record_key as deal_key, crm, amount, 'won' as status, cast(null as varchar) as company_id",
    "from {{ ref('stg_hubspot_deals') }} where status = 'won'",
  ].join('\n'),
  'sources.json': JSON.stringify({ hubspot: { contacts: { columns: { favourite_colour: 'string' } } } }),
};

describe('a models folder beside the shipped models', () => {
  let file: string;
  beforeAll(async () => {
    file = (await builtWarehouse({ models: { dir: writeProject(USER_MODELS) } }, { build: false })).config;
  });

  it('adds models and replaces one by name without copying the rest; sources.json adds fields', () => {
    const project = loadModels(writeProject(USER_MODELS));
    expect(project.models.get('vip_customers')).toMatchObject({ origin: 'user', schema: 'analytics' });
    expect(project.models.get('deals')?.origin).toBe('user');
    // The replaced model's shipped tests went with it; the rest are the shipped ones.
    expect(project.models.get('deals')?.tests).toEqual([]);
    expect(project.models.get('customers')?.origin).toBe('shipped');
    expect(project.models.size).toBe(loadModels(null).models.size + 1);
    const fields =
      project.declarations
        .get('hubspot')
        ?.get('contacts')
        ?.map((c) => c.field) ?? [];
    expect(fields).toContain('favourite_colour');
    expect(fields).toContain('email');
  });

  it("reads the folder's identity_overrides.csv as corrections, beside the shipped file's", () => {
    const csv =
      'kind,crm,id,other_crm,other_id,note\ncannot_link,hubspot,101,pipedrive,201,two Alan Turings\n';
    const project = loadModels(writeProject({ ...USER_MODELS, 'identity_overrides.csv': csv }));
    expect(project.overrides).toEqual([
      { kind: 'cannot_link', crm: 'hubspot', id: '101', otherCrm: 'pipedrive', otherId: '201', line: 2 },
    ]);
    expect(loadModels(writeProject(USER_MODELS)).overrides).toEqual([]);
  });

  it('builds the extra model with the shipped ones and runs its tests', async () => {
    const run = await tide('models', 'run', '--config', file);
    expect(run.stderr).not.toContain('failed');
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/analytics\.vip_customers\s+table\s+full\s+success\s+13/);
    expect(run.stdout).toMatch(/analytics\.customer_scores\s+table\s+full\s+success\s+13/);
    const deals = await tide(
      'sql',
      'select deal_key, status from analytics.deals',
      '-f',
      'json',
      '--config',
      file,
    );
    expect(JSON.parse(deals.stdout)).toEqual([{ deal_key: 'hubspot:deals:701', status: 'won' }]);
  });

  it('names every missing ref at once, with the user file and line', async () => {
    const broken = writeProject({
      'analytics/a.sql': "select * from {{ ref('customerz') }}\njoin {{ ref('scores') }} using (customer_id)",
    });
    expect(() => loadModels(broken)).not.toThrow();
    const written = writeConfig((dir) => ({
      sources: [{ kind: 'hubspot', tokenEnv: 'TIDE_TEST_HS_TOKEN' }],
      warehouse: { kind: 'duckdb', path: join(dir, 'w.duckdb') },
      models: { dir: broken },
    }));
    const run = await tide('models', 'run', '--config', written.file);
    expect(run.code).toBe(ExitCode.failure);
    expect(run.stderr).toContain('2 models do not exist: "customerz", "scores"');
    expect(run.stderr).toMatch(/a\.sql:1 ref\('customerz'\)/);
    expect(run.stderr).toMatch(/a\.sql:2 ref\('scores'\) \(did you mean customer_scores\?\)/);
  });
});
