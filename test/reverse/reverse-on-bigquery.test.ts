import { parse } from 'sql-parser-cst';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HubspotSourceSchema } from '../../connectors/hubspot/hubspot-config.js';
import { hubspotClientFor } from '../../connectors/hubspot/hubspot-connection.js';
import { HubspotDestination } from '../../connectors/hubspot/hubspot-destination.js';
import type { Destination, WriteRecord, WriteTarget } from '../../core/destination.js';
import { BigqueryDialect } from '../../load/bigquery/bigquery-dialect.js';
import type { BigqueryWarehouse } from '../../load/bigquery/bigquery-warehouse.js';
import type { Warehouse } from '../../load/warehouse.js';
import { MemoryLogger } from '../../log/console-logger.js';
import { PushSql } from '../../reverse/push-sql.js';
import { runReverse } from '../../reverse/run-reverse.js';
import type { SyncReport } from '../../reverse/run-sync.js';
import { SyncSchema } from '../../reverse/sync-config.js';
import {
  type StartedHubspotSimulator,
  startHubspotSimulator,
} from '../../simulators/hubspot/start-hubspot-simulator.js';
import type { BigqueryDouble } from '../bigquery/bigquery-double.js';
import { startDouble, warehouseOn } from '../bigquery/bigquery-test-client.js';
import type { DoubleQueryJob } from '../bigquery/double-hooks.js';
import { PushSqlOracle } from '../bigquery/push-sql-oracle.js';
import { createTable, memoryWarehouse } from './warehouse-fixture.js';

/**
 * Reverse ETL reading a model on BigQuery, end to end: `runReverse` (what `tide reverse` runs) on the
 * BigQuery warehouse — the real @google-cloud/bigquery client talking to the BigQuery double — pushes
 * to the HubSpot simulator. The double checks every request and parses every statement as GoogleSQL;
 * its answers come from PushSqlOracle, which runs each statement's DuckDB twin on a DuckDB copy of
 * the model, so the plan BigQuery "returns" reflects the state rows the run itself wrote through
 * BigQuery parameters. The GoogleSQL text is pinned below; its BigQuery semantics are not executed.
 */

interface Contact {
  readonly id: string;
  readonly archived?: boolean;
  readonly properties: Readonly<Record<string, string | null>>;
}

const SYNC = SyncSchema.parse({
  name: 'bq_scores',
  from: 'analytics.customer_scores',
  to: { crm: 'hubspot', object: 'contacts' },
  match: { by: 'id', column: 'hubspot_id' },
  fields: { score: 'rev_score', tier: 'rev_tier' },
});
const ROWS = 120;

/** Reverse ETL's state tables, created by the first push (GoogleSQL types). */
const CREATE_PUSHED_SQL = `CREATE TABLE IF NOT EXISTS tide.pushed (
  sync STRING NOT NULL,
  record_key STRING NOT NULL,
  crm_id STRING,
  value_hash STRING,
  values_json STRING,
  failures INT64 NOT NULL,
  last_reason STRING,
  run_id STRING NOT NULL,
  version INT64 NOT NULL,
  updated_at TIMESTAMP NOT NULL
)`;
const CREATE_LOG_SQL = `CREATE TABLE IF NOT EXISTS tide.push_log (
  run_id STRING NOT NULL,
  sync STRING NOT NULL,
  record_key STRING,
  crm_id STRING,
  status STRING NOT NULL,
  reason STRING,
  attempt INT64 NOT NULL,
  logged_at TIMESTAMP NOT NULL,
  call_id STRING,
  value_hash STRING
)`;

/** Logs created before write intents get the intent columns. */
const ADD_LOG_COLUMNS_SQL = [
  'ALTER TABLE tide.push_log ADD COLUMN IF NOT EXISTS call_id STRING',
  'ALTER TABLE tide.push_log ADD COLUMN IF NOT EXISTS value_hash STRING',
];

/** Conflicts a push found (reverse/conflict-sql.ts), created with the state tables. */
const CREATE_CONFLICTS_SQL = `CREATE TABLE IF NOT EXISTS tide.push_conflicts (
  run_id STRING NOT NULL,
  sync STRING NOT NULL,
  record_key STRING NOT NULL,
  crm_id STRING,
  field STRING NOT NULL,
  crm_value STRING,
  pushed_value STRING,
  new_value STRING,
  rule STRING NOT NULL,
  outcome STRING NOT NULL,
  seen_in STRING NOT NULL,
  logged_at TIMESTAMP NOT NULL
)`;

