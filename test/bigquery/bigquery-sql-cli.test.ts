import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../../core/tide-error.js';
import type { BigqueryWarehouseConfig } from '../../load/bigquery/bigquery-config.js';
import { tide, writeConfig } from '../cli/cli-helpers.js';
import type { BigqueryDouble } from './bigquery-double.js';
import { startDouble } from './bigquery-test-client.js';
import type { QueryAnswer } from './bigquery-wire.js';
import type { DoubleQueryJob } from './double-hooks.js';

/**
 * `tide sql` on a BigQuery warehouse, through the real CLI: pipeline.config.ts says `kind:
 * 'bigquery'`, the CLI opens the warehouse as always, and only the construction of the SDK client
 * is replaced — by the real SDK pointed at the double (no credentials or network exist here).
 */
const wired = vi.hoisted(() => ({
  double: null as BigqueryDouble | null,
  configs: [] as BigqueryWarehouseConfig[],
}));
vi.mock('../../load/bigquery/create-bigquery-client.js', async () => {
  const { sdkClient } = await import('./bigquery-sdk-client.js');
  return {
    createBigqueryClient: (config: BigqueryWarehouseConfig) => {
      wired.configs.push(config);
      if (wired.double === null) throw new Error('no double');
      return sdkClient(wired.double);
    },
  };
});

const QUERY = 'select crm, records, share, newest, flags, active from analytics.crm_summary order by crm';

/** Five rows over three result pages (the double serves two rows per page). */
function answer(job: DoubleQueryJob): QueryAnswer {
  if (job.labels.tide !== 'query') return {};
  if (job.sql !== QUERY) throw new Error(`unexpected query: ${job.sql}`);
  const row = (crm: string, records: number | string, share: number | null, active: boolean) => ({
    crm,
    records,
    share,
    newest: '2024-03-01T10:00:00.123Z',
    flags: { vip: Number(records) > 10 },
    active,
  });
  return {
    fields: [
      { name: 'crm', type: 'STRING' },
      { name: 'records', type: 'INTEGER' },
      { name: 'share', type: 'FLOAT' },
      { name: 'newest', type: 'TIMESTAMP' },
      { name: 'flags', type: 'JSON' },
      { name: 'active', type: 'BOOLEAN' },
    ],
    rows: [
      row('hubspot', 15, 0.5, true),
      row('pipedrive', 5, null, false),
      row('salesforce', 6, 0.25, true),
      row('zoho', 0, 0, false),
      // Beyond 2^53: BigQuery sends INT64 as text, and so must Tide hand it on.
      row('zz', '9007199254740993', 1, true),
    ],
  };
}

let double: BigqueryDouble;
let file: string;
beforeAll(async () => {
  double = await startDouble({ maxPageRows: 2 });
  double.hooks.answer = answer;
  wired.double = double;
  file = writeConfig(() => ({
    sources: [{ kind: 'hubspot', tokenEnv: 'TIDE_TEST_HS_TOKEN' }],
    warehouse: { kind: 'bigquery', projectId: 'tide-test-project', location: 'EU' },
  })).file;
});
afterAll(() => double.close());

describe('tide sql on BigQuery', () => {
  it('runs the query as a job in the configured project and location, and prints every page', async () => {
    const run = await tide('sql', QUERY, '--config', file);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(ExitCode.ok);
    expect(wired.configs.at(-1)).toMatchObject({ projectId: 'tide-test-project', location: 'EU' });
    const job = double.queryJobs.find((j) => j.sql === QUERY);
    expect(job).toMatchObject({ location: 'EU', labels: { tide: 'query' } });
    expect(double.requests.filter((r) => r.kind === 'results' && r.jobId === job?.jobId).length).toBe(3);
    expect(run.stdout.split('\n').slice(0, 7)).toEqual([
      'crm         records           share  newest                    flags          active',
      '----------  ----------------  -----  ------------------------  -------------  ------',
      'hubspot     15                0.5    2024-03-01T10:00:00.123Z  {"vip":true}   true',
      'pipedrive   5                 NULL   2024-03-01T10:00:00.123Z  {"vip":false}  false',
      'salesforce  6                 0.25   2024-03-01T10:00:00.123Z  {"vip":false}  true',
      'zoho        0                 0      2024-03-01T10:00:00.123Z  {"vip":false}  false',
      'zz          9007199254740993  1      2024-03-01T10:00:00.123Z  {"vip":true}   true',
    ]);
    expect(run.stdout).toContain('(5 rows)');
  });

  it('streams json with the values DuckDB would give (INT64 beyond 2^53 as text)', async () => {
    const run = await tide('sql', QUERY, '--format', 'json', '--config', file);
    expect(run.code).toBe(ExitCode.ok);
    const rows = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(5);
    expect(rows[1]).toEqual({
      crm: 'pipedrive',
      records: 5,
      share: null,
      newest: '2024-03-01T10:00:00.123Z',
      flags: { vip: false },
      active: false,
    });
    expect(rows[4]?.records).toBe('9007199254740993');
  });

  it('a query BigQuery refuses fails with the job id and BigQuery’s message', async () => {
    const run = await tide('sql', 'select crm from analytics.crm_summary where', '--config', file);
    expect(run.code).toBe(ExitCode.failure);
    expect(run.stderr).toMatch(
      /BigQuery query failed \(job tide_query_[0-9a-f]{32}\): invalidQuery: Syntax error/,
    );
  });
});
