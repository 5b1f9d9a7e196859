import { parse } from 'sql-parser-cst';
import { describe, expect, it } from 'vitest';
import type { CommitPlan } from '../../load/bigquery/bigquery-commit-sql.js';
import { BigqueryDialect } from '../../load/bigquery/bigquery-dialect.js';
import { BigqueryNames } from '../../load/bigquery/bigquery-names.js';
import { BigquerySql } from '../../load/bigquery/bigquery-sql.js';
import type { MappedColumn } from '../../load/column-mapping.js';

/**
 * Golden SQL: the exact text BigQuery receives for every warehouse operation, written out by hand
 * as the specification, and every statement parsed by sql-parser-cst's BigQuery dialect.
 */
const sql = new BigquerySql(new BigqueryNames('acme-analytics'));
const P = '`acme-analytics`';

function parsesAsBigquery(text: string): number {
  return parse(text, { dialect: 'bigquery', paramTypes: ['?', '@name'] }).statements.length;
}

const mapping: MappedColumn[] = [
  { field: 'firstName', column: 'first_name', type: 'string' },
  { field: 'score', column: 'score', type: 'number' },
  { field: 'Email', column: 'email', type: 'string' },
];

const plan: CommitPlan = {
  table: 'hubspot__contacts',
  staging: '_load_hubspot__contacts_20240301T100000000Zab12cd34',
  staged: [
    { field: 'firstName', column: 'first_name', type: 'string' },
    { field: 'score', column: 'score', type: 'string' },
  ],
  mapping,
  replace: false,
  liveIds: null,
  loadId: '20240301T100000000Z-ab12cd34',
  runId: 'run-1',
  source: 'hubspot',
  stream: 'contacts',
  startedAt: '2024-03-01T10:00:00.000Z',
  rowsStaged: 120,
  cursor: { value: '2024-03-01T09:59:59.123Z', ids: ['7', '8'] },
  deletesCheckedAt: new Date('2024-03-01T09:58:00.000Z'),
};