/** Intents a stopped run left without an answer (reverse/open-intents.ts), read before planning. */
const OPEN_INTENTS_SQL = new PushSql(new BigqueryDialect()).openIntents('bq_scores').sql;

/** The column check: the match column and every mapped column, no rows read. */
const PROBE_SQL = 'SELECT s.`hubspot_id`, s.`score`, s.`tier` FROM analytics.customer_scores AS s LIMIT 0';

/** The plan query as BigQuery receives it: backtick identifiers, STRING casts, QUALIFY for the newest state. */
const PLAN_SQL = `SELECT s.\`hubspot_id\` AS \`hubspot_id\`, s.\`score\` AS \`score\`, s.\`tier\` AS \`tier\`,
  NULLIF(TRIM(CAST(s.\`hubspot_id\` AS STRING)), '') AS __tide_key,
  COUNT(*) OVER (PARTITION BY NULLIF(TRIM(CAST(s.\`hubspot_id\` AS STRING)), '')) AS __tide_rows,
  p.value_hash AS __tide_hash,
  p.values_json AS __tide_values,
  p.failures AS __tide_failures,
  p.crm_id AS __tide_crm_id,
  p.updated_at AS __tide_pushed_at
FROM analytics.customer_scores AS s
LEFT JOIN (
  SELECT record_key, value_hash, values_json, failures, crm_id, updated_at
  FROM tide.pushed
  WHERE sync = 'bq_scores'
  QUALIFY ROW_NUMBER() OVER (PARTITION BY record_key ORDER BY version DESC) = 1
) AS p ON p.record_key = NULLIF(TRIM(CAST(s.\`hubspot_id\` AS STRING)), '')`;

/** One batch of confirmed writes: every state row travels in one JSON parameter (the last `?`). */
const INSERT_PUSHED_SQL = `INSERT INTO tide.pushed (sync, record_key, crm_id, value_hash, values_json, failures, last_reason, run_id, version, updated_at)
SELECT ?, JSON_VALUE(j, '$.k'), JSON_VALUE(j, '$.c'), JSON_VALUE(j, '$.h'), JSON_VALUE(j, '$.v'), CAST(JSON_VALUE(j, '$.f') AS INT64), JSON_VALUE(j, '$.r'), ?, ?, CAST(? AS TIMESTAMP)
FROM UNNEST(JSON_QUERY_ARRAY(?)) AS j`;

const INSERT_LOG_SQL = `INSERT INTO tide.push_log (run_id, sync, record_key, crm_id, status, reason, attempt, logged_at, call_id, value_hash)
SELECT ?, ?, JSON_VALUE(j, '$.k'), JSON_VALUE(j, '$.c'), JSON_VALUE(j, '$.s'), JSON_VALUE(j, '$.r'), CAST(JSON_VALUE(j, '$.a') AS INT64), CAST(? AS TIMESTAMP), JSON_VALUE(j, '$.i'), JSON_VALUE(j, '$.h')
FROM UNNEST(JSON_QUERY_ARRAY(?)) AS j`;

/** Push-log retention, once per run that pushed (`reverse.pushLogRetentionDays`, 90 by default). */
const PRUNE_LOG_SQL = 'DELETE FROM tide.push_log WHERE logged_at < CAST(? AS TIMESTAMP)';
const PRUNE_CONFLICTS_SQL = 'DELETE FROM tide.push_conflicts WHERE logged_at < CAST(? AS TIMESTAMP)';

const COMPACT_SQL = `DELETE FROM tide.pushed AS p
WHERE p.sync = ? AND EXISTS (
  SELECT 1 FROM tide.pushed AS q
  WHERE q.sync = p.sync AND q.record_key = p.record_key AND q.version > p.version
)`;

let sim: StartedHubspotSimulator;
let contacts: Contact[];
let double: BigqueryDouble;
let model: Warehouse;
let bigquery: BigqueryWarehouse;
let sent: WriteRecord[];

beforeAll(async () => {
  sim = await startHubspotSimulator({ seed: 23, scale: 400, burstLimit: 0, searchPerSecond: 0 });
  await sim.control.configure({ addProperty: { name: 'rev_score', type: 'number', label: 'Reverse score' } });
  await sim.control.configure({
    addProperty: { name: 'rev_tier', type: 'enumeration', options: ['hot', 'warm', 'cold'] },
  });
  contacts = ((await sim.control.truth('contacts')) as Contact[]).filter((c) => !c.archived).slice(0, ROWS);
  expect(contacts).toHaveLength(ROWS);
});
afterAll(() => sim.close());

