import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../core/tide-error.js';
import { exportQuery } from '../../export/export-query.js';
import { BigqueryDialect } from '../../load/bigquery/bigquery-dialect.js';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../load/warehouse.js';
import { tide } from '../cli/cli-helpers.js';
import { type BuiltWarehouse, builtWarehouse } from '../models/built-warehouse.js';
import { rows } from '../models/model-fixture.js';

describe('tide export and tide sql --format arrow', () => {
  let built: BuiltWarehouse;
  let customers: number;
  beforeAll(async () => {
    built = await builtWarehouse();
    const warehouse = await openDuckdbWarehouse({ path: built.path, readOnly: true });
    customers = Number((await rows(warehouse, 'select count(*) as n from analytics.customers'))[0]?.['n']);
    await warehouse.close();
  });

  it('writes analytics.customers as an Arrow IPC file that apache-arrow reads back, typed', async () => {
    const out = join(built.dir, 'customers.arrow');
    const run = await tide(
      'export',
      'analytics.customers',
      '--format',
      'arrow',
      '--out',
      out,
      '--config',
      built.config,
    );
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toContain(`wrote ${customers} rows of analytics.customers to ${out} (arrow)`);
    const table = tableFromIPC(readFileSync(out));
    expect(customers).toBeGreaterThan(10);
    expect(table.numRows).toBe(customers);
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toMatchObject({
      customer_id: 'Utf8',
      // The warehouse's own types: a sum of INTEGER flags stays Int32, count(*) is a BIGINT.
      crm_count: 'Int32',
      record_count: 'Int64',
      first_seen_at: 'Timestamp<MILLISECOND, UTC>',
    });
    const ada = table.toArray().find((r) => r.email === 'ada@acme.example.com');
    expect(ada?.crm_count).toBe(3);
    expect(ada?.record_count).toBe(4n);
  });

  it('writes Parquet and CSV through DuckDB, and the same rows come back', async () => {
    const parquet = join(built.dir, 'customers.parquet');
    const csv = join(built.dir, 'customers.csv');
    expect(
      (await tide('export', 'customers', '-f', 'parquet', '-o', parquet, '--config', built.config)).code,
    ).toBe(0);
    expect((await tide('export', 'customers', '-f', 'csv', '-o', csv, '--config', built.config)).code).toBe(
      0,
    );
    const reader = await openDuckdbWarehouse({ path: ':memory:' });
    try {
      const [p] = await rows(
        reader,
        `select count(*) as n, count(distinct customer_id) as ids from read_parquet('${parquet}')`,
      );
      expect(p).toEqual({ n: customers, ids: customers });
    } finally {
      await reader.close();
    }
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]?.startsWith('customer_id,customer_num,email')).toBe(true);
    expect(lines).toHaveLength(customers + 1);
  });

  it('streams a query as Arrow (--out, or stdout), with the schema even when no row matches', async () => {
    const out = join(built.dir, 'metrics.arrow');
    const run = await tide(
      'sql',
      'select source_name, duplicate_rate, measured_at from analytics.quality_metrics where record_count < 0',
      '--format',
      'arrow',
      '--out',
      out,
      '--config',
      built.config,
    );
    expect(run.code).toBe(ExitCode.ok);
    const empty = tableFromIPC(readFileSync(out));
    expect(empty.numRows).toBe(0);
    expect(empty.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'source_name:Utf8',
      'duplicate_rate:Float64',
      'measured_at:Timestamp<MILLISECOND, UTC>',
    ]);
  });

  it('leaves no file behind when the export fails, and names a model that does not exist', async () => {
    const warehouse = await openDuckdbWarehouse({ path: built.path, readOnly: true });
    try {
      const out = join(built.dir, 'broken.arrow');
      await expect(exportQuery(warehouse, "select 1/0 as x, error('boom')", 'arrow', out)).rejects.toThrow(
        /boom/,
      );
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(built.dir).filter((f) => f.includes('tide-partial'))).toEqual([]);
    } finally {
      await warehouse.close();
    }
    const missing = await tide(
      'export',
      'nope',
      '-f',
      'csv',
      '-o',
      join(built.dir, 'x.csv'),
      '--config',
      built.config,
    );
    expect(missing.code).toBe(ExitCode.failure);
    expect(missing.stderr).toContain('no model named "nope"');
  });

  it('on BigQuery, Parquet goes to Cloud Storage through EXPORT DATA; a local path is refused', async () => {
    const executed: string[] = [];
    const bigquery = {
      dialect: new BigqueryDialect(),
      execute: async (sql: string) => {
        executed.push(sql);
      },
    } as unknown as Warehouse;
    await expect(exportQuery(bigquery, 'SELECT 1', 'parquet', 'out.parquet')).rejects.toThrow(
      'BigQuery writes Parquet only into Cloud Storage',
    );
    await exportQuery(bigquery, 'SELECT * FROM `analytics`.`customers`', 'parquet', "gs://b/o'k-*.parquet");
    expect(executed).toEqual([
      "EXPORT DATA OPTIONS (uri = 'gs://b/o\\'k-*.parquet', format = 'PARQUET', overwrite = true) AS SELECT * FROM `analytics`.`customers`",
    ]);
  });
});
