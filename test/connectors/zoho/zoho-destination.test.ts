import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../load/warehouse.js';
import type { SyncReport } from '../../../reverse/run-sync.js';
import type { SyncInput } from '../../../reverse/sync-config.js';
import { runTestSync } from '../../reverse/sync-harness.js';
import { createTable, memoryWarehouse } from '../../reverse/warehouse-fixture.js';
import {
  truthOf,
  type ZohoTestbed,
  type ZohoTruthRecord,
  zohoSourceFor,
  zohoTestbed,
} from './zoho-harness.js';

let t: ZohoTestbed;
let contacts: ZohoTruthRecord[];
let warehouse: Warehouse;

beforeAll(async () => {
  t = await zohoTestbed({ seed: 5, scale: 6000 });
  const all = await truthOf(t.sim, 'Contacts');
  const emails = new Map<string, number>();
  for (const c of all)
    if (typeof c.Email === 'string')
      emails.set(c.Email.trim().toLowerCase(), (emails.get(c.Email.trim().toLowerCase()) ?? 0) + 1);
  contacts = all.filter(
    (c) => !c.deleted && typeof c.Email === 'string' && emails.get(c.Email.trim().toLowerCase()) === 1,
  );
});
afterAll(() => t.sim.close());

beforeEach(async () => {
  warehouse = await memoryWarehouse();
  await t.sim.control.resetStats();
  await t.sim.control.clearFaults();
  return () => warehouse.close();
});

/** analytics.customer_scores for contacts [from, from + n): score = i % 100, tier rotating. */
async function scores(n: number, from = 0): Promise<ZohoTruthRecord[]> {
  const picked = contacts.slice(from, from + n);
  await createTable(
    warehouse,
    'analytics.customer_scores',
    picked.map((c, i) => ({
      zoho_id: c.id,
      email: String(c.Email).trim(),
      score: i % 100,
      tier: ['Gold', 'Silver', 'Bronze'][i % 3] ?? null,
    })),
    { zoho_id: 'VARCHAR', email: 'VARCHAR', score: 'DOUBLE', tier: 'VARCHAR' },
  );
  return picked;
}

const sync: SyncInput = {
  name: 'zoho_scores',
  from: 'analytics.customer_scores',
  to: { crm: 'zoho', object: 'Contacts' },
  match: { by: 'id', column: 'zoho_id' },
  fields: { score: 'Tide_Score', tier: 'Customer_Tier' },
};

function run(overrides: Partial<SyncInput> = {}, testbed: ZohoTestbed = t): Promise<SyncReport> {
  return runTestSync({ warehouse, destination: testbed.destination, sync: { ...sync, ...overrides } });
}

async function byId(): Promise<Map<string, ZohoTruthRecord>> {
  return new Map((await truthOf(t.sim, 'Contacts')).map((c) => [c.id, c]));
}

