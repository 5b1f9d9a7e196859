import { parse } from 'sql-parser-cst';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BigqueryDialect } from '../../load/bigquery/bigquery-dialect.js';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../load/warehouse.js';
import { findBreaches } from '../../ops/health/breaches.js';
import { loadHealthData } from '../../ops/health/load-health-data.js';
import { ThresholdsSchema } from '../../ops/health/thresholds.js';
import { buildSections } from '../../ops/report/report-charts.js';
import { RunHistory } from '../../ops/runs/run-history.js';
import type { RunCounts, RunRecord } from '../../ops/runs/run-record.js';
import { RunTally } from '../../ops/runs/run-tally.js';
import { RunsSql } from '../../ops/runs/runs-sql.js';

const COUNTS: RunCounts = {
  streams: [
    {
      source: 'hubspot',
      stream: 'contacts',
      status: 'ok',
      records: 120,
      deleted: 2,
      seconds: 1.5,
      error: null,
    },
    {
      source: 'crm_two',
      stream: 'Lead',
      status: 'failed',
      records: 0,
      deleted: 0,
      seconds: 0.2,
      error: 'http_error: 500',
    },
  ],
  models: { status: 'ok', built: 31, unchanged: 0, failed: 0, skipped: 0, testsFailed: 0, seconds: 4 },
  syncs: [
    {
      sync: 'scores',
      source: 'hubspot',
      object: 'contacts',
      status: 'ok',
      written: 40,
      rejected: 2,
      skipped: 0,
      calls: 3,
      conflicts: 1,
      error: null,
    },
  ],
  requests: [
    {
      source: 'hubspot',
      calls: 10,
      errors: 1,
      byClass: { '2xx': 9, '3xx': 0, '4xx': 0, '429': 1, '5xx': 0, network: 0 },
    },
  ],
};

function record(runId: string, startedAt: string, status: RunRecord['status'] = 'success'): RunRecord {
  return {
    runId,
    command: 'run',
    status,
    startedAt: new Date(startedAt),
    finishedAt: new Date(Date.parse(startedAt) + 60_000),
    exitCode: status === 'success' ? 0 : status === 'partial' ? 3 : 1,
    counts: COUNTS,
    errorSummary: status === 'success' ? null : "crm_two.Lead: http_error: 500 ('quoted' text)",
  };
}

const H = 3_600_000;
const T0 = Date.parse('2026-03-01T02:00:00Z');

/** A finished run `hours` after T0 (one minute long). */
async function finishedRun(warehouse: Warehouse, id: string, hours: number): Promise<void> {
  const startedAt = new Date(T0 + hours * H);
  await new RunHistory(warehouse).finish({
    runId: id,
    command: 'run',
    status: 'success',
    startedAt,
    finishedAt: new Date(startedAt.getTime() + 60_000),
    exitCode: 0,
    counts: null,
    errorSummary: null,
  });
}

/** A completed load of a stream at `hours`, that checked deletes up to `checked` hours (or did not). */
async function checkedLoad(
  warehouse: Warehouse,
  stream: string,
  hours: number,
  checked: number | null,
): Promise<void> {
  const at = new Date(T0 + hours * H + 30_000).toISOString();
  const upTo = checked === null ? 'NULL' : `'${new Date(T0 + checked * H).toISOString()}'::TIMESTAMPTZ`;
  await warehouse.execute(
    `INSERT INTO tide.loads (load_id, run_id, source, stream, started_at, completed_at, rows_staged, rows_written, status, deletes_checked_at)
     VALUES ('l-${stream}-${hours}', 'r', 'crm', '${stream}', '${at}'::TIMESTAMPTZ, '${at}'::TIMESTAMPTZ, 0, 0, 'completed', ${upTo})`,
  );
}

