import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../core/record.js';
import type { BigqueryDouble } from './bigquery-double.js';
import { PROJECT, startDouble, warehouseOn } from './bigquery-test-client.js';
import type { DoubleHooks } from './double-hooks.js';

/**
 * The load path at the contract: what @google-cloud/bigquery really sends for one package — the
 * upload's job configuration and file, the jobs around it and their order — checked by the double
 * against BigQuery's v2 REST shapes.
 */
const rec = (id: string, at: string, fields: Record<string, unknown>, deleted = false): SourceRecord => ({
  id,
  updatedAt: at,
  deleted,
  fields,
});
const T1 = '2024-03-01T10:00:00.000Z';
const T2 = '2024-03-02T10:00:00.000Z';

let double: BigqueryDouble;
let dir: string;

/** Answers the two reads a package makes: the committed column map and the commit's row count. */
function answers(columns: readonly Record<string, string>[], rowsWritten: number): DoubleHooks['answer'] {
  const columnFields = ['field_name', 'column_name', 'logical_type'].map((name) => ({
    name,
    type: 'STRING' as const,
  }));
  return (job) =>
    job.labels.tide === 'columns'
      ? { fields: columnFields, rows: columns }
      : job.labels.tide === 'commit'
        ? { fields: [{ name: 'rows_written', type: 'INTEGER' }], rows: [{ rows_written: rowsWritten }] }
        : {};
}

beforeEach(async () => {
  double = await startDouble({ pollsUntilDone: 2 });
  dir = await mkdtemp(join(tmpdir(), 'tide-bq-req-'));
  double.hooks.answer = answers([], 0);
});
afterEach(async () => {
  await double.close();
  await rm(dir, { recursive: true, force: true });
});

const labels = () => double.queryJobs.map((j) => j.labels.tide);

