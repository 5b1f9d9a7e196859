import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'sql-parser-cst';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigqueryDialect } from '../../load/bigquery/bigquery-dialect.js';
import type { SqlType } from '../../load/dialect/dialect.js';
import { DIALECT_NAMES, dialectNamed } from '../../load/dialects.js';
import { duckdbDialect } from '../../load/duckdb/duckdb-dialect.js';
import { googleSqlStatements, rawLineBreaksInStrings } from '../bigquery/googlesql-lexical.js';

/** Text no quoting may let out of its quotes: both quote kinds, backslashes, line breaks, controls. */
const HOSTILE = [
  `x'; DROP TABLE t; --`,
  'we"ird`name\\',
  'line\nbreak\r\ttab\u0001end',
  "'';\\'",
  'é ü 名前',
];

describe('DuckDB dialect, against DuckDB itself', () => {
  let instance: DuckDBInstance;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
  });
  afterAll(() => instance.closeSync());

  async function one(sql: string, params: unknown[] = []): Promise<Record<string, unknown>> {
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(sql, params as never);
      const [row] = reader.getRowObjectsJS();
      if (row === undefined) throw new Error(`no row from ${sql}`);
      return row;
    } finally {
      connection.closeSync();
    }
  }

  it('a string literal and a quoted identifier keep any text intact', async () => {
    const d = duckdbDialect;
    for (const text of HOSTILE) {
      expect(await one(`SELECT ${d.string(text)} AS ${d.quoteIdent(text)}`)).toEqual({ [text]: text });
    }
  });

  it('every type name is the DuckDB type the tables have always had', async () => {
    const expected: Readonly<Record<SqlType, string>> = {
      string: 'VARCHAR',
      integer: 'BIGINT',
      number: 'DOUBLE',
      boolean: 'BOOLEAN',
      timestamp: 'TIMESTAMP WITH TIME ZONE',
      date: 'DATE',
      json: 'JSON',
      int32: 'INTEGER',
      utc_timestamp: 'TIMESTAMP',
    };
    for (const [type, name] of Object.entries(expected)) {
      const row = await one(`SELECT typeof(CAST(NULL AS ${duckdbDialect.type(type as SqlType)})) AS t`);
      expect(row['t'], type).toBe(name);
    }
  });

  it('jsonRows reads one JSON-array parameter as typed rows', async () => {
    const rows = duckdbDialect.jsonRows({ k: 'string', n: 'int32' });
    const sql = `SELECT ${rows.columns.join(', ')} FROM ${rows.from}`;
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(sql, [
        JSON.stringify([
          { k: "a'b", n: 7 },
          { k: null, n: 8 },
        ]),
      ]);
      expect(reader.getRowsJS()).toEqual([
        ["a'b", 7],
        [null, 8],
      ]);
    } finally {
      connection.closeSync();
    }
  });
});

describe('BigQuery dialect, against a GoogleSQL parser', () => {
  const d = new BigqueryDialect();

  it('a string literal and a quoted identifier keep any text intact, on one line', () => {
    for (const text of HOSTILE) {
      const sql = `SELECT ${d.string(text)} AS ${d.quoteIdent(text)}`;
      expect(googleSqlStatements(sql)).toBe(1);
      expect(sql).not.toMatch(/[\n\r]/);
      const json = JSON.stringify(parse(sql, { dialect: 'bigquery' }));
      expect(json).toContain(`"value":${JSON.stringify(text)}`);
    }
  });

  it('no quoted string the dialect writes holds a raw line break (BigQuery refuses it)', () => {
    // The check itself: the parser takes this, BigQuery would not.
    expect(rawLineBreaksInStrings("SELECT TRIM(x, ' \t\n\r')")).toHaveLength(1);
    expect(rawLineBreaksInStrings("SELECT '''two\nlines''', r'\\d'")).toEqual([]);
    const sql = `SELECT ${d.trimWhitespace('x')}, ${d.string('a\nb')}, ${d.regex('a\nb')}, ${d.regex('\\d+$')}`;
    expect(rawLineBreaksInStrings(sql)).toEqual([]);
  });
});

describe('the dialects by name', () => {
  it('each name gives its dialect, declaring what it can do', () => {
    for (const name of DIALECT_NAMES) {
      const dialect = dialectNamed(name);
      expect(dialect.name).toBe(name);
      expect(dialect.capabilities.modelConcurrency).toBeGreaterThan(0);
      expect(dialect.capabilities.stateFlushRecords).toBeGreaterThan(0);
    }
    expect(DIALECT_NAMES).toEqual(['duckdb', 'bigquery']);
  });
});