describe('BigQuery warehouse SQL (golden)', () => {
  it('init: one dataset per schema, then the system tables with DuckDB’s layout', () => {
    const text = sql.init('EU');
    expect(text).toBe(`CREATE SCHEMA IF NOT EXISTS ${P}.\`raw\` OPTIONS (location = 'EU');
CREATE SCHEMA IF NOT EXISTS ${P}.\`tide\` OPTIONS (location = 'EU');
CREATE SCHEMA IF NOT EXISTS ${P}.\`staging\` OPTIONS (location = 'EU');
CREATE SCHEMA IF NOT EXISTS ${P}.\`analytics\` OPTIONS (location = 'EU');
CREATE TABLE IF NOT EXISTS ${P}.\`tide\`.\`loads\` (
  load_id STRING NOT NULL, run_id STRING NOT NULL, source STRING NOT NULL, stream STRING NOT NULL,
  started_at TIMESTAMP NOT NULL, completed_at TIMESTAMP NOT NULL,
  rows_staged INT64 NOT NULL, rows_written INT64 NOT NULL, status STRING NOT NULL,
  deletes_checked_at TIMESTAMP
);
ALTER TABLE ${P}.\`tide\`.\`loads\` ADD COLUMN IF NOT EXISTS deletes_checked_at TIMESTAMP;
CREATE TABLE IF NOT EXISTS ${P}.\`tide\`.\`cursors\` (
  load_id STRING NOT NULL, source STRING NOT NULL, stream STRING NOT NULL,
  cursor_value TIMESTAMP NOT NULL, cursor_ids JSON NOT NULL, cursor_token STRING
);
ALTER TABLE ${P}.\`tide\`.\`cursors\` ADD COLUMN IF NOT EXISTS cursor_token STRING;
CREATE TABLE IF NOT EXISTS ${P}.\`tide\`.\`requests\` (
  run_id STRING NOT NULL, source STRING NOT NULL, endpoint STRING NOT NULL,
  status INT64 NOT NULL, count INT64 NOT NULL, recorded_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS ${P}.\`tide\`.\`columns\` (
  table_name STRING NOT NULL, field_name STRING NOT NULL, column_name STRING NOT NULL,
  logical_type STRING NOT NULL, load_id STRING NOT NULL
);
CREATE TABLE IF NOT EXISTS ${P}.\`tide\`.\`runs\` (
  run_id STRING NOT NULL, command STRING NOT NULL, status STRING NOT NULL,
  started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP, exit_code INT64,
  records_loaded INT64, models_built INT64, records_written INT64, records_rejected INT64,
  api_calls INT64, api_errors INT64, counts_json STRING, error_summary STRING,
  recorded_at TIMESTAMP NOT NULL
)`);
    expect(parsesAsBigquery(text)).toBe(11);
  });

  it('reads the column map of one raw table', () => {
    const s = sql.readMappedColumns('hubspot__contacts');
    expect(s.sql).toBe(`SELECT field_name, column_name, logical_type
FROM ${P}.\`tide\`.\`columns\`
WHERE table_name = @table_name
ORDER BY load_id, column_name`);
    expect(s.params).toEqual({ table_name: 'hubspot__contacts' });
    expect(parsesAsBigquery(s.sql)).toBe(1);
  });

  it('creates and drops a staging table that expires by itself', () => {
    const create = sql.createStaging('_load_t_1', mapping.slice(0, 2));
    expect(create).toBe(`CREATE TABLE IF NOT EXISTS ${P}.\`tide\`.\`_load_t_1\` (
  _tide_seq INT64,
  _tide_id STRING,
  _tide_updated_at TIMESTAMP,
  _tide_deleted BOOL,
  _tide_record JSON,
  \`first_name\` STRING,
  \`score\` FLOAT64
)
OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 24 HOUR))`);
    expect(sql.dropStaging('_load_t_1')).toBe(`DROP TABLE IF EXISTS ${P}.\`tide\`.\`_load_t_1\``);
    expect(parsesAsBigquery(create) + parsesAsBigquery(sql.dropStaging('_load_t_1'))).toBe(2);
  });

  it('evolves the schema: table if missing, new columns, then their column-map rows', () => {
    const s = sql.evolveTable('hubspot__contacts', mapping, mapping.slice(2), 'L1');
    expect(s.sql).toBe(`CREATE TABLE IF NOT EXISTS ${P}.\`raw\`.\`hubspot__contacts\` (
  _tide_id STRING NOT NULL,
  _tide_updated_at TIMESTAMP NOT NULL,
  _tide_deleted BOOL NOT NULL,
  _tide_record JSON,
  _tide_loaded_at TIMESTAMP NOT NULL,
  _tide_load_id STRING NOT NULL,
  \`first_name\` STRING,
  \`score\` FLOAT64,
  \`email\` STRING
)
CLUSTER BY _tide_id;
ALTER TABLE ${P}.\`raw\`.\`hubspot__contacts\`
  ADD COLUMN IF NOT EXISTS \`email\` STRING;
INSERT INTO ${P}.\`tide\`.\`columns\` (table_name, field_name, column_name, logical_type, load_id)
SELECT @table_name, c.field_name, c.column_name, c.logical_type, @load_id
FROM UNNEST(@columns) AS c`);
    expect(s.params).toEqual({
      table_name: 'hubspot__contacts',
      load_id: 'L1',
      columns: [{ field_name: 'Email', column_name: 'email', logical_type: 'string' }],
    });
    expect(s.types).toMatchObject({
      columns: [{ field_name: 'STRING', column_name: 'STRING', logical_type: 'STRING' }],
    });
    expect(parsesAsBigquery(s.sql)).toBe(3);
    // Nothing new: only the idempotent CREATE (a first load of a stream without columns).
    expect(parsesAsBigquery(sql.evolveTable('t', [], [], 'L1').sql)).toBe(1);
  });

  it('commits as one transaction: MERGE newest-wins, cursor, completion row last', () => {
    const s = sql.commit(plan);
    const T = `${P}.\`raw\`.\`hubspot__contacts\``;
    expect(s.sql).toBe(`DECLARE _tide_now TIMESTAMP DEFAULT CURRENT_TIMESTAMP();
DECLARE _tide_written INT64 DEFAULT 0;
BEGIN TRANSACTION;
MERGE ${T} AS T
USING (
  SELECT * FROM ${P}.\`tide\`.\`_load_hubspot__contacts_20240301T100000000Zab12cd34\`
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (PARTITION BY _tide_id ORDER BY _tide_updated_at DESC, _tide_seq DESC) = 1
) AS S
ON T._tide_id = S._tide_id
WHEN MATCHED AND (S._tide_updated_at >= T._tide_updated_at OR T._tide_updated_at > T._tide_loaded_at)
  AND NOT (T._tide_updated_at IS NOT DISTINCT FROM S._tide_updated_at
    AND T._tide_deleted IS NOT DISTINCT FROM S._tide_deleted
    AND TO_JSON_STRING(T._tide_record) IS NOT DISTINCT FROM TO_JSON_STRING(S._tide_record)
    AND T.\`first_name\` IS NOT DISTINCT FROM S.\`first_name\`
    AND T.\`score\` IS NOT DISTINCT FROM SAFE_CAST(S.\`score\` AS FLOAT64)
    AND T.\`email\` IS NOT DISTINCT FROM NULL) THEN UPDATE SET
  _tide_updated_at = S._tide_updated_at,
  _tide_deleted = S._tide_deleted,
  _tide_record = S._tide_record,
  _tide_loaded_at = _tide_now,
  _tide_load_id = @load_id,
  \`first_name\` = S.\`first_name\`,
  \`score\` = SAFE_CAST(S.\`score\` AS FLOAT64),
  \`email\` = NULL
WHEN NOT MATCHED BY TARGET THEN INSERT (_tide_id, _tide_updated_at, _tide_deleted, _tide_record, _tide_loaded_at, _tide_load_id, \`first_name\`, \`score\`)
  VALUES (S._tide_id, S._tide_updated_at, S._tide_deleted, S._tide_record, _tide_now, @load_id, S.\`first_name\`, SAFE_CAST(S.\`score\` AS FLOAT64));
SET _tide_written = @@row_count;
INSERT INTO ${P}.\`tide\`.\`cursors\` (load_id, source, stream, cursor_value, cursor_ids, cursor_token)
VALUES (@load_id, @source, @stream, @cursor_value, PARSE_JSON(@cursor_ids), @cursor_token);
INSERT INTO ${P}.\`tide\`.\`loads\`
  (load_id, run_id, source, stream, started_at, completed_at, rows_staged, rows_written, status, deletes_checked_at)
SELECT @load_id, @run_id, @source, @stream, @started_at,
  GREATEST(_tide_now, COALESCE(TIMESTAMP_ADD(MAX(completed_at), INTERVAL 1 MICROSECOND), _tide_now)),
  @rows_staged, _tide_written, 'completed', @deletes_checked_at
FROM ${P}.\`tide\`.\`loads\`
WHERE source = @source AND stream = @stream;
COMMIT TRANSACTION;
SELECT _tide_written AS rows_written`);
    expect(s.params).toEqual({
      load_id: '20240301T100000000Z-ab12cd34',
      run_id: 'run-1',
      source: 'hubspot',
      stream: 'contacts',
      started_at: new Date('2024-03-01T10:00:00.000Z'),
      rows_staged: 120,
      cursor_value: new Date('2024-03-01T09:59:59.123Z'),
      cursor_ids: '["7","8"]',
      cursor_token: null,
      deletes_checked_at: new Date('2024-03-01T09:58:00.000Z'),
    });
    expect(s.types).toMatchObject({ deletes_checked_at: 'TIMESTAMP' });
    expect(parsesAsBigquery(s.sql)).toBe(9);
    // A read that did not check deletes: the column is NULL, typed all the same.
    expect(sql.commit({ ...plan, deletesCheckedAt: null }).params).toMatchObject({
      deletes_checked_at: null,
    });
  });

  it('a full refresh marks unseen rows deleted inside the same transaction', () => {
    const s = sql.commit({ ...plan, replace: true, cursor: null });
    const T = `${P}.\`raw\`.\`hubspot__contacts\``;
    expect(s.sql).toContain(`SET _tide_written = @@row_count;
UPDATE ${T} AS T
SET _tide_deleted = TRUE, _tide_loaded_at = _tide_now, _tide_load_id = @load_id
WHERE NOT T._tide_deleted
  AND NOT EXISTS (SELECT 1 FROM ${P}.\`tide\`.\`_load_hubspot__contacts_20240301T100000000Zab12cd34\` AS S WHERE S._tide_id = T._tide_id);
INSERT INTO ${P}.\`tide\`.\`loads\``);
    // No cursor: no cursor row, so readCursor keeps the previous one.
    expect(s.sql).not.toContain('tide`.`cursors`');
    expect(parsesAsBigquery(s.sql)).toBe(9);
    // An empty package has no staging table: no MERGE, and a full refresh then deletes everything.
    const empty = sql.commit({ ...plan, staging: null, replace: true, cursor: null });
    expect(empty.sql).not.toContain('MERGE');
    expect(empty.sql).toContain('WHERE NOT T._tide_deleted;\nINSERT INTO');
    expect(parsesAsBigquery(empty.sql)).toBe(7);
  });

  it('a live-id listing marks rows neither staged nor listed deleted, in the same transaction', () => {
    const s = sql.commit({ ...plan, liveIds: '_live_hubspot__contacts_L1' });
    const T = `${P}.\`raw\`.\`hubspot__contacts\``;
    expect(s.sql).toContain(`SET _tide_written = @@row_count;
UPDATE ${T} AS T
SET _tide_deleted = TRUE, _tide_loaded_at = _tide_now, _tide_load_id = @load_id
WHERE NOT T._tide_deleted
  AND NOT EXISTS (SELECT 1 FROM ${P}.\`tide\`.\`_load_hubspot__contacts_20240301T100000000Zab12cd34\` AS S WHERE S._tide_id = T._tide_id)
  AND NOT EXISTS (SELECT 1 FROM ${P}.\`tide\`.\`_live_hubspot__contacts_L1\` AS L WHERE L._tide_id = T._tide_id);
INSERT INTO ${P}.\`tide\`.\`cursors\``);
    expect(parsesAsBigquery(s.sql)).toBe(10);
    const table = sql.createLiveIds('_live_hubspot__contacts_L1');
    expect(table).toContain(`${P}.\`tide\`.\`_live_hubspot__contacts_L1\` (\n  _tide_id STRING\n)`);
    expect(table).toContain('expiration_timestamp');
    expect(parsesAsBigquery(table)).toBe(1);
  });

  it('converts a staged column whose committed type differs, NULL where it cannot', () => {
    const s = sql.commit({
      ...plan,
      staged: [
        { field: 'a', column: 'a', type: 'json' },
        { field: 'b', column: 'b', type: 'integer' },
      ],
      mapping: [
        { field: 'a', column: 'a', type: 'string' },
        { field: 'b', column: 'b', type: 'json' },
      ],
    }).sql;
    expect(s).toContain('`a` = SAFE_CAST(JSON_VALUE(S.`a`) AS STRING)');
    expect(s).toContain('`b` = TO_JSON(S.`b`)');
    expect(parsesAsBigquery(s)).toBe(9);
  });

  it('reads the committed cursor and the per-stream status', () => {
    const cursor = sql.readCursor('hubspot', 'contacts');
    expect(cursor.sql).toBe(`SELECT c.cursor_value, c.cursor_ids, c.cursor_token
FROM ${P}.\`tide\`.\`cursors\` AS c
JOIN ${P}.\`tide\`.\`loads\` AS l ON l.load_id = c.load_id
WHERE l.status = 'completed' AND l.source = @source AND l.stream = @stream
ORDER BY l.completed_at DESC
LIMIT 1`);
    expect(cursor.params).toEqual({ source: 'hubspot', stream: 'contacts' });
    expect(sql.latestLoads()).toBe(`WITH done AS (
  SELECT source, stream, load_id, completed_at, deletes_checked_at FROM ${P}.\`tide\`.\`loads\` WHERE status = 'completed'
),
last_load AS (
  SELECT source, stream, load_id AS last_load_id, completed_at AS last_completed_at,
    MAX(deletes_checked_at) OVER (PARTITION BY source, stream) AS deletes_checked_at
  FROM done
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (PARTITION BY source, stream ORDER BY completed_at DESC) = 1
),
last_cursor AS (
  SELECT d.source, d.stream, c.cursor_value, c.cursor_ids, c.cursor_token
  FROM ${P}.\`tide\`.\`cursors\` AS c
  JOIN done AS d ON d.load_id = c.load_id
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (PARTITION BY d.source, d.stream ORDER BY d.completed_at DESC) = 1
)
SELECT l.source, l.stream, l.last_load_id, l.last_completed_at, c.cursor_value, c.cursor_ids, c.cursor_token,
  l.deletes_checked_at
FROM last_load AS l
LEFT JOIN last_cursor AS c ON c.source = l.source AND c.stream = l.stream
ORDER BY l.source, l.stream`);
    expect(sql.rawTables()).toBe(`SELECT table_name FROM ${P}.\`raw\`.INFORMATION_SCHEMA.TABLES`);
    expect(sql.tableStats(['a__b', 'c__d'])).toBe(
      `SELECT 'a__b' AS table_name, COUNT(*) AS row_count, COUNTIF(_tide_deleted) AS deleted_count, MAX(_tide_updated_at) AS newest
FROM ${P}.\`raw\`.\`a__b\`
UNION ALL
SELECT 'c__d' AS table_name, COUNT(*) AS row_count, COUNTIF(_tide_deleted) AS deleted_count, MAX(_tide_updated_at) AS newest
FROM ${P}.\`raw\`.\`c__d\``,
    );
    for (const text of [cursor.sql, sql.latestLoads(), sql.rawTables(), sql.tableStats(['a__b', 'c__d'])]) {
      expect(parsesAsBigquery(text)).toBe(1);
    }
  });

  it('appends request counts from one array-of-struct parameter', () => {
    const s = sql.insertRequests('run-1', [
      { source: 'hubspot', endpoint: '/crm/v3', status: 429, count: 3 },
    ]);
    expect(
      s.sql,
    ).toBe(`INSERT INTO ${P}.\`tide\`.\`requests\` (run_id, source, endpoint, status, count, recorded_at)
SELECT @run_id, r.source, r.endpoint, r.status, r.count, CURRENT_TIMESTAMP()
FROM UNNEST(@rows) AS r`);
    expect(s.params).toEqual({
      run_id: 'run-1',
      rows: [{ source: 'hubspot', endpoint: '/crm/v3', status: 429, count: 3 }],
    });
    expect(parsesAsBigquery(s.sql)).toBe(1);
  });

  it('escapes identifiers and strings the GoogleSQL way, so hostile text stays inside its quotes', () => {
    const d = new BigqueryDialect();
    const bqIdent = (name: string): string => d.quoteIdent(name);
    const bqString = (text: string): string => d.string(text);
    expect(bqIdent('a`b\\c')).toBe('`a\\`b\\\\c`');
    expect(bqString("it's\n\\")).toBe("'it\\'s\\n\\\\'");
    const hostile = "x'; DROP TABLE y; --";
    const text = `SELECT ${bqString(hostile)} AS ${bqIdent('we`ird')} FROM ${bqIdent('p')}.${bqIdent('d')}.${bqIdent('t')}`;
    const program = parse(text, { dialect: 'bigquery' });
    expect(program.statements).toHaveLength(1);
    expect(JSON.stringify(program)).toContain('"value":"x\'; DROP TABLE y; --"');
  });
});
