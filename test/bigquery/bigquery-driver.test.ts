import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TideError } from '../../core/tide-error.js';
import { backoffDelay } from '../../load/bigquery/bigquery-backoff.js';
import { BigqueryDriver } from '../../load/bigquery/bigquery-driver.js';
import type { BigqueryDouble } from './bigquery-double.js';
import { FAST, sdkClient, startDouble, warehouseOn } from './bigquery-test-client.js';

/** Job polling, backoff and the transient/terminal split, against the double's injected faults. */
let double: BigqueryDouble;
let dir: string;
beforeEach(async () => {
  double = await startDouble({ pollsUntilDone: 1 });
  dir = await mkdtemp(join(tmpdir(), 'tide-bq-up-'));
});
afterEach(async () => {
  await double.close();
  await rm(dir, { recursive: true, force: true });
});

async function loadFile(content: string): Promise<string> {
  const file = join(dir, 'part.ndjson');
  await writeFile(file, content);
  return file;
}

const driver = (sleep?: (ms: number) => Promise<void>) =>
  new BigqueryDriver({
    client: sdkClient(double),
    location: 'EU',
    ...(FAST.poll ? { poll: FAST.poll } : {}),
    ...(FAST.retry ? { retry: FAST.retry } : {}),
    ...(sleep ? { sleep } : {}),
  });

async function failure(promise: Promise<unknown>): Promise<TideError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TideError);
    return error as TideError;
  }
  throw new Error('expected a failure');
}

const insertedIds = () =>
  double.requests
    .filter((r) => r.kind === 'insert')
    .map((r) => (r.body as { jobReference: { jobId: string } }).jobReference.jobId);

