import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BigqueryDouble } from './bigquery-double.js';
import { startDouble, warehouseOn } from './bigquery-test-client.js';

/**
 * query() and execute(): parameters as BigQuery receives them, result pages followed by pageToken,
 * and BigQuery's wire values decoded into the same plain shapes DuckDB's query() returns.
 */
let double: BigqueryDouble;
beforeEach(async () => {
  double = await startDouble({ maxPageRows: 4 });
});
afterEach(async () => {
  await double.close();
});

async function all(rows: AsyncIterable<Readonly<Record<string, unknown>>>) {
  const out: Readonly<Record<string, unknown>>[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe('BigQuery query()', () => {
  it('binds positional parameters with explicit types', async () => {
    double.hooks.answer = () => ({ fields: [], rows: [] });
    const w = warehouseOn(double);
    const when = new Date('2024-01-31T12:00:00.123Z');
    await all(
      w.query('SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?', [
        'text',
        7,
        2.5,
        true,
        null,
        when,
        12345678901234567890n,
        { tags: ['a'] },
        new Uint8Array([1, 2, 255]),
      ]),
    );
    const insert = double.requests.find((r) => r.kind === 'insert')?.body as {
      configuration: { query: { parameterMode: string; queryParameters: unknown[] } };
    };
    expect(insert.configuration.query.parameterMode).toBe('positional');
    expect(insert.configuration.query.queryParameters).toEqual([
      { parameterType: { type: 'STRING' }, parameterValue: { value: 'text' } },
      { parameterType: { type: 'INT64' }, parameterValue: { value: 7 } },
      { parameterType: { type: 'FLOAT64' }, parameterValue: { value: 2.5 } },
      { parameterType: { type: 'BOOL' }, parameterValue: { value: true } },
      { parameterType: { type: 'STRING' }, parameterValue: { value: null } },
      { parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: '2024-01-31T12:00:00.123Z' } },
      { parameterType: { type: 'INT64' }, parameterValue: { value: '12345678901234567890' } },
      { parameterType: { type: 'STRING' }, parameterValue: { value: '{"tags":["a"]}' } },
      { parameterType: { type: 'BYTES' }, parameterValue: { value: 'AQL/' } },
    ]);
  });

  it('refuses a parameter it cannot bind, before sending anything', async () => {
    const w = warehouseOn(double);
    await expect(all(w.query('SELECT ?', [Symbol('x')]))).rejects.toThrow(
      /query parameter 1 cannot be bound/,
    );
    expect(double.requests).toHaveLength(0);
  });

  it('follows pageToken through every page, and stops early on break', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ n: i }));
    double.hooks.answer = () => ({ fields: [{ name: 'n', type: 'INTEGER' }], rows });
    const w = warehouseOn(double, {}, { pageSize: 100 });
    expect((await all(w.query('SELECT n FROM t'))).map((r) => r.n)).toEqual(rows.map((r) => r.n));
    const pages = double.requests.filter((r) => r.kind === 'results');
    expect(pages.map((r) => r.query.pageToken)).toEqual([undefined, 'page-4', 'page-8']);
    for await (const _ of w.query('SELECT n FROM t')) break;
    expect(double.requests.filter((r) => r.kind === 'results')).toHaveLength(4);
  });

  it('decodes every BigQuery type into the plain values DuckDB returns', async () => {
    double.hooks.answer = () => ({
      fields: [
        { name: 's', type: 'STRING' },
        { name: 'i', type: 'INTEGER' },
        { name: 'big', type: 'INTEGER' },
        { name: 'f', type: 'FLOAT' },
        { name: 'num', type: 'NUMERIC' },
        { name: 'b', type: 'BOOLEAN' },
        { name: 'ts', type: 'TIMESTAMP' },
        { name: 'old', type: 'TIMESTAMP' },
        { name: 'd', type: 'DATE' },
        { name: 'j', type: 'JSON' },
        { name: 'jtext', type: 'JSON' },
        { name: 'arr', type: 'STRING', mode: 'REPEATED' },
        { name: 'nothing', type: 'TIMESTAMP' },
      ],
      rows: [
        {
          s: 'x',
          i: 42,
          big: '9007199254740993',
          f: 0.25,
          num: '12.50',
          b: false,
          ts: '2024-01-31T12:00:00.123Z',
          old: '1969-07-20T20:17:40.500Z',
          d: '2024-02-29',
          j: { a: [1, { b: null }] },
          jtext: 'plain',
          arr: ['p', 'q'],
          nothing: null,
        },
      ],
    });
    const w = warehouseOn(double);
    expect(await all(w.query('SELECT * FROM t'))).toEqual([
      {
        s: 'x',
        i: 42,
        big: '9007199254740993',
        f: 0.25,
        num: 12.5,
        b: false,
        ts: '2024-01-31T12:00:00.123Z',
        old: '1969-07-20T20:17:40.500Z',
        d: '2024-02-29',
        j: { a: [1, { b: null }] },
        jtext: 'plain',
        arr: ['p', 'q'],
        nothing: null,
      },
    ]);
    // The SDK asked for int64 timestamps, which is what the decoder expects.
    expect(double.requests.find((r) => r.kind === 'results')?.query['formatOptions.useInt64Timestamp']).toBe(
      'true',
    );
  });

  it('execute() runs DDL as a job and waits for it; errors carry the job id', async () => {
    const w = warehouseOn(double);
    await w.execute('CREATE OR REPLACE TABLE `tide-test-project`.analytics.x AS SELECT 1 AS a');
    expect(double.queryJobs.map((j) => [j.labels.tide, j.sql])).toEqual([
      ['execute', 'CREATE OR REPLACE TABLE `tide-test-project`.analytics.x AS SELECT 1 AS a'],
    ]);
    double.hooks.answer = () => {
      throw new Error('Not found: Table tide-test-project:analytics.missing was not found in location EU');
    };
    await expect(w.execute('DROP TABLE analytics.missing')).rejects.toThrow(
      /^BigQuery execute failed \(job tide_execute_[0-9a-f]{32}\): invalidQuery: Not found: Table/,
    );
  });

  it('a closed warehouse refuses work', async () => {
    const w = warehouseOn(double);
    await w.close();
    await expect(w.execute('SELECT 1')).rejects.toThrow(/closed/);
  });
});
