import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SalesforceApiError } from '../../../connectors/salesforce/salesforce-error.js';
import { SalesforceOAuth } from '../../../connectors/salesforce/salesforce-oauth.js';
import { createSalesforcePolicy } from '../../../connectors/salesforce/salesforce-policy.js';
import { ApiQuota, BulkJobAllowance } from '../../../connectors/salesforce/salesforce-quota.js';
import { TideError } from '../../../core/tide-error.js';
import type { StartedSalesforceSimulator } from '../../../simulators/salesforce/start-salesforce-simulator.js';
import { drain } from './drain-stream.js';
import { salesforceSource, startSim } from './salesforce-harness.js';

const limitInfo = (used: number, allowed: number) =>
  new Headers({ 'sforce-limit-info': `api-usage=${used}/${allowed}` });

describe('Salesforce quota and Bulk job allowance', () => {
  it('stops once used/allowed reaches the share, and not before', () => {
    let now = 0;
    const quota = new ApiQuota(0.5, { now: () => now, staleMs: 1000 });
    quota.assertAvailable();
    quota.observe(limitInfo(49, 100));
    expect(() => quota.assertAvailable()).not.toThrow();
    quota.observe(limitInfo(50, 100));
    expect(() => quota.assertAvailable()).toThrow(/50 of 100 daily requests, at the 50%/);
    // An old reading stops blocking: only a response can say whether the rolling allowance recovered.
    now = 1001;
    expect(() => quota.assertAvailable()).not.toThrow();
    quota.observe(new Headers({ 'sforce-limit-info': 'garbage' }));
    expect([quota.used, quota.allowed]).toEqual([50, 100]);
  });

  it('takes Bulk jobs from the smaller of the configured cap and what the org has left', () => {
    const jobs = new BulkJobAllowance(100);
    jobs.orgLimits(10_000, 9_950);
    expect(jobs.remaining).toBe(50);
    jobs.orgLimits(10_000, 3);
    expect(jobs.remaining).toBe(0);
    expect(jobs.take()).toBe(false);
    const fresh = new BulkJobAllowance(2);
    expect([fresh.take(), fresh.take(), fresh.take()]).toEqual([true, true, false]);
  });
});

describe('Salesforce policy: error arrays to Tide errors', () => {
  const policy = createSalesforcePolicy({
    oauth: new SalesforceOAuth({
      loginUrl: 'http://127.0.0.1:9',
      credentials: { clientId: 'id', clientSecret: 'secret' },
      envNames: ['SF_CLIENT_ID', 'SF_CLIENT_SECRET'],
      source: 'salesforce',
    }),
    quota: new ApiQuota(0.9),
    envNames: ['SF_CLIENT_ID', 'SF_CLIENT_SECRET'],
  });
  const judge = (status: number, body: unknown) =>
    policy.judge(status, new Headers(), JSON.stringify(body), {
      method: 'GET',
      path: '/services/data/v62.0/query',
    });

  it('keeps Salesforce’s errorCode and names the fields', () => {
    const verdict = judge(400, [
      { message: "No such column 'X'", errorCode: 'INVALID_FIELD', fields: ['X'] },
    ]);
    if (verdict.kind !== 'fail') throw new Error(`expected fail, got ${verdict.kind}`);
    const error = verdict.error as SalesforceApiError;
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect([error.code, error.errorCode, error.status]).toEqual(['http_error', 'INVALID_FIELD', 400]);
    expect(error.message).toContain("INVALID_FIELD: No such column 'X' (fields X)");
  });

  it('refreshes on 401, stops on the daily limit, waits out the concurrency limit, retries 5xx', () => {
    expect(
      judge(401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]).kind,
    ).toBe('reauthenticate');
    const daily = judge(403, [
      { errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' },
    ]);
    expect((daily as { error: TideError }).error.code).toBe('quota_exhausted');
    const concurrent = judge(403, [
      { errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'ConcurrentPerOrgLongTxn Limit exceeded.' },
    ]);
    expect(concurrent).toMatchObject({ kind: 'wait', afterMs: 5000 });
    expect(judge(503, '<html>maintenance</html>').kind).toBe('retry');
    const denied = judge(403, [{ errorCode: 'INSUFFICIENT_ACCESS', message: 'no access' }]);
    expect((denied as { error: TideError }).error.code).toBe('permission_denied');
    expect((denied as { error: TideError }).error.hint).toContain('SF_CLIENT_ID/SF_CLIENT_SECRET');
  });
});

describe('Salesforce source under transport faults', () => {
  let sim: StartedSalesforceSimulator;
  beforeAll(async () => {
    sim = await startSim({ seed: 71, scale: 600 });
  });
  afterAll(() => sim.close());

  it('rides out 503s and dropped connections, and loses nothing', async () => {
    const clean = await drain(salesforceSource(sim).stream('Account'));
    await sim.control.faults({ serverErrors: 2, pathContains: '/services/data' });
    const noisy = await drain(salesforceSource(sim).stream('Account'));
    await sim.control.faults({ truncatedBody: 1, pathContains: '/results' });
    const truncated = await drain(salesforceSource(sim).stream('Account'));
    await sim.control.clearFaults();
    expect(noisy.error).toBeNull();
    expect(truncated.error).toBeNull();
    expect(noisy.records.map((r) => r.id)).toEqual(clean.records.map((r) => r.id));
    expect(truncated.records.map((r) => r.id)).toEqual(clean.records.map((r) => r.id));
  });

  it('a page that is not JSON is a clear error, not a silent gap', async () => {
    await sim.control.faults({ malformedJson: 1, pathContains: '/queryAll' });
    const result = await drain(salesforceSource(sim).stream('Account'));
    await sim.control.clearFaults();
    expect(result.error).toBeInstanceOf(TideError);
    expect((result.error as TideError).code).toBe('malformed_response');
    expect((result.error as TideError).message).toContain('not JSON');
    expect(result.records).toEqual([]);
  });
});
