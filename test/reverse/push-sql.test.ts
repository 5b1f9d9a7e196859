import { parse } from 'sql-parser-cst';
import { describe, expect, it } from 'vitest';
import { BigqueryDialect } from '../../load/bigquery/bigquery-dialect.js';
import { PushSql } from '../../reverse/push-sql.js';
import { SyncSchema } from '../../reverse/sync-config.js';

/**
 * The BigQuery side of reverse ETL's SQL, checked by sql-parser-cst's BigQuery (GoogleSQL) dialect and
 * by its exact text: DuckDB runs the same statements for real in the other reverse tests.
 */
const bq = new PushSql(new BigqueryDialect(), (schema, table) => `\`acme\`.\`crm_${schema}\`.\`${table}\``);
const sync = SyncSchema.parse({
  name: 'scores',
  from: 'analytics.customer_scores',
  to: { crm: 'hubspot', object: 'contacts' },
  match: { by: 'email', column: 'email' },
  fields: { score: 'tide_score' },
});

function parsesAsBigquery(text: string): number {
  return parse(text, { dialect: 'bigquery', paramTypes: ['?'] }).statements.length;
}

describe('PushSql on BigQuery', () => {
  it('creates the system tables with GoogleSQL types under the warehouse’s own names', () => {
    const [pushed, log] = bq.createTables();
    expect(pushed).toContain('CREATE TABLE IF NOT EXISTS `acme`.`crm_tide`.`pushed`');
    expect(pushed).toContain('value_hash STRING');
    expect(pushed).toContain('version INT64 NOT NULL');
    expect(log).toContain('logged_at TIMESTAMP NOT NULL');
    expect(parsesAsBigquery(pushed!)).toBe(1);
    expect(parsesAsBigquery(log!)).toBe(1);
  });

  it('plans with the newest state per record (QUALIFY) and a caseless email key', () => {
    const plan = bq.planQuery(sync);
    expect(plan).toContain("NULLIF(LOWER(TRIM(CAST(s.`email` AS STRING))), '')");
    expect(plan).toContain('QUALIFY ROW_NUMBER() OVER (PARTITION BY record_key ORDER BY version DESC) = 1');
    expect(parsesAsBigquery(plan)).toBe(1);
    expect(parsesAsBigquery(bq.planQuery(sync, false))).toBe(1);
    expect(parsesAsBigquery(bq.probeColumns(sync, ['email', 'score']))).toBe(1);
  });

  it('sends each batch of rows as one JSON parameter, unpacked with JSON_QUERY_ARRAY', () => {
    const insert = bq.insertPushed('scores', 'run-1', 17, '2026-01-01T00:00:00.000Z', [
      { recordKey: 'a@x.io', crmId: null, hash: 'h', valuesJson: '{}', failures: 0, lastReason: null },
    ]);
    expect(insert.sql).toContain("SELECT ?, JSON_VALUE(j, '$.k'), JSON_VALUE(j, '$.c')");
    expect(insert.sql).toContain("CAST(JSON_VALUE(j, '$.f') AS INT64)");
    expect(insert.sql).toContain('FROM UNNEST(JSON_QUERY_ARRAY(?)) AS j');
    expect(insert.params).toEqual([
      'scores',
      'run-1',
      17,
      '2026-01-01T00:00:00.000Z',
      '[{"k":"a@x.io","c":null,"h":"h","v":"{}","f":0,"r":null}]',
    ]);
    expect(parsesAsBigquery(insert.sql)).toBe(1);
    const compact = bq.compact('scores');
    expect(compact.params).toEqual(['scores']);
    expect(compact.sql).toContain('q.record_key = p.record_key AND q.version > p.version');
    expect(parsesAsBigquery(compact.sql)).toBe(1);
    const log = bq.insertLog('scores', 'run-1', '2026-01-01T00:00:00.000Z', [
      { recordKey: 'a@x.io', crmId: '7', status: 'rejected', reason: "it's bad", attempt: 2 },
    ]);
    expect(log.params).toEqual([
      'run-1',
      'scores',
      '2026-01-01T00:00:00.000Z',
      '[{"k":"a@x.io","c":"7","s":"rejected","r":"it\'s bad","a":2,"i":null,"h":null}]',
    ]);
    expect(parsesAsBigquery(log.sql)).toBe(1);
  });

  it('prunes the push log with one DELETE that has the WHERE BigQuery requires', () => {
    const prune = bq.pruneLog('2026-01-01T00:00:00.000Z');
    expect(prune.sql).toBe('DELETE FROM `acme`.`crm_tide`.`push_log` WHERE logged_at < CAST(? AS TIMESTAMP)');
    expect(prune.params).toEqual(['2026-01-01T00:00:00.000Z']);
    expect(parsesAsBigquery(prune.sql)).toBe(1);
  });
});
