import { beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../core/tide-error.js';
import { tide } from '../cli/cli-helpers.js';
import { builtWarehouse } from './built-warehouse.js';

describe('tide models / tide sql', () => {
  let file: string;
  beforeAll(async () => {
    file = (await builtWarehouse({}, { build: false })).config;
  });

  it('models run builds everything, then runs the data tests', async () => {
    const run = await tide('models', 'run', '--config', file);
    expect(run.stderr).not.toContain('failed');
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/analytics\.customers\s+table\s+full\s+success\s+13/);
    expect(run.stdout).toMatch(/staging\.int_identity_clusters\s+iterative \(\d rounds\)/);
    expect(run.stdout).toMatch(/(\d+)\/\1 data tests passed/);

    const again = await tide(
      'models',
      'run',
      '--config',
      file,
      '--select',
      'stg_hubspot_contacts+',
      '--no-test',
    );
    expect(again.code).toBe(ExitCode.ok);
    // Nothing was loaded since: every selected model is already what a build would write.
    expect(again.stdout).toMatch(/staging\.stg_hubspot_contacts\s+incremental\s+unchanged\s+success/);
    expect(again.stdout).toMatch(/0\/\d+ models built, \d+ unchanged since their last build/);
    expect(again.stdout).not.toContain('stg_salesforce_contacts');

    const forced = await tide(
      'models',
      'run',
      '--config',
      file,
      '--select',
      'stg_hubspot_contacts',
      '--no-test',
      '--full-refresh',
    );
    expect(forced.code).toBe(ExitCode.ok);
    expect(forced.stdout).toMatch(/staging\.stg_hubspot_contacts\s+incremental\s+full\s+success/);
  });

  it('sql prints a table, csv or json, and names a bad query', async () => {
    const query = 'select crm, count(*) as records from analytics.customer_sources group by crm order by crm';
    const table = await tide('sql', query, '--config', file);
    expect(table.code).toBe(ExitCode.ok);
    expect(table.stdout.split('\n').slice(0, 5)).toEqual([
      'crm         records',
      '----------  -------',
      'hubspot     15',
      'pipedrive   5',
      'salesforce  6',
    ]);
    expect(table.stdout).toContain('(3 rows)');

    const csv = await tide('sql', query, '--format', 'csv', '--config', file);
    expect(csv.stdout.trim().split('\n')).toEqual([
      'crm,records',
      'hubspot,15',
      'pipedrive,5',
      'salesforce,6',
    ]);

    const json = await tide('sql', query, '-f', 'json', '--config', file);
    expect(JSON.parse(json.stdout)).toEqual([
      { crm: 'hubspot', records: 15 },
      { crm: 'pipedrive', records: 5 },
      { crm: 'salesforce', records: 6 },
    ]);

    const limited = await tide(
      'sql',
      'select * from analytics.customers',
      '--max-rows',
      '2',
      '--config',
      file,
    );
    expect(limited.stdout).toContain('(13 rows, first 2 shown: use --format csv for all)');

    const bad = await tide('sql', 'select nope from analytics.customers', '--config', file);
    expect(bad.code).toBe(ExitCode.failure);
    expect(bad.stderr).toContain('nope');
    const badFormat = await tide('sql', 'select 1', '--format', 'xml', '--config', file);
    expect(badFormat.code).toBe(ExitCode.invalidConfig);
    expect(badFormat.stderr).toContain('--format table|csv|json|arrow');
  });

  it('models test fails with the model, column and offending rows when the data breaks a rule', async () => {
    const ok = await tide('models', 'test', '--config', file, '--select', 'customers');
    expect(ok.code).toBe(ExitCode.ok);
    await tide(
      'sql',
      "update analytics.customers set customer_id = 'dup' where crm_count = 1",
      '--write',
      '--config',
      file,
    );
    const failed = await tide('models', 'test', '--config', file, '--select', 'customers');
    expect(failed.code).toBe(ExitCode.failure);
    expect(failed.stdout).toContain('FAIL customers.customer_id: unique(customer_id) failed on 1 row(s)');
    expect(failed.stdout).toContain('"customer_id":"dup"');
  });

  it('models compile prints the SQL for another warehouse', async () => {
    const out = await tide(
      'models',
      'compile',
      '--config',
      file,
      '--dialect',
      'bigquery',
      '--select',
      'customers',
    );
    expect(out.code).toBe(ExitCode.ok);
    expect(out.stdout).toContain('CREATE OR REPLACE TABLE `analytics`.`customers` AS');
    expect(out.stdout).toContain('ARRAY_AGG(');
  });
});
