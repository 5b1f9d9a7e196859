import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedSalesforceSimulator } from '../../../simulators/salesforce/start-salesforce-simulator.js';
import { checkMatchesTruth } from '../../conformance/source-checks.js';
import { drain } from './drain-stream.js';
import { later, salesforceSource, simNow, startSim, truthOf } from './salesforce-harness.js';

const DAY = 86_400_000;

describe('Salesforce source: deletion log coverage and formula refreshes', () => {
  let sim: StartedSalesforceSimulator;
  beforeAll(async () => {
    sim = await startSim({ seed: 51, scale: 1500 });
  });
  afterAll(() => sim.close());

  it('a cursor older than the 30-day deletion log triggers a logged full resync, flagged for the loader', async () => {
    const t = salesforceSource(sim);
    const old = { value: new Date(Date.now() - 45 * DAY).toISOString(), ids: [] };
    const result = await drain(t.stream('Opportunity'), { cursor: old });
    expect(result.error).toBeNull();
    expect(result.log.text()).toContain('deletion log does not reach back to the cursor; full resync');
    expect(result.log.text()).toContain("older than Salesforce's 30-day deletion log");
    expect(result.log.text()).toMatch(/resync: \d+ records since the beginning → Bulk API 2\.0/);
    expect(result.batches[0]?.resync).toBe(true);
    expect(result.batches.slice(1).some((b) => b.resync)).toBe(false);
    // The resync replaces the table: deletes are checked, said on its last batch.
    expect(result.batches.at(-1)?.deletesCheckedAt).toBeDefined();
    // A table-replacing read commits once, at its end.
    expect(result.batches.slice(0, -1).every((b) => b.checkpoint === null)).toBe(true);
    checkMatchesTruth(result.records, await truthOf(sim, 'Opportunity'));
  });

  it('records purged from the recycle bin after the cursor (earliestDateAvailable) also force a resync', async () => {
    const t = salesforceSource(sim);
    const stream = t.stream('Lead');
    const first = await drain(stream);
    await later(sim);
    const { deleted } = (await sim.control.mutate({ object: 'Lead', delete: 2 })) as { deleted: string[] };
    // A quick incremental read sees the soft deletes through queryAll, no resync.
    const seen = await drain(stream, { cursor: first.cursor, runStartedAt: await simNow(sim) });
    expect(seen.log.text()).not.toContain('resync');
    expect(
      seen.records
        .filter((r) => r.deleted)
        .map((r) => r.id)
        .sort(),
    ).toEqual([...deleted].sort());

    // Deletions after the saved cursor are purged before the next run: queryAll cannot show them.
    await later(sim);
    const { deleted: more } = (await sim.control.mutate({ object: 'Lead', delete: 3 })) as {
      deleted: string[];
    };
    await sim.control.mutate({ object: 'Lead', purge: 10_000 });
    const resync = await drain(stream, { cursor: seen.cursor, runStartedAt: await simNow(sim) });
    expect(resync.log.text()).toContain(
      'purged from the recycle bin (earliestDateAvailable), after the cursor',
    );
    expect(resync.batches[0]?.resync).toBe(true);
    const ids = new Set(resync.records.map((r) => r.id));
    for (const id of more) expect(ids.has(id)).toBe(false);
    checkMatchesTruth(resync.records, await truthOf(sim, 'Lead'));
  });

  it('formula fields: an incremental read misses an Account change; fullRefreshEveryDays re-reads and catches it', async () => {
    const contact = ((await sim.control.truth('Contact')) as Record<string, unknown>[]).find(
      (c) => c.IsDeleted === false,
    )!;
    const first = await drain(salesforceSource(sim).stream('Contact'));
    await later(sim);
    const industry = contact.Account_Industry__c === 'Energy' ? 'Media' : 'Energy';
    await sim.control.mutate({
      object: 'Account',
      updateIds: [String(contact.AccountId)],
      fields: { Industry: industry },
    });
    const runStartedAt = new Date((await simNow(sim)).getTime() + 2 * DAY);

    const plain = await drain(salesforceSource(sim).stream('Contact'), {
      cursor: first.cursor,
      runStartedAt,
    });
    expect(plain.records.find((r) => r.id === contact.Id)).toBeUndefined();
    // An incremental read checks the deletion log: deletes are checked.
    expect(plain.batches.at(-1)?.deletesCheckedAt).toBeDefined();

    const refreshing = await drain(
      salesforceSource(sim, { fullRefreshEveryDays: { Contact: 1 } }).stream('Contact'),
      {
        cursor: first.cursor,
        runStartedAt,
      },
    );
    expect(refreshing.log.text()).toContain('periodic full read so formula fields are current');
    expect(refreshing.log.text()).toContain('Account_Industry__c');
    expect(refreshing.records.find((r) => r.id === contact.Id)?.fields.Account_Industry__c).toBe(industry);
    // Not a replacement: no resync flag, and a cursor that moves forward.
    expect(refreshing.batches.some((b) => b.resync)).toBe(false);
    // It reads the deletion log from the cursor too (what was purged meanwhile is not in queryAll).
    expect(refreshing.batches.at(-1)?.deletesCheckedAt).toBeDefined();
    expect(Date.parse(refreshing.cursor!.value)).toBeGreaterThanOrEqual(Date.parse(first.cursor!.value));

    // A run within the same period as the refresh's cursor is incremental again.
    const next = await drain(
      salesforceSource(sim, { fullRefreshEveryDays: { Contact: 1 } }).stream('Contact'),
      {
        cursor: refreshing.cursor,
        runStartedAt: new Date(Date.parse(refreshing.cursor!.value)),
      },
    );
    expect(next.log.text()).not.toContain('periodic full read');
  });

  it('a formula refresh after records were deleted and purged from the recycle bin resyncs instead of keeping them live', async () => {
    const refreshEvery = { fullRefreshEveryDays: { Contact: 1 } };
    const first = await drain(salesforceSource(sim).stream('Contact'));
    await later(sim);
    const { deleted } = (await sim.control.mutate({ object: 'Contact', delete: 3 })) as { deleted: string[] };
    await sim.control.mutate({ object: 'Contact', purge: 10_000 });
    // The next period's first run: a formula refresh, whose queryAll no longer returns the purged three.
    const runStartedAt = new Date((await simNow(sim)).getTime() + 2 * DAY);
    const refresh = await drain(salesforceSource(sim, refreshEvery).stream('Contact'), {
      cursor: first.cursor,
      runStartedAt,
    });
    expect(refresh.log.text()).toContain(
      'purged from the recycle bin (earliestDateAvailable), after the cursor',
    );
    // Replacing the table is what marks them deleted in the warehouse.
    expect(refresh.batches[0]?.resync).toBe(true);
    const ids = new Set(refresh.records.map((r) => r.id));
    for (const id of deleted) expect(ids.has(id)).toBe(false);
    checkMatchesTruth(refresh.records, await truthOf(sim, 'Contact'));
  });
});
