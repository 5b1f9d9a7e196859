import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../load/warehouse.js';
import { MemoryLogger } from '../../log/console-logger.js';
import { runReverse } from '../../reverse/run-reverse.js';
import type { SyncReport } from '../../reverse/run-sync.js';
import { SyncSchema } from '../../reverse/sync-config.js';
import { expectGolden, expectNoStrayGoldens } from '../golden/golden-file.js';
import { MemoryCrm } from '../reverse/memory-crm.js';
import { memoryWarehouse } from '../reverse/warehouse-fixture.js';

/**
 * Reverse ETL's statement list on DuckDB, pinned like test/reverse/reverse-on-bigquery.test.ts pins
 * BigQuery's: every statement `runReverse` (what `tide reverse` runs) sends the warehouse, in order,
 * for a first push, a push of three changed rows, a push of nothing and a dry run. The golden files
 * hold the SQL text and each statement's parameter count (the values are run ids and clocks). On
 * DuckDB state is saved after every confirmed batch (the dialect's stateFlushRecords = 1), so the
 * first push writes two state inserts where BigQuery writes one. Regenerate with `npm run golden`.
 */
const DIR = join(import.meta.dirname, 'golden', 'reverse');
const ROWS = 120;
const SYNC = SyncSchema.parse({
  name: 'duck_scores',
  from: 'analytics.scores',
  to: { crm: 'memcrm', object: 'contacts' },
  match: { by: 'id', column: 'crm_id' },
  fields: { score: 'score', tier: 'tier' },
  // One call in flight: batches (and so their state saves) happen in one order every time.
  concurrency: 1,
});

interface Sent {
  readonly how: 'query' | 'execute';
  readonly sql: string;
  readonly params: number;
}

/** The warehouse, remembering every statement it is sent. */
function recording(inner: Warehouse, sent: Sent[]): Warehouse {
  return {
    dialect: inner.dialect,
    init: () => inner.init(),
    healRawTable: (source, stream) => inner.healRawTable(source, stream),
    beginLoad: (target) => inner.beginLoad(target),
    readCursor: (source, stream) => inner.readCursor(source, stream),
    streamStatus: () => inner.streamStatus(),
    recordRequests: (runId, rows) => inner.recordRequests(runId, rows),
    query: (sql, params) => {
      sent.push({ how: 'query', sql, params: params?.length ?? 0 });
      return inner.query(sql, params);
    },
    execute: (sql) => {
      sent.push({ how: 'execute', sql, params: 0 });
      return inner.execute(sql);
    },
    close: () => inner.close(),
  };
}

function goldenText(sent: readonly Sent[]): string {
  return `${sent.map((s) => `-- ${s.how}, ${s.params} parameter(s)\n${s.sql};`).join('\n\n')}\n`;
}

let warehouse: Warehouse;
let crm: MemoryCrm;
let sent: Sent[];

beforeEach(async () => {
  warehouse = await memoryWarehouse();
  await warehouse.execute(`CREATE SCHEMA analytics;
    CREATE TABLE analytics.scores AS
    SELECT CAST(i AS VARCHAR) AS crm_id, CAST(i % 100 AS DOUBLE) AS score,
           CASE WHEN i % 2 = 0 THEN 'Gold' ELSE 'silver' END AS tier
    FROM range(1, ${ROWS + 1}) t(i)`);
  crm = new MemoryCrm();
  crm.seed(ROWS);
  sent = [];
});
afterEach(() => warehouse.close());

async function reverse(runId: string, dryRun = false): Promise<SyncReport> {
  sent.length = 0;
  const [report] = await runReverse({
    syncs: [SYNC],
    destination: () => crm,
    warehouse: recording(warehouse, sent),
    runId,
    log: new MemoryLogger(),
    dryRun,
    pushLogRetentionDays: 90,
  });
  if (report === undefined) throw new Error('no report');
  expect(report.error).toBeNull();
  return report;
}

describe('reverse ETL statements on DuckDB (golden)', () => {
  it('a first push, a push of three changes, a push of nothing', async () => {
    const first = await reverse('run-1');
    expect(first.counts).toMatchObject({ written: ROWS, rejected: 0, writeCalls: 2 });
    expectGolden(goldenText(sent), join(DIR, 'first-push.sql'));

    await warehouse.execute(
      `UPDATE analytics.scores SET score = 100 - score WHERE crm_id IN ('3', '90');
       UPDATE analytics.scores SET tier = 'Gold' WHERE crm_id = '11'`,
    );
    const second = await reverse('run-2');
    expect(second.counts).toMatchObject({ written: 3, writeCalls: 1 });
    expectGolden(goldenText(sent), join(DIR, 'changed-push.sql'));

    const third = await reverse('run-3');
    expect(third.counts).toMatchObject({ written: 0, writeCalls: 0 });
    expectGolden(goldenText(sent), join(DIR, 'unchanged-push.sql'));
  });

  it('a dry run before any push: reads, creates nothing', async () => {
    const report = await reverse('dry-1', true);
    expect(report.status).toBe('dry-run');
    expect(sent.some((s) => /^(CREATE|INSERT|DELETE)/.test(s.sql))).toBe(false);
    expectGolden(goldenText(sent), join(DIR, 'dry-run.sql'));
  });

  it('every golden file is one of these runs', () => {
    expectNoStrayGoldens(DIR, new Set(['first-push', 'changed-push', 'unchanged-push', 'dry-run']));
  });
});