describe('tide.runs on DuckDB (the real warehouse)', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await openDuckdbWarehouse({ path: ':memory:' });
    await warehouse.init();
  });
  afterEach(async () => {
    await warehouse.close();
  });

  it("charts hours since each stream's newest deletes check at each run, and breaches past deletesCheckAgeHours", async () => {
    // `swept` checks on a daily cadence, `daily` on every run, `never` never; runs every 12 hours.
    for (const [i, hours] of [0, 12, 24, 36].entries()) {
      await finishedRun(warehouse, `run-${i}`, hours);
      await checkedLoad(warehouse, 'daily', hours, hours);
      await checkedLoad(warehouse, 'swept', hours, hours % 24 === 0 ? hours : null);
      await checkedLoad(warehouse, 'never', hours, null);
    }
    const data = await loadHealthData(warehouse, 10);
    const series = new Map(data.metrics.deletesCheckAgeHours.map((s) => [s.object, s.values]));
    expect([...series.keys()].sort()).toEqual(['daily', 'swept']);
    // At each run's end (a minute after its start), the age of the newest check completed by then.
    expect(series.get('daily')).toEqual([0, 0, 0, 0]);
    expect(series.get('swept')).toEqual([0, 12, 0, 12]);

    const relaxed = ThresholdsSchema.parse({ deletesCheckAgeHours: 13 });
    expect(findBreaches(data, relaxed).filter((b) => b.metric === 'deletesCheckAgeHours')).toEqual([]);
    // The sweep stops: the next two runs check nothing for `swept`.
    for (const [id, hours] of [
      ['run-4', 48],
      ['run-5', 60],
    ] as const) {
      await finishedRun(warehouse, id, hours);
      await checkedLoad(warehouse, 'daily', hours, hours);
      await checkedLoad(warehouse, 'swept', hours, null);
    }
    const later = await loadHealthData(warehouse, 10);
    const breaches = findBreaches(later, relaxed).filter((b) => b.metric === 'deletesCheckAgeHours');
    expect(breaches.map((b) => [b.object, b.value, b.runId])).toEqual([['swept', 36, 'run-5']]);
  });

  it('a run shows as running from its start, then as its final row with counts and totals', async () => {
    const history = new RunHistory(warehouse, { now: () => new Date('2026-03-01T02:00:00Z') });
    await history.start({ runId: 'r1', command: 'run', startedAt: new Date('2026-03-01T02:00:00Z') });
    expect((await history.recent(10)).map((r) => [r.runId, r.status])).toEqual([['r1', 'running']]);

    await history.finish(record('r1', '2026-03-01T02:00:00Z', 'partial'));
    const [run] = await history.recent(10);
    expect(run).toMatchObject({ runId: 'r1', status: 'partial', exitCode: 3, command: 'run' });
    expect(run?.counts).toEqual(COUNTS);
    expect(run?.errorSummary).toBe("crm_two.Lead: http_error: 500 ('quoted' text)");
    expect(run?.finishedAt?.toISOString()).toBe('2026-03-01T02:01:00.000Z');
    const rows: Record<string, unknown>[] = [];
    for await (const r of warehouse.query('SELECT * FROM tide.runs')) rows.push({ ...r });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      records_loaded: 120,
      models_built: 31,
      records_written: 40,
      records_rejected: 2,
      api_calls: 10,
      api_errors: 1,
    });
  });

  it("a sync's conflicts per run reach the health report as a chart of their own", async () => {
    const history = new RunHistory(warehouse, { now: () => new Date('2026-03-01T02:00:00Z') });
    await history.finish(record('r1', '2026-03-01T02:00:00Z'));
    // A run recorded before conflict rules existed: its syncs hold no count (read as 0).
    await history.finish({
      ...record('r0', '2026-02-28T02:00:00Z'),
      counts: { ...COUNTS, syncs: COUNTS.syncs.map(({ conflicts: _, ...s }) => s) as RunCounts['syncs'] },
    });
    const data = await loadHealthData(warehouse, 10);
    expect(data.reverse.map((r) => [r.sync, r.conflicts])).toEqual([['scores', [0, 1]]]);
    const charts = buildSections(data, ThresholdsSchema.parse({})).flatMap((s) => s.charts);
    const conflicts = charts.find((c) => c.id === 'conflicts-scores');
    expect(conflicts?.series.map((s) => [s.name, s.values])).toEqual([['conflicts', [0, 1]]]);
  });

  it('keeps the newest runs first and prunes runs older than the retention, whatever their status', async () => {
    const history = new RunHistory(warehouse, { now: () => new Date('2026-03-31T00:00:00Z') });
    await history.finish(record('old', '2026-01-01T02:00:00Z', 'failed'));
    await history.start({
      runId: 'crashed',
      command: 'extract',
      startedAt: new Date('2026-01-02T02:00:00Z'),
    });
    await history.finish(record('recent', '2026-03-30T02:00:00Z'));
    await history.finish(record('newest', '2026-03-31T02:00:00Z'));
    expect((await history.recent(2)).map((r) => r.runId)).toEqual(['newest', 'recent']);

    await history.prune(null);
    expect(await history.recent(10)).toHaveLength(4);
    await history.prune(30);
    expect((await history.recent(10)).map((r) => r.runId)).toEqual(['newest', 'recent']);
  });
});