beforeEach(async () => {
  model = await memoryWarehouse();
  await createTable(
    model,
    'analytics.customer_scores',
    contacts.map((c, i) => ({ hubspot_id: c.id, score: i, tier: i >= 60 ? 'Hot' : 'cold' })),
    { hubspot_id: 'VARCHAR', score: 'DOUBLE', tier: 'VARCHAR' },
  );
  double = await startDouble();
  double.hooks = new PushSqlOracle(model, [SYNC], {
    hubspot_id: 'STRING',
    score: 'FLOAT',
    tier: 'STRING',
  }).hooks();
  bigquery = warehouseOn(double);
  await bigquery.init();
  sent = [];
  await sim.control.resetStats();
});
afterEach(async () => {
  await bigquery.close();
  await double.close();
  await model.close();
});

/** The HubSpot destination, remembering every record handed to a write call. */
class RecordingDestination extends HubspotDestination {
  override write(target: WriteTarget, records: readonly WriteRecord[], signal?: AbortSignal) {
    sent.push(...records);
    return super.write(target, records, signal);
  }
}

function recordingDestination(): Destination {
  const config = HubspotSourceSchema.parse({ kind: 'hubspot', name: 'hubspot', tokenEnv: 'HS_TOKEN' });
  return new RecordingDestination(
    'hubspot',
    hubspotClientFor(config, { env: { HS_TOKEN: sim.token }, baseUrl: sim.baseUrl }),
  );
}

/** One `tide reverse` of the sync on the BigQuery warehouse; returns its report and the jobs it sent. */
async function reverse(
  runId: string,
  dryRun = false,
): Promise<{ report: SyncReport; jobs: DoubleQueryJob[] }> {
  const before = double.queryJobs.length;
  const [report] = await runReverse({
    syncs: [SYNC],
    destination: () => recordingDestination(),
    warehouse: bigquery,
    runId,
    log: new MemoryLogger(),
    dryRun,
    pushLogRetentionDays: 90,
  });
  return { report: report!, jobs: double.queryJobs.slice(before) };
}

async function crmValues(ids: readonly string[]): Promise<Map<string, Contact['properties']>> {
  const wanted = new Set(ids);
  const all = (await sim.control.truth('contacts')) as Contact[];
  return new Map(all.filter((c) => wanted.has(c.id)).map((c) => [c.id, c.properties]));
}

function parsesAsGoogleSql(sql: string): number {
  return parse(sql, { dialect: 'bigquery', paramTypes: ['?'] }).statements.length;
}

/** The keys of the state rows one INSERT INTO tide.pushed carried (its JSON parameter). */
function pushedKeys(job: DoubleQueryJob): string[] {
  const params = job.params as readonly unknown[];
  return (JSON.parse(String(params.at(-1))) as { k: string }[]).map((row) => row.k).sort();
}

