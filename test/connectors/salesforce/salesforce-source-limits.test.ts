import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SalesforceSourceSchema } from '../../../connectors/salesforce/salesforce-config.js';
import { SalesforceApiError } from '../../../connectors/salesforce/salesforce-error.js';
import { createSalesforceSource } from '../../../connectors/salesforce/salesforce-source.js';
import { TideError } from '../../../core/tide-error.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import type { StartedSalesforceSimulator } from '../../../simulators/salesforce/start-salesforce-simulator.js';
import { drain } from './drain-stream.js';
import { ENV_NAMES, later, salesforceSource, simNow, startSim } from './salesforce-harness.js';

describe('Salesforce source: ties, quotas, failures, tokens', () => {
  let sim: StartedSalesforceSimulator;
  beforeAll(async () => {
    sim = await startSim({ seed: 41, scale: 8000 });
  });
  afterAll(() => sim.close());

  it('stops at the quota share after a page, then resumes through a 2,000-record tie without loss or repeats', async () => {
    const t = salesforceSource(sim, { apiQuotaShare: 0.9 });
    const stream = t.stream('Contact');
    const first = await drain(stream);
    await later(sim);
    // One save of 4,500 records: they all share one SystemModstamp, straddling two page boundaries.
    const { updated } = (await sim.control.mutate({ object: 'Contact', update: 4500 })) as {
      updated: string[];
    };
    expect(updated).toHaveLength(4500);
    const runStartedAt = await simNow(sim);

    // Allowance: COUNT(), the deletion log and the first page fit under 90%; the second page does not.
    await sim.control.configure({ dailyApiLimit: 100, apiUsage: 87 });
    const stopped = await drain(stream, { cursor: first.cursor, runStartedAt });
    expect(stopped.error).toBeInstanceOf(TideError);
    expect((stopped.error as TideError).code).toBe('quota_exhausted');
    expect((stopped.error as TideError).message).toContain('90 of 100 daily requests');
    expect(stopped.records).toHaveLength(2000);
    expect(stopped.cursor?.ids).toHaveLength(2000);
    const tie = stopped.cursor!.value;
    expect(stopped.records.every((r) => r.updatedAt === tie)).toBe(true);
    // Within the tie, records come in Id order.
    const pageIds = stopped.records.map((r) => r.id);
    expect([...pageIds].sort()).toEqual(pageIds);
    expect(sim.settings.apiUsage).toBe(90);

    // The allowance recovers; the next run (a new session) starts from the checkpoint, inside the tie.
    await sim.control.configure({ dailyApiLimit: 100_000, apiUsage: 0 });
    const resumed = await drain(salesforceSource(sim).stream('Contact'), {
      cursor: stopped.cursor,
      runStartedAt,
    });
    expect(resumed.error).toBeNull();
    const resumedIds = resumed.records.map((r) => r.id);
    expect(resumedIds).toHaveLength(2500);
    expect(resumedIds.filter((id) => pageIds.includes(id))).toEqual([]);
    expect([...pageIds, ...resumedIds].sort()).toEqual([...updated].sort());
    // The inclusive lower bound re-reads the tie's first page (the cursor's ids drop it); later pages
    // are checkpoints deeper into the tie.
    expect(resumed.batches[0]?.records).toHaveLength(0);
    expect(resumed.batches.slice(0, 2).map((b) => b.checkpoint?.ids.length)).toEqual([2000, 4000]);
  });

  it('a 403 REQUEST_LIMIT_EXCEEDED from Salesforce is a quota stop, not a retry storm', async () => {
    await sim.control.configure({ dailyApiLimit: 50, apiUsage: 50 });
    try {
      const t = salesforceSource(sim);
      const result = await drain(t.stream('Account'));
      expect(result.error).toBeInstanceOf(SalesforceApiError);
      expect((result.error as SalesforceApiError).code).toBe('quota_exhausted');
      expect((result.error as SalesforceApiError).errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
      expect(
        t.requests
          .rows()
          .filter((r) => r.status === 403)
          .reduce((n, r) => n + r.count, 0),
      ).toBe(1);
    } finally {
      await sim.control.configure({ dailyApiLimit: 100_000, apiUsage: 0 });
    }
  });

  it('a failed Bulk job is a clear error naming the job and Salesforce’s reason, with nothing yielded', async () => {
    await sim.control.configure({ bulkFailNext: 1, bulkFailMessage: 'InternalServerError: query timed out' });
    const result = await drain(salesforceSource(sim).stream('Lead'));
    expect(result.error).toBeInstanceOf(TideError);
    const error = result.error as TideError;
    expect(error.code).toBe('source_error');
    expect(error.message).toMatch(
      /Bulk API 2\.0 query job 750\w{15} \(Lead first-load\) ended Failed: InternalServerError: query timed out/,
    );
    expect(error.hint).toContain('cursor did not move');
    expect(result.batches).toEqual([]);
  });

  it('fetches a new token when Salesforce answers 401 INVALID_SESSION_ID, for both OAuth flows', async () => {
    for (const refresh of [false, true]) {
      const t = salesforceSource(sim, {}, { refresh });
      const stream = t.stream('User');
      const first = await drain(stream);
      expect(first.error).toBeNull();
      await sim.control.configure({ expireTokens: true });
      const again = await drain(stream, { cursor: first.cursor });
      expect(again.error).toBeNull();
      const rows = t.requests.rows();
      expect(rows.find((r) => r.endpoint === 'POST /services/oauth2/token')?.count).toBe(2);
      expect(rows.filter((r) => r.status === 401).reduce((n, r) => n + r.count, 0)).toBe(1);
    }
  });

  it('names a missing credential variable, never a value; a rejected secret is reported without it', async () => {
    const config = SalesforceSourceSchema.parse({ kind: 'salesforce', ...ENV_NAMES });
    let missing: unknown;
    try {
      createSalesforceSource(config, {
        env: { SF_CLIENT_ID: 'id' },
        log: new MemoryLogger(),
        baseUrl: sim.baseUrl,
      });
    } catch (error) {
      missing = error;
    }
    expect(missing).toBeInstanceOf(TideError);
    expect((missing as TideError).code).toBe('credentials_missing');
    expect((missing as TideError).message).toContain('SF_CLIENT_SECRET');

    const secret = 'definitely-wrong-secret-value';
    const source = createSalesforceSource(config, {
      env: { SF_CLIENT_ID: sim.clientId, SF_CLIENT_SECRET: secret },
      log: new MemoryLogger(),
      baseUrl: sim.baseUrl,
    });
    const rejected = await source.check().then(
      () => null,
      (error: unknown) => error,
    );
    expect(rejected).toBeInstanceOf(TideError);
    expect((rejected as TideError).code).toBe('credentials_rejected');
    expect((rejected as TideError).message).toContain('invalid_client');
    expect(`${(rejected as TideError).message} ${(rejected as TideError).hint}`).not.toContain(secret);
    expect((rejected as TideError).hint).toContain('SF_CLIENT_SECRET');
  });

  it('keeps tokens and secrets out of logs and errors', async () => {
    const t = salesforceSource(sim);
    const result = await drain(t.stream('OpportunityContactRole'));
    expect(result.error).toBeNull();
    const text = result.log.text();
    expect(text).not.toContain(sim.clientSecret);
    expect(text).not.toMatch(/00D\w+!AR/);
  });
});