describe('Zoho destination against the Zoho simulator', () => {
  it('reads types, options, uniqueness and writability from settings/fields', async () => {
    const fields = new Map((await t.destination.fields('Contacts')).map((f) => [f.name, f]));
    expect(fields.get('Tide_Score')).toMatchObject({ type: 'number', scale: 0, readOnlyReason: null });
    expect(fields.get('Customer_Tier')?.options?.map((o) => o.value)).toEqual(['Gold', 'Silver', 'Bronze']);
    expect(fields.get('Email')).toMatchObject({ type: 'email', unique: true });
    expect(fields.get('Full_Name')?.readOnlyReason).toBe('a formula field');
    expect(fields.get('Modified_Time')?.readOnlyReason).not.toBeNull();
    expect(fields.get('Account_Name')?.type).toBe('unsupported');
  });

  it('updates by id in ⌈changed/100⌉ PUT calls, then none when nothing changed', async () => {
    const picked = await scores(250);
    const first = await run();
    expect(first.error).toBeNull();
    expect(first.counts).toMatchObject({ written: 250, rejected: 0, writeCalls: 3 });
    const stats = await t.sim.control.stats();
    expect(stats.byEndpoint['PUT /crm/v8/Contacts']).toBe(3);
    expect(stats.writes).toBe(3);
    expect((await byId()).get(picked[7]!.id)).toMatchObject({ Tide_Score: 7, Customer_Tier: 'Silver' });

    await t.sim.control.resetStats();
    const second = await run();
    expect(second.plan).toMatchObject({ unchanged: 250 });
    expect((await t.sim.control.stats()).writes).toBe(0);
  });

  it('isolates a record Zoho refuses (deleted meanwhile): the rest are written, the reason is logged', async () => {
    const picked = await scores(120, 300);
    const gone = picked[10]!.id;
    await t.sim.control.mutate({ object: 'Contacts', delete: 1, ids: [gone] });
    const report = await run();
    expect(report.counts).toMatchObject({ written: 119, rejected: 1, writeCalls: 2 });
    expect(report.rejections).toEqual([
      { key: gone, reason: expect.stringMatching(/^INVALID_DATA: .*\(id\)$/) },
    ]);
  });

  it('validates against the fields API before any call: out-of-list options and non-ids never leave', async () => {
    await scores(10, 500);
    await warehouse.execute(`UPDATE analytics.customer_scores SET tier = 'Platinum' WHERE score = 3;
      UPDATE analytics.customer_scores SET score = 2.5 WHERE score = 4;
      UPDATE analytics.customer_scores SET zoho_id = 'not-an-id' WHERE score = 5`);
    const report = await run();
    expect(report.counts).toMatchObject({ written: 7, invalid: 2, rejected: 1, writeCalls: 1 });
    expect(report.rejections.map((r) => r.reason).sort()).toEqual([
      'Customer_Tier: "Platinum" is not an option (allowed: Gold, Silver, Bronze)',
      'Tide_Score: 2.5 is not a whole number (the field stores no decimals)',
      'not-an-id is not a Zoho record id',
    ]);
    expect((await t.sim.control.stats()).byEndpoint['PUT /crm/v8/Contacts']).toBe(1);
  });

  it('upserts by Email with duplicate_check_fields: existing records updated, missing ones created', async () => {
    const [known] = contacts.slice(600, 601);
    await createTable(
      warehouse,
      'analytics.customer_scores',
      [
        { email: String(known!.Email).trim().toUpperCase(), last_name: String(known!.Last_Name), score: 91 },
        { email: 'new.person@tide-upsert.example.com', last_name: 'Newperson', score: 92 },
      ],
      { email: 'VARCHAR', last_name: 'VARCHAR', score: 'DOUBLE' },
    );
    const report = await run({
      name: 'zoho_upsert',
      mode: 'upsert',
      match: { by: 'email', column: 'email' },
      fields: { last_name: 'Last_Name', score: 'Tide_Score' },
    });
    expect(report.counts).toMatchObject({ written: 2, created: 1, writeCalls: 1 });
    expect((await t.sim.control.stats()).byEndpoint['POST /crm/v8/Contacts/upsert']).toBe(1);
    const after = await truthOf(t.sim, 'Contacts');
    expect(after.find((c) => c.id === known!.id)?.Tide_Score).toBe(91);
    expect(after.filter((c) => c.Email === 'new.person@tide-upsert.example.com')).toMatchObject([
      { Tide_Score: 92 },
    ]);
  });

  it('updates by email through one COQL lookup per batch; unknown emails are rejected, not created', async () => {
    const picked = contacts.slice(700, 705);
    await createTable(
      warehouse,
      'analytics.customer_scores',
      [
        ...picked.map((c, i) => ({ email: String(c.Email).trim(), score: 60 + i })),
        { email: 'nobody@nowhere.example.com', score: 1 },
      ],
      { email: 'VARCHAR', score: 'DOUBLE' },
    );
    const report = await run({
      name: 'zoho_by_email',
      match: { by: 'email', column: 'email' },
      fields: { score: 'Tide_Score' },
    });
    expect(report.counts).toMatchObject({ written: 5, rejected: 1 });
    const stats = await t.sim.control.stats();
    expect(stats.byEndpoint['POST /crm/v8/coql']).toBe(1);
    expect(stats.byEndpoint['PUT /crm/v8/Contacts']).toBe(1);
    expect((await byId()).get(picked[4]!.id)?.Tide_Score).toBe(64);
  });

  it('fill-empty reports a record changed in Zoho after Tide read it as stale (412 ALREADY_MODIFIED)', async () => {
    const picked = await scores(3, 800);
    const stale = picked[1]!.id;
    // A destination whose reads happen, then someone edits the record in Zoho before the write.
    const base = t.destination;
    const racing = {
      ...base,
      name: base.name,
      vendor: base.vendor,
      capabilities: base.capabilities,
      maxBatchSize: base.maxBatchSize,
      defaultConcurrency: base.defaultConcurrency,
      fields: base.fields.bind(base),
      write: base.write.bind(base),
      async readCurrent(...args: Parameters<typeof base.readCurrent>) {
        const current = await base.readCurrent(...args);
        await t.sim.control.advanceClock(5_000);
        await t.sim.control.mutate({ object: 'Contacts', update: 1, ids: [stale], sameTimestamp: true });
        return current;
      },
    };
    const report = await runTestSync({
      warehouse,
      destination: racing,
      sync: { ...sync, mode: 'fill-empty' },
    });
    expect(report.counts).toMatchObject({ written: 2, rejected: 1 });
    expect(report.rejections).toEqual([
      { key: stale, reason: expect.stringMatching(/^stale: .*ALREADY_MODIFIED/) },
    ]);
  });

  it('waits out 429s from the concurrency limit', async () => {
    await scores(30, 900);
    await t.sim.control.faults({ rateLimit: 2, pathContains: '/crm/v8/Contacts' });
    const report = await run();
    expect(report.counts).toMatchObject({ written: 30, writeCalls: 1 });
    expect((await t.sim.control.stats()).byStatus['429']).toBe(2);
  });

  it('stops the sync when the credits are spent, keeping what was confirmed', async () => {
    await scores(300, 1000);
    const testbed = zohoSourceFor(t.sim);
    // settings/fields, the first PUT (10 credits for 100 records), then nothing.
    await t.sim.control.configure({ dailyCredits: 11 });
    try {
      const report = await run({}, testbed);
      expect(report.status).toBe('partial'); // quota: stopped for now, not failed
      expect(report.error?.code).toBe('quota_exhausted');
      expect(report.counts?.written).toBe(100);
    } finally {
      await t.sim.control.configure({ dailyCredits: 0 });
    }
  });
});
