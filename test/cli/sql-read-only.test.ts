import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertReadOnlySql, statementKeywords } from '../../cli/read-only-sql.js';
import { ExitCode } from '../../core/tide-error.js';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import { tide, writeConfig } from './cli-helpers.js';

const repo = resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);

describe('what tide sql runs without --write', () => {
  it('reads the first keyword of every statement, past comments, quotes and parentheses', () => {
    expect(statementKeywords('select 1')).toEqual(['select']);
    expect(
      statementKeywords('  -- a comment; drop\n/* drop; */ WITH x AS (select 1) select * from x'),
    ).toEqual(['with']);
    expect(statementKeywords("select ';drop table x'; DROP TABLE raw.t;")).toEqual(['select', 'drop']);
    expect(statementKeywords('(select 1) union all (select 2)')).toEqual(['select']);
    expect(statementKeywords('from analytics.customers limit 3')).toEqual(['from']);
    expect(statementKeywords('explain select 1; explain analyze delete from t')).toEqual([
      'select',
      'delete',
    ]);
    expect(statementKeywords("select `a;b`, \"c;d\", '''e;f''' # drop\n")).toEqual(['select']);
  });

  it('refuses DDL and DML before anything runs, naming the statement and --write', () => {
    for (const sql of ['select 1', 'describe analytics.customers', 'show tables', 'values (1)']) {
      expect(() => assertReadOnlySql(sql)).not.toThrow();
    }
    for (const [sql, keyword] of [
      ['drop table raw.hubspot__owners', 'DROP'],
      ['select 1; delete from tide.loads', 'DELETE'],
      ["copy (select 1) to '/tmp/x.csv'", 'COPY'],
      ["attach 'other.duckdb'", 'ATTACH'],
      ['pragma force_checkpoint', 'PRAGMA'],
    ] as const) {
      expect(() => assertReadOnlySql(sql), sql).toThrow(`"${keyword}" is not a query`);
    }
  });
});

describe('tide sql on a DuckDB file', () => {
  let file: string;
  let path: string;
  beforeAll(async () => {
    const written = writeConfig((dir) => ({
      sources: [{ kind: 'hubspot', tokenEnv: 'TIDE_TEST_HS_TOKEN' }],
      warehouse: { kind: 'duckdb', path: join(dir, 'w.duckdb') },
    }));
    file = written.file;
    path = join(written.dir, 'w.duckdb');
    const warehouse = await openDuckdbWarehouse({ path });
    await warehouse.init();
    await warehouse.execute('CREATE TABLE raw.hubspot__owners AS SELECT 1 AS _tide_id');
    await warehouse.close();
  });

  it('refuses `drop table` without --write and leaves the table; --write runs it and says so', async () => {
    const refused = await tide('sql', 'drop table raw.hubspot__owners', '--config', file);
    expect(refused.code).toBe(ExitCode.failure);
    expect(refused.stderr).toContain('tide sql is read-only: "DROP" is not a query');
    expect(refused.stderr).toContain('add --write');
    const still = await tide(
      'sql',
      'select count(*) as n from raw.hubspot__owners',
      '-f',
      'json',
      '--config',
      file,
    );
    expect(JSON.parse(still.stdout)).toEqual([{ n: 1 }]);

    const written = await tide(
      'sql',
      'create table raw.scratch as select 2 as n',
      '--write',
      '--config',
      file,
    );
    expect(written.code).toBe(ExitCode.ok);
    expect(written.stderr).toContain('--write: this statement may change the warehouse');
    const dropped = await tide('sql', 'drop table raw.scratch', '--write', '--config', file);
    expect(dropped.code).toBe(ExitCode.ok);
  });

  it('opens the file read-only for status and sql: they run beside another reader, a write cannot', async () => {
    // A READ_ONLY open takes a shared lock; a read-write open in another process would be refused.
    const reader = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    try {
      const cli = (...args: string[]) =>
        exec(process.execPath, [join(repo, 'bin/tide.mjs'), '--config', file, ...args], { timeout: 60_000 });
      const status = await cli('status');
      expect(status.stdout).toContain('no loads yet');
      const query = await cli('sql', 'select count(*) as n from raw.hubspot__owners', '-f', 'csv');
      expect(query.stdout.trim()).toBe('n\n1');
      const write = await cli('sql', 'create table raw.x as select 1', '--write').then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(write?.code).toBe(ExitCode.failure);
      expect(write?.stderr).toMatch(/lock/i);
    } finally {
      reader.closeSync();
    }
  });

  it('says there is no warehouse yet instead of creating an empty one', async () => {
    const written = writeConfig((dir) => ({
      sources: [{ kind: 'hubspot', tokenEnv: 'TIDE_TEST_HS_TOKEN' }],
      warehouse: { kind: 'duckdb', path: join(dir, 'missing.duckdb') },
    }));
    const run = await tide('sql', 'select 1', '--config', written.file);
    expect(run.code).toBe(ExitCode.failure);
    expect(run.stderr).toContain('no DuckDB warehouse at');
    expect(run.stderr).toContain('tide run');
  });
});