describe('reverse ETL reading a model on BigQuery (double) into HubSpot (simulator)', () => {
  it('pushes every record once, then exactly the changed ones, then nothing', async () => {
    const ids = contacts.map((c) => c.id).sort();

    // First run: no state yet, every row is new.
    const first = await reverse('run-1');
    expect(first.report.error).toBeNull();
    expect(first.report.status).toBe('ok');
    expect(first.report.counts).toMatchObject({ written: ROWS, rejected: 0, writeCalls: 2 });
    expect(sent.map((r) => r.key).sort()).toEqual(ids);
    const afterFirst = await crmValues([contacts[7]!.id, contacts[61]!.id]);
    expect(afterFirst.get(contacts[7]!.id)).toMatchObject({ rev_score: '7', rev_tier: 'cold' });
    expect(afterFirst.get(contacts[61]!.id)).toMatchObject({ rev_score: '61', rev_tier: 'hot' });

    // What BigQuery received, in order: the column probe, the state tables, the open intents of a
    // stopped run (none), the plan; then each write call's intent lines, saved before the call (two
    // calls, saved in one or two inserts); one state insert (BigQuery saves state every 2,000
    // records, so 120 fit one), one log insert of the answers, the compaction, the retention delete.
    const statements = first.jobs.map((j) => j.sql);
    expect(statements.slice(0, 8)).toEqual([
      PROBE_SQL,
      CREATE_PUSHED_SQL,
      CREATE_LOG_SQL,
      ...ADD_LOG_COLUMNS_SQL,
      CREATE_CONFLICTS_SQL,
      OPEN_INTENTS_SQL,
      PLAN_SQL,
    ]);
    const intents = statements.slice(8, -5);
    expect(intents.length).toBeGreaterThanOrEqual(1);
    expect(intents.every((sql) => sql === INSERT_LOG_SQL)).toBe(true);
    expect(statements.slice(-5)).toEqual([
      INSERT_PUSHED_SQL,
      INSERT_LOG_SQL,
      COMPACT_SQL,
      PRUNE_LOG_SQL,
      PRUNE_CONFLICTS_SQL,
    ]);
    for (const sql of statements) expect(parsesAsGoogleSql(sql), sql).toBe(1);
    expect(first.jobs.every((j) => j.location === 'EU')).toBe(true);
    const job = (sql: string) => first.jobs.find((j) => j.sql === sql)!;
    expect(pushedKeys(job(INSERT_PUSHED_SQL))).toEqual(ids);
    expect((job(INSERT_PUSHED_SQL).params as unknown[]).slice(0, 2)).toEqual(['bq_scores', 'run-1']);
    expect(job(COMPACT_SQL).params).toEqual(['bq_scores']);
    const cutoff = Date.parse(String((job(PRUNE_LOG_SQL).params as unknown[])[0]));
    expect(Math.abs(Date.now() - 90 * 86_400_000 - cutoff)).toBeLessThan(60_000);

    // The model changes three rows: two scores, one tier (a cold row crossing into Hot).
    await model.execute(
      `UPDATE analytics.customer_scores SET score = score + 100 WHERE hubspot_id IN ('${contacts[3]!.id}', '${contacts[90]!.id}');
       UPDATE analytics.customer_scores SET tier = 'Hot' WHERE hubspot_id = '${contacts[10]!.id}'`,
    );
    sent = [];
    await sim.control.resetStats();
    const second = await reverse('run-2');
    expect(second.report.error).toBeNull();
    expect(second.report.plan).toMatchObject({ unchanged: ROWS - 3, changedUpdated: 3, changedNew: 0 });
    const changed = [contacts[3]!.id, contacts[10]!.id, contacts[90]!.id].sort();
    expect(sent.map((r) => r.key).sort()).toEqual(changed);
    expect((await sim.control.stats()).writes).toBe(1);
    const afterSecond = await crmValues(changed);
    expect(afterSecond.get(contacts[3]!.id)).toMatchObject({ rev_score: '103', rev_tier: 'cold' });
    expect(afterSecond.get(contacts[10]!.id)).toMatchObject({ rev_score: '10', rev_tier: 'hot' });
    expect(afterSecond.get(contacts[90]!.id)).toMatchObject({ rev_score: '190', rev_tier: 'hot' });
    const secondInserts = second.jobs.filter((j) => j.sql === INSERT_PUSHED_SQL);
    expect(secondInserts.map(pushedKeys)).toEqual([changed]);

    // Nothing changed since: zero CRM writes, no state row.
    sent = [];
    await sim.control.resetStats();
    const third = await reverse('run-3');
    expect(third.report.error).toBeNull();
    expect(third.report.plan).toMatchObject({ unchanged: ROWS, changedUpdated: 0, changedNew: 0 });
    expect(third.report.counts).toMatchObject({ written: 0, writeCalls: 0 });
    expect(sent).toEqual([]);
    expect((await sim.control.stats()).writes).toBe(0);
    expect(third.jobs.filter((j) => j.sql === INSERT_PUSHED_SQL)).toEqual([]);
  });

  it('a dry run reads the plan through BigQuery and writes nowhere', async () => {
    const { report, jobs } = await reverse('dry-1', true);
    expect(report.status).toBe('dry-run');
    expect(report.plan).toMatchObject({ changedNew: ROWS });
    expect(sent).toEqual([]);
    expect((await sim.control.stats()).writes).toBe(0);
    // tide.pushed does not exist yet: the probe fails, and the plan joins no state instead.
    const statements = jobs.map((j) => j.sql);
    expect(statements).toContain('SELECT record_key FROM tide.pushed LIMIT 0');
    expect(statements.some((s) => s.includes('FROM tide.pushed\n  WHERE sync ='))).toBe(false);
    expect(statements.some((s) => /^(CREATE|INSERT|DELETE)/.test(s))).toBe(false);
    for (const sql of statements) expect(parsesAsGoogleSql(sql), sql).toBe(1);
  });
});
