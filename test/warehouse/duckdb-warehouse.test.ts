import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TideError } from '../../core/tide-error.js';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../load/warehouse.js';
import { collect, rec } from '../conformance/warehouse-harness.js';

/** The default load memory limit and package size (extract.checkpointEvery). */
const WIDE_LIMIT = '256MB';
const WIDE_ROWS = 50_000;

/** DuckDB-only behaviour: value shapes of query(), file handling, errors. */
describe('DuckdbWarehouse', () => {
  let dir: string;
  let warehouse: Warehouse | null = null;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tide-duck-'));
  });
  afterEach(async () => {
    await warehouse?.close();
    warehouse = null;
    await rm(dir, { recursive: true, force: true });
  });

  it('returns plain JS values for every DuckDB type a model can produce', async () => {
    warehouse = await openDuckdbWarehouse({ path: ':memory:' });
    const [row] = await collect(
      warehouse.query(`SELECT
        42::BIGINT AS big_safe, 9007199254740993::BIGINT AS big_unsafe, 170141183460469231731687303715884105727::HUGEINT AS huge,
        12.345::DECIMAL(10, 3) AS dec, 1.5::DOUBLE AS dbl, 3::INTEGER AS int, true AS bool,
        TIMESTAMPTZ '2024-01-31 12:00:00.123456+00' AS tstz, TIMESTAMP '1969-12-31 23:59:59.9995' AS ts,
        DATE '2024-02-29' AS d, '{"a":[1,{"b":null}]}'::JSON AS j, 'text' AS s, NULL AS n,
        [1, 2, 3] AS list, {'k': 'v', 't': DATE '2024-01-01'} AS struct, 'infinity'::TIMESTAMPTZ AS inf,
        '\\x41\\x42'::BLOB AS bytes, 1 AS dup, 2 AS dup`),
    );
    const { bytes, ...rest } = row ?? {};
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect([...(bytes as Uint8Array)]).toEqual([0x41, 0x42]);
    expect(rest).toEqual({
      big_safe: 42,
      big_unsafe: '9007199254740993',
      huge: '170141183460469231731687303715884105727',
      dec: 12.345,
      dbl: 1.5,
      int: 3,
      bool: true,
      tstz: '2024-01-31T12:00:00.123Z',
      ts: '1969-12-31T23:59:59.999Z',
      d: '2024-02-29',
      j: { a: [1, { b: null }] },
      s: 'text',
      n: null,
      list: [1, 2, 3],
      struct: { k: 'v', t: '2024-01-01' },
      inf: 'infinity',
      dup: 1,
      'dup:1': 2,
    });
  });

  it('binds parameters of every plain JS kind', async () => {
    warehouse = await openDuckdbWarehouse({ path: ':memory:' });
    const [row] = await collect(
      warehouse.query('SELECT ? AS s, ? AS n, ? AS f, ? AS b, ? AS t, ?::JSON AS j, ? AS nothing, ? AS big', [
        "it's",
        7,
        2.5,
        false,
        new Date('2024-01-31T12:00:00.000Z'),
        { x: [1] },
        null,
        2n ** 62n,
      ]),
    );
    expect(row).toEqual({
      s: "it's",
      n: 7,
      f: 2.5,
      b: false,
      t: '2024-01-31T12:00:00.000Z',
      j: { x: [1] },
      nothing: null,
      big: String(2n ** 62n),
    });
    await expect(collect(warehouse.query('SELECT ?', [Symbol('x')]))).rejects.toThrow(TideError);
  });

  it('works with a file called tide.duckdb although a schema is called tide', async () => {
    const path = join(dir, 'tide.duckdb');
    warehouse = await openDuckdbWarehouse({ path });
    await warehouse.init();
    await warehouse.execute(
      'CREATE SCHEMA IF NOT EXISTS analytics; CREATE TABLE analytics.x AS SELECT 1 AS one',
    );
    await warehouse.close();
    warehouse = await openDuckdbWarehouse({ path });
    expect(await collect(warehouse.query('SELECT one FROM analytics.x'))).toEqual([{ one: 1 }]);
    expect(await collect(warehouse.query('SELECT count(*) AS n FROM tide.loads'))).toEqual([{ n: 0 }]);
    expect(await collect(warehouse.query(`SELECT current_setting('TimeZone') AS tz`))).toEqual([
      { tz: 'UTC' },
    ]);
  });

  it('a warehouse made before cursor tokens and delete checks keeps its cursors and gains both columns at init', async () => {
    const path = join(dir, 'old.duckdb');
    warehouse = await openDuckdbWarehouse({ path });
    // The system tables as they were before cursor_token existed, with one committed cursor.
    await warehouse.execute(`CREATE SCHEMA tide;
      CREATE TABLE tide.loads (load_id VARCHAR NOT NULL, run_id VARCHAR NOT NULL, source VARCHAR NOT NULL,
        stream VARCHAR NOT NULL, started_at TIMESTAMPTZ NOT NULL, completed_at TIMESTAMPTZ NOT NULL,
        rows_staged BIGINT NOT NULL, rows_written BIGINT NOT NULL, status VARCHAR NOT NULL);
      CREATE TABLE tide.cursors (load_id VARCHAR NOT NULL, source VARCHAR NOT NULL, stream VARCHAR NOT NULL,
        cursor_value TIMESTAMPTZ NOT NULL, cursor_ids JSON NOT NULL);
      INSERT INTO tide.loads VALUES ('l1', 'r1', 'crm', 'contacts', TIMESTAMPTZ '2024-03-01 10:00:00+00',
        TIMESTAMPTZ '2024-03-01 10:00:01+00', 1, 1, 'completed');
      INSERT INTO tide.cursors VALUES ('l1', 'crm', 'contacts', TIMESTAMPTZ '2024-03-01 09:00:00+00', '["a"]');`);
    await warehouse.init();
    expect(await warehouse.readCursor('crm', 'contacts')).toStrictEqual({
      value: '2024-03-01T09:00:00.000Z',
      ids: ['a'],
    });
    const pkg = await warehouse.beginLoad({ source: 'crm', stream: 'contacts', runId: 'r2', replace: false });
    await pkg.append([rec('b', '2024-03-02T09:00:00.000Z', {})]);
    await pkg.commit(
      { value: '2024-03-02T09:00:00.000Z', ids: ['b'], token: 'delta-1' },
      { deletesCheckedAt: '2024-03-02T08:00:00.000Z' },
    );
    expect(await warehouse.readCursor('crm', 'contacts')).toStrictEqual({
      value: '2024-03-02T09:00:00.000Z',
      ids: ['b'],
      token: 'delta-1',
    });
    // The loads table gained deletes_checked_at too: NULL for the old load, the new one's time shown.
    expect(
      await collect(warehouse.query('SELECT deletes_checked_at FROM tide.loads ORDER BY completed_at')),
    ).toEqual([{ deletes_checked_at: null }, { deletes_checked_at: '2024-03-02T08:00:00.000Z' }]);
    expect((await warehouse.streamStatus())[0]?.deletesCheckedAt).toBe('2024-03-02T08:00:00.000Z');
  });
  it('explains what to do when the file cannot be opened', async () => {
    const error = await openDuckdbWarehouse({ path: join(dir, 'missing-dir', 'x.duckdb') }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TideError);
    expect((error as TideError).code).toBe('warehouse_error');
    expect((error as TideError).hint).toMatch(/directory exists/);
  });

  it('a query the caller stops reading early releases its transaction (CHECKPOINT is not refused)', async () => {
    warehouse = await openDuckdbWarehouse({ path: join(dir, 'early.duckdb') });
    await warehouse.execute('CREATE TABLE t AS SELECT range AS i FROM range(10000)');
    for (const sql of ['SELECT count(*) AS n FROM t', 'SELECT a.i FROM t AS a, t AS b']) {
      // Stops after one row; the cross join (10^8 rows) must not be computed to the end either.
      for await (const _ of warehouse.query(sql)) break;
      await warehouse.execute('CREATE OR REPLACE TABLE u AS SELECT * FROM t');
      await expect(warehouse.execute('CHECKPOINT')).resolves.toBeUndefined();
    }
  });

  it('reports SQL errors as TideErrors and keeps working', async () => {
    warehouse = await openDuckdbWarehouse({ path: ':memory:' });
    await expect(warehouse.execute('SELECT * FROM nowhere')).rejects.toThrow(/statement failed.*nowhere/);
    await expect(collect(warehouse.query('SELEC 1'))).rejects.toBeInstanceOf(TideError);
    expect(await collect(warehouse.query('SELECT 1 AS ok'))).toEqual([{ ok: 1 }]);
  });

  it('rejects a record whose updatedAt is not a timestamp and a cursor that is not one', async () => {
    warehouse = await openDuckdbWarehouse({ path: ':memory:' });
    await warehouse.init();
    const pkg = await warehouse.beginLoad({ source: 'crm', stream: 'c', runId: 'r', replace: false });
    await expect(pkg.append([rec('1', 'last tuesday', {})])).rejects.toThrow(/updatedAt "last tuesday"/);
    await pkg.append([rec('2', '2024-01-01T00:00:00.000Z', {})]);
    await expect(pkg.commit({ value: 'soon', ids: [] })).rejects.toThrow(/cursor value "soon"/);
    const result = await pkg.commit({ value: '2024-01-01T00:00:00.000Z', ids: ['2'] });
    expect(result.rowsWritten).toBe(1);
  });

  it('closing with a package open commits nothing and leaves no staging table behind', async () => {
    const path = join(dir, 'w.duckdb');
    warehouse = await openDuckdbWarehouse({ path });
    await warehouse.init();
    const pkg = await warehouse.beginLoad({ source: 'crm', stream: 'c', runId: 'r', replace: false });
    await pkg.append([rec('1', '2024-01-01T00:00:00.000Z', { a: 1 })]);
    await warehouse.close();
    await expect(pkg.commit(null)).rejects.toThrow(/aborted/);
    warehouse = await openDuckdbWarehouse({ path });
    const tables = await collect(
      warehouse.query(`SELECT database_name, schema_name, table_name FROM duckdb_tables() ORDER BY ALL`),
    );
    expect(tables.map((t) => `${t.schema_name}.${t.table_name}`)).toEqual([
      'tide.columns',
      'tide.cursors',
      'tide.loads',
      'tide.requests',
      'tide.runs',
    ]);
  });

  /** A package of `n` wide records (about 6 KB staged each); the last is a newer version of record 0. */
  async function wideLoad(w: Warehouse, n: number, duplicate: boolean) {
    const fields = (i: number) =>
      Object.fromEntries(
        Array.from({ length: 40 }, (_, c) => [`f${c}`, `value ${c} of record ${i} `.repeat(3)]),
      );
    const pkg = await w.beginLoad({ source: 'crm', stream: 'wide', runId: 'r', replace: false });
    for (let start = 0; start < n; start += 2_000) {
      await pkg.append(
        Array.from({ length: Math.min(2_000, n - start) }, (_, k) => {
          const i = start + k;
          return duplicate && i === n - 1
            ? rec('0', '2024-01-02T00:00:00.000Z', { ...fields(0), f0: 'newest' })
            : rec(String(i), '2024-01-01T00:00:00.000Z', fields(i));
        }),
      );
    }
    return pkg;
  }
  const wideRows = async (w: Warehouse) =>
    collect(
      w.query(
        `SELECT count(*)::INTEGER AS n, max(f0) FILTER (WHERE _tide_id = '0') AS f0 FROM raw.crm__wide`,
      ),
    );

  it('commits a package of wide records with an id twice: the newest version is chosen on narrow columns', async () => {
    // Ranking the versions of a duplicated id used to sort whole staged rows, all held at once: with
    // the default limit and package size this failed with Out of Memory, and so did every rerun.
    warehouse = await openDuckdbWarehouse({
      path: join(dir, 'wide.duckdb'),
      memoryLimit: WIDE_LIMIT,
      loadMemoryLimit: WIDE_LIMIT,
    });
    await warehouse.init();
    const pkg = await wideLoad(warehouse, WIDE_ROWS, true);
    expect((await pkg.commit(null)).rowsWritten).toBe(WIDE_ROWS - 1);
    expect(await wideRows(warehouse)).toEqual([{ n: WIDE_ROWS - 1, f0: 'newest' }]);
  });

  it('gives a commit that outgrows the load memory limit the query limit, and says what to raise when that is not enough', async () => {
    warehouse = await openDuckdbWarehouse({
      path: join(dir, 'lift.duckdb'),
      memoryLimit: '512MB',
      loadMemoryLimit: '64MB',
    });
    await warehouse.init();
    const pkg = await wideLoad(warehouse, 10_000, false);
    expect((await pkg.commit(null)).rowsWritten).toBe(10_000);
    expect(await wideRows(warehouse)).toEqual([{ n: 10_000, f0: 'value 0 of record 0 '.repeat(3) }]);
    await warehouse.close();

    warehouse = await openDuckdbWarehouse({
      path: join(dir, 'tight.duckdb'),
      memoryLimit: '64MB',
      loadMemoryLimit: '64MB',
    });
    await warehouse.init();
    const tight = await wideLoad(warehouse, 10_000, false);
    const failure = await tight.commit(null).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TideError);
    expect((failure as TideError).hint).toContain('raise warehouse.memoryLimit');
    expect((failure as TideError).hint).toContain('extract.checkpointEvery');
    await tight.abort();
    expect(await warehouse.readCursor('crm', 'wide')).toBeNull();
    const tables = await collect(
      warehouse.query(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'crm__wide'`),
    );
    expect(tables).toEqual([{ n: 0 }]);
  });

  it('spills beside its file, never into the directory tide runs in', async () => {
    const spill = async (w: Warehouse) =>
      (await collect(w.query(`SELECT current_setting('temp_directory') AS dir`)))[0]?.dir;
    const path = join(dir, 'spill.duckdb');
    warehouse = await openDuckdbWarehouse({ path });
    await warehouse.init();
    expect(await spill(warehouse)).toBe(`${path}.tmp`);
    await warehouse.close();
    // Read-only: the user may not write beside the file.
    warehouse = await openDuckdbWarehouse({ path, readOnly: true });
    expect(await spill(warehouse)).toBe(join(tmpdir(), `tide-duckdb-${process.pid}`));
  });

  it('holds the load memory limit while a package is open and the query limit otherwise', async () => {
    warehouse = await openDuckdbWarehouse({
      path: ':memory:',
      memoryLimit: '300MB',
      loadMemoryLimit: '100MB',
    });
    await warehouse.init();
    const limit = async (w: Warehouse) =>
      (await collect(w.query(`SELECT current_setting('memory_limit') AS limit`)))[0]?.limit;
    expect(await limit(warehouse)).toBe('286.1 MiB');
    const pkg = await warehouse.beginLoad({ source: 'crm', stream: 'c', runId: 'r', replace: false });
    expect(await limit(warehouse)).toBe('95.3 MiB');
    await pkg.append([rec('1', '2024-01-01T00:00:00.000Z', { a: 1 })]);
    await pkg.commit(null);
    expect(await limit(warehouse)).toBe('286.1 MiB');
    const rows = await collect(warehouse.query('SELECT _tide_id FROM raw.crm__c'));
    expect(rows).toEqual([{ _tide_id: '1' }]);
  });
});