describe('tide.runs on BigQuery (the statements, parsed as GoogleSQL)', () => {
  const sql = new RunsSql(new BigqueryDialect());
  const parses = (text: string): number =>
    parse(text, { dialect: 'bigquery', paramTypes: ['?'] }).statements.length;

  it('writes one row from one JSON parameter, every value typed by the dialect', () => {
    const insert = sql.insert(record('r1', '2026-03-01T02:00:00Z'), new Date('2026-03-01T02:01:00Z'));
    expect(
      insert.sql,
    ).toBe(`INSERT INTO \`tide\`.\`runs\` (run_id, command, status, started_at, finished_at, exit_code, records_loaded, models_built, records_written, records_rejected, api_calls, api_errors, counts_json, error_summary, recorded_at)
SELECT JSON_VALUE(j, '$.r'), JSON_VALUE(j, '$.c'), JSON_VALUE(j, '$.s'), CAST(JSON_VALUE(j, '$.sa') AS TIMESTAMP), CAST(JSON_VALUE(j, '$.fa') AS TIMESTAMP), CAST(JSON_VALUE(j, '$.e') AS INT64), CAST(JSON_VALUE(j, '$.rl') AS INT64), CAST(JSON_VALUE(j, '$.mb') AS INT64), CAST(JSON_VALUE(j, '$.rw') AS INT64), CAST(JSON_VALUE(j, '$.rr') AS INT64), CAST(JSON_VALUE(j, '$.ac') AS INT64), CAST(JSON_VALUE(j, '$.ae') AS INT64), JSON_VALUE(j, '$.j'), JSON_VALUE(j, '$.es'), CAST(JSON_VALUE(j, '$.ra') AS TIMESTAMP)
FROM UNNEST(JSON_QUERY_ARRAY(?)) AS j`);
    expect(insert.params).toHaveLength(1);
    expect(JSON.parse(String(insert.params[0]))[0]).toMatchObject({ r: 'r1', e: 0, rl: 120, es: null });
    expect(parses(insert.sql)).toBe(1);
  });

  it('deletes the running row, prunes by start time, reads the newest row per run', () => {
    for (const statement of [
      sql.deleteStarted('r1'),
      sql.prune('2026-01-01T00:00:00.000Z'),
      sql.history(30),
    ]) {
      expect(parses(statement.sql)).toBe(1);
    }
    expect(sql.prune('x').sql).toBe('DELETE FROM `tide`.`runs` WHERE started_at < CAST(? AS TIMESTAMP)');
    expect(sql.history(30).sql).toContain('LIMIT 30');
  });
});

describe('RunTally', () => {
  it('sorts requests into status classes (429 apart), counts errors, and summarises what went wrong', () => {
    const tally = new RunTally();
    tally.requests([
      { source: 'b', status: 200, count: 90 },
      { source: 'b', status: 429, count: 4 },
      { source: 'b', status: 404, count: 1 },
      { source: 'b', status: 503, count: 2 },
      { source: 'b', status: 0, count: 3 },
      { source: 'a', status: 201, count: 5 },
    ]);
    tally.fatal(new Error('warehouse went away'));
    const counts = tally.counts();
    expect(counts.requests).toEqual([
      {
        source: 'a',
        calls: 5,
        errors: 0,
        byClass: { '2xx': 5, '3xx': 0, '4xx': 0, '429': 0, '5xx': 0, network: 0 },
      },
      {
        source: 'b',
        calls: 100,
        errors: 10,
        byClass: { '2xx': 90, '3xx': 0, '4xx': 1, '429': 4, '5xx': 2, network: 3 },
      },
    ]);
    expect(tally.errorSummary()).toBe('warehouse went away');
  });
});