describe('BigQuery job driver', () => {
  it('retries a rate-limited insert with the same job id', async () => {
    double.fault({
      on: 'insert',
      http: { status: 403, reason: 'rateLimitExceeded', message: 'Exceeded rate limits' },
      times: 2,
    });
    await driver().run('SELECT 1', 'probe');
    const ids = insertedIds();
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    expect(double.queryJobs).toHaveLength(1);
  });

  it('follows a job whose insert answer got lost instead of running it twice', async () => {
    double.fault({
      on: 'insert',
      http: { status: 503, reason: 'backendError', message: 'lost', createJob: true },
    });
    const { jobId } = await driver().run("INSERT INTO `p`.`d`.`t` (a) VALUES ('once')", 'probe');
    expect(insertedIds()).toEqual([jobId, jobId]);
    expect(double.queryJobs).toHaveLength(1);
    expect(double.requests.filter((r) => r.kind === 'status' && r.jobId === jobId).length).toBeGreaterThan(0);
  });

  it('resubmits a job that failed with quotaExceeded as a new job', async () => {
    double.fault({
      on: 'insert',
      jobError: { reason: 'quotaExceeded', message: 'Quota exceeded: too many table update operations' },
    });
    const { jobId } = await driver().run('SELECT 1', 'probe');
    const ids = insertedIds();
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(jobId);
    expect(ids[0]).not.toBe(jobId);
  });

  it('reports exhausted retries with the job id, BigQuery’s reason and message, as quota_exhausted', async () => {
    double.fault({
      on: 'insert',
      jobError: { reason: 'rateLimitExceeded', message: 'Exceeded rate limits: too many concurrent queries' },
      times: 10,
    });
    const error = await failure(driver().run('SELECT 1', 'probe'));
    const last = insertedIds().at(-1);
    expect(insertedIds()).toHaveLength(4);
    expect(error.code).toBe('quota_exhausted');
    expect(error.message).toBe(
      `BigQuery probe failed (job ${last}) after 4 attempts: rateLimitExceeded: Exceeded rate limits: too many concurrent queries`,
    );
    expect(error.hint).toMatch(/rerun later/);
  });

  it('reports a 403 rate limit or quota answer that outlasts the retries as quota_exhausted, not a permission problem', async () => {
    for (const reason of ['rateLimitExceeded', 'quotaExceeded', 'userRateLimitExceeded']) {
      double.fault({
        on: 'insert',
        http: { status: 403, reason, message: `Exceeded: ${reason}` },
        times: FAST.retry?.attempts ?? 0,
      });
      const error = await failure(driver().run('SELECT 1', 'probe'));
      expect(error.code, reason).toBe('quota_exhausted');
      expect(error.message).toMatch(
        new RegExp(`\\(job tide_probe_[0-9a-f]{32}\\) after 4 attempts: ${reason}: `),
      );
    }
    double.fault({ on: 'insert', http: { status: 403, reason: 'accessDenied', message: 'Access Denied' } });
    expect((await failure(driver().run('SELECT 1', 'probe'))).code).toBe('permission_denied');
  });

  it('does not retry a job error that is the query’s fault', async () => {
    const w = warehouseOn(double);
    const error = await failure(
      (async () => {
        for await (const _ of w.query('SELEC 1')) break;
      })(),
    );
    expect(insertedIds()).toHaveLength(1);
    expect(error.code).toBe('warehouse_error');
    expect(error.message).toContain(`(job ${insertedIds()[0]})`);
    expect(error.message).toMatch(/invalidQuery: Syntax error/);
  });

  it('rides out transient errors while polling', async () => {
    double.fault({
      on: 'status',
      http: { status: 503, reason: 'backendError', message: 'try again' },
      times: 2,
    });
    await driver().run('SELECT 1', 'probe');
    expect(double.requests.filter((r) => r.kind === 'status')).toHaveLength(3);
  });

  it('re-uploads a load file after a transient upload failure, with the same job id', async () => {
    const file = await loadFile('{"a":"x"}\n');
    double.fault({
      on: 'upload',
      http: { status: 503, reason: 'backendError', message: 'upload interrupted' },
    });
    const { jobId } = await driver().load(
      'tide',
      'stage_t',
      file,
      {
        sourceFormat: 'NEWLINE_DELIMITED_JSON',
        schema: { fields: [{ name: 'a', type: 'STRING' }] },
        writeDisposition: 'WRITE_APPEND',
      },
      'load',
    );
    expect(double.requests.filter((r) => r.kind === 'upload')).toHaveLength(2);
    expect(double.loadJobs.map((j) => j.jobId)).toEqual([jobId]);
    expect(double.loadJobs[0]?.rows).toEqual([{ a: 'x' }]);
  });

  it('reports a load file BigQuery cannot read, with the job id', async () => {
    const file = await loadFile('{"a":"x"}\n{"a":12}\n');
    const error = await failure(
      driver().load(
        'tide',
        't',
        file,
        { sourceFormat: 'NEWLINE_DELIMITED_JSON', schema: { fields: [{ name: 'a', type: 'STRING' }] } },
        'load',
      ),
    );
    expect(error.message).toMatch(
      /^BigQuery load failed \(job tide_load_[0-9a-f]{32}\): invalid: Error while reading data/,
    );
    expect(error.message).toContain('line 2, field a: expected a string');
  });

  it('polls with growing, capped, jittered delays', async () => {
    await double.close();
    double = await startDouble({ pollsUntilDone: 6 });
    const waits: number[] = [];
    const d = new BigqueryDriver({
      client: sdkClient(double),
      location: 'EU',
      poll: { initialMs: 10, maxMs: 40, factor: 2, timeoutMs: 60_000, maxStatusErrors: 3 },
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await d.run('SELECT 1', 'probe');
    expect(waits).toHaveLength(6);
    const bases = [10, 20, 40, 40, 40, 40];
    waits.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(bases[i]! / 2);
      expect(ms).toBeLessThanOrEqual(bases[i]!);
    });
    expect(backoffDelay({ initialMs: 100, maxMs: 1000, factor: 3 }, 5, () => 1)).toBe(1000);
    expect(backoffDelay({ initialMs: 100, maxMs: 1000, factor: 3 }, 1, () => 0)).toBe(150);
  });

  it('gives up waiting on a job that never finishes, saying it still runs', async () => {
    await double.close();
    double = await startDouble({ pollsUntilDone: 1_000_000 });
    const d = new BigqueryDriver({
      client: sdkClient(double),
      location: 'EU',
      poll: { initialMs: 1, maxMs: 2, factor: 2, timeoutMs: 30, maxStatusErrors: 3 },
    });
    const error = await failure(d.run('SELECT 1', 'probe'));
    expect(error.message).toMatch(
      /^BigQuery job tide_probe_[0-9a-f]{32} is still RUNNING after 0 s; it keeps running in BigQuery$/,
    );
  });

  it('turns a rejected token into credentials_rejected', async () => {
    const d = new BigqueryDriver({ client: sdkClient(double, 'wrong-token'), location: 'EU', ...FAST });
    const error = await failure(d.run('SELECT 1', 'probe'));
    expect(error.code).toBe('credentials_rejected');
    expect(error.message).toContain('authError');
    expect(error.message).not.toContain('wrong-token');
  });

  it('finds jobs in a single-region location only by naming it', async () => {
    await double.close();
    double = await startDouble({ location: 'europe-west3' });
    const w = warehouseOn(double, { location: 'europe-west3' });
    await w.init();
    expect(
      double.requests.filter((r) => r.kind === 'status').every((r) => r.query.location === 'europe-west3'),
    ).toBe(true);
    const wrong = warehouseOn(double, { location: 'EU' });
    const error = await failure(wrong.init());
    expect(error.message).toMatch(
      /notFound: Not found: Dataset tide-test-project:raw was not found in location EU/,
    );
  });
});