describe('BigQuery load requests', () => {
  it('stages records through one upload, evolves the table, commits, and cleans up', async () => {
    const w = warehouseOn(double, {}, { tmpDir: dir });
    await w.init();
    const pkg = await w.beginLoad({ source: 'hubspot', stream: 'contacts', runId: 'run-7', replace: false });
    await pkg.ensureColumns([
      { name: 'firstName', type: 'string' },
      { name: 'amount', type: 'number' },
      { name: 'props', type: 'json' },
      { name: 'big', type: 'integer' },
    ]);
    await pkg.append([
      rec('1', T1, { firstName: 'Ada', amount: '12.5', props: { a: [1] }, big: '9007199254740993' }),
      rec('2', T2, { firstName: 'Bo', amount: 'n/a', surprise: true }, true),
    ]);
    await pkg.commit({ value: T2, ids: ['2'] }, { deletesCheckedAt: T1 });

    expect(labels()).toEqual(['init', 'columns', 'stage', 'columns', 'evolve', 'commit', 'unstage']);
    const [load] = double.loadJobs;
    const staging = `_load_hubspot__contacts_${pkg.loadId.replace(/[^a-z0-9]/gi, '')}`;
    expect(load?.config).toEqual({
      destinationTable: { projectId: PROJECT, datasetId: 'tide', tableId: staging },
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      schema: {
        fields: [
          { name: '_tide_seq', type: 'INTEGER' },
          { name: '_tide_id', type: 'STRING' },
          { name: '_tide_updated_at', type: 'TIMESTAMP' },
          { name: '_tide_deleted', type: 'BOOLEAN' },
          { name: '_tide_record', type: 'JSON' },
          { name: 'first_name', type: 'STRING' },
          { name: 'amount', type: 'FLOAT' },
          { name: 'props', type: 'JSON' },
          { name: 'big', type: 'INTEGER' },
          { name: 'surprise', type: 'STRING' },
        ],
      },
      writeDisposition: 'WRITE_APPEND',
      createDisposition: 'CREATE_NEVER',
      schemaUpdateOptions: ['ALLOW_FIELD_ADDITION'],
      ignoreUnknownValues: false,
      maxBadRecords: 0,
    });
    expect(load?.gzip).toBe(true);
    expect(load?.rows).toEqual([
      {
        _tide_seq: 0,
        _tide_id: '1',
        _tide_updated_at: T1,
        _tide_deleted: false,
        _tide_record: { firstName: 'Ada', amount: '12.5', props: { a: [1] }, big: '9007199254740993' },
        first_name: 'Ada',
        amount: 12.5,
        props: { a: [1] },
        big: '9007199254740993',
      },
      {
        _tide_seq: 1,
        _tide_id: '2',
        _tide_updated_at: T2,
        _tide_deleted: true,
        _tide_record: { firstName: 'Bo', amount: 'n/a', surprise: true },
        first_name: 'Bo',
        surprise: 'true',
      },
    ]);
    // The upload names no location: BigQuery runs a load where its table's dataset is.
    const upload = double.requests.find((r) => r.kind === 'upload');
    expect(upload?.query).toEqual({ uploadType: 'multipart' });

    const commit = double.queryJobs.find((j) => j.labels.tide === 'commit');
    expect(commit?.location).toBe('EU');
    expect(commit?.params).toEqual({
      load_id: pkg.loadId,
      run_id: 'run-7',
      source: 'hubspot',
      stream: 'contacts',
      started_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      rows_staged: 2,
      cursor_value: T2,
      cursor_ids: '["2"]',
      cursor_token: null,
      // A TIMESTAMP parameter on the wire, as the cursor's value.
      deletes_checked_at: T1,
    });
    // Completion row last, after the cursor row, inside the one transaction.
    const sql = commit?.sql ?? '';
    const order = ['BEGIN TRANSACTION', 'MERGE ', '`cursors`', '`loads`', 'COMMIT TRANSACTION'].map((s) =>
      sql.indexOf(s),
    );
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });

  it('polls every job until DONE, with the location BigQuery reported', async () => {
    const w = warehouseOn(double);
    await w.init();
    const statusCalls = double.requests.filter((r) => r.kind === 'status');
    expect(statusCalls).toHaveLength(2);
    expect(statusCalls.every((r) => r.query.location === 'EU')).toBe(true);
  });

  it('uploads one load job per batchSize rows, and creates the staging table once', async () => {
    const w = warehouseOn(double, { batchSize: 3 }, { tmpDir: dir });
    const pkg = await w.beginLoad({ source: 'crm', stream: 'deals', runId: 'r', replace: false });
    await pkg.append(Array.from({ length: 7 }, (_, i) => rec(String(i), T1, { n: i })));
    expect(double.loadJobs.map((j) => j.rows.length)).toEqual([3, 3]);
    await pkg.commit(null);
    expect(double.loadJobs.map((j) => j.rows.map((r) => r._tide_seq))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(labels().filter((l) => l === 'stage')).toHaveLength(1);
    // No cursor: the commit writes no cursor row, and sends no cursor parameters.
    const commit = double.queryJobs.find((j) => j.labels.tide === 'commit');
    expect(commit?.sql).not.toContain('`cursors`');
    expect(Object.keys(commit?.params ?? {})).not.toContain('cursor_value');
    expect(await readdir(dir)).toEqual([]);
  });

  it('adds only the new columns on a later load, from the committed column map', async () => {
    double.hooks.answer = answers([{ field_name: 'Email', column_name: 'email', logical_type: 'string' }], 1);
    const w = warehouseOn(double, {}, { tmpDir: dir });
    const pkg = await w.beginLoad({ source: 'crm', stream: 'contacts', runId: 'r', replace: false });
    await pkg.ensureColumns([
      { name: 'Email', type: 'string' },
      { name: 'email', type: 'string' },
    ]);
    await pkg.append([rec('1', T1, { Email: 'A@x.io', email: 'a@x.io' })]);
    expect(await pkg.commit(null)).toMatchObject({ rowsStaged: 1, rowsWritten: 1 });
    const evolve = double.queryJobs.find((j) => j.labels.tide === 'evolve');
    if (evolve === undefined) throw new Error('no evolve job');
    // `Email` keeps the column it had; the newcomer `email` gets a hashed name.
    const added = (evolve.params as { columns: { field_name: string; column_name: string }[] }).columns;
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      field_name: 'email',
      column_name: expect.stringMatching(/^email_[0-9a-f]{8}$/),
    });
    expect(evolve?.sql).toContain(`ADD COLUMN IF NOT EXISTS \`${added[0]?.column_name}\` STRING;`);
    expect(evolve?.sql).not.toContain('ADD COLUMN IF NOT EXISTS `email` ');
    expect(double.loadJobs[0]?.rows[0]).toMatchObject({ email: 'A@x.io', [added[0]!.column_name]: 'a@x.io' });
  });

  it('needs no evolve job when the table already has every column', async () => {
    double.hooks.answer = answers([{ field_name: 'v', column_name: 'v', logical_type: 'string' }], 1);
    const w = warehouseOn(double, {}, { tmpDir: dir });
    const pkg = await w.beginLoad({ source: 'crm', stream: 'contacts', runId: 'r', replace: false });
    await pkg.append([rec('1', T1, { v: 'x' })]);
    await pkg.commit(null);
    expect(labels()).toEqual(['columns', 'stage', 'columns', 'commit', 'unstage']);
  });

  it('abort drops the staging table and never commits; a crash leaves only an expiring table', async () => {
    const w = warehouseOn(double, { batchSize: 1 }, { tmpDir: dir });
    const pkg = await w.beginLoad({ source: 'crm', stream: 'contacts', runId: 'r', replace: true });
    await pkg.append([rec('1', T1, {}), rec('2', T1, {})]);
    await pkg.abort();
    expect(labels()).toEqual(['columns', 'stage', 'unstage']);
    expect(double.statements.at(-1)).toMatch(
      /^DROP TABLE IF EXISTS `tide-test-project`\.`tide`\.`_load_crm__contacts_/,
    );

    const crashed = await w.beginLoad({ source: 'crm', stream: 'contacts', runId: 'r', replace: false });
    await crashed.append([rec('3', T1, {})]);
    await w.close();
    expect(labels().slice(3)).toEqual(['columns', 'stage']);
    expect(double.statements.at(-1)).toContain(
      'OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 24 HOUR))',
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('a full refresh of nothing still stages (empty) so unseen rows are marked deleted', async () => {
    const w = warehouseOn(double, {}, { tmpDir: dir });
    const pkg = await w.beginLoad({ source: 'crm', stream: 'contacts', runId: 'r', replace: true });
    await pkg.commit(null);
    expect(double.loadJobs).toHaveLength(0);
    expect(labels()).toEqual(['columns', 'stage', 'columns', 'evolve', 'commit', 'unstage']);
    const commit = double.queryJobs.find((j) => j.labels.tide === 'commit');
    expect(commit?.sql).toContain('SET _tide_deleted = TRUE');
    expect(commit?.params).toMatchObject({ rows_staged: 0 });
  });

  it('refuses a cursor that is not a timestamp before sending anything', async () => {
    const w = warehouseOn(double, {}, { tmpDir: dir });
    const pkg = await w.beginLoad({ source: 'crm', stream: 'contacts', runId: 'r', replace: false });
    await pkg.append([rec('1', T1, {})]);
    await expect(pkg.commit({ value: 'not a time', ids: [] })).rejects.toMatchObject({
      code: 'warehouse_error',
    });
    expect(labels()).toEqual(['columns']);
  });

  it('a record whose updatedAt is not a timestamp is refused with its id', async () => {
    const w = warehouseOn(double, {}, { tmpDir: dir });
    const pkg = await w.beginLoad({ source: 'crm', stream: 'contacts', runId: 'r', replace: false });
    await expect(pkg.append([rec('x-1', 'yesterday', {})])).rejects.toThrow(
      /record "x-1" has updatedAt "yesterday"/,
    );
    await pkg.abort();
  });
});
