import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Destination } from '../../../core/destination.js';
import type { Warehouse } from '../../../load/warehouse.js';
import type { SyncReport } from '../../../reverse/run-sync.js';
import type { SyncInput } from '../../../reverse/sync-config.js';
import { runTestSync } from '../../reverse/sync-harness.js';
import { createTable, memoryWarehouse } from '../../reverse/warehouse-fixture.js';
import { type DynamicsTestbed, dynamicsTestbed, truthRows } from './dynamics-harness.js';

let t: DynamicsTestbed;
let live: { id: string; email: string; externalId: string }[];
let warehouse: Warehouse;

beforeAll(async () => {
  t = await dynamicsTestbed({ seed: 41, scale: 2000 });
  live = (await truthRows(t.sim, 'contacts'))
    // Emails stored with stray spaces cannot be matched by Dataverse's exact (case-insensitive) filter.
    .filter(
      (r) =>
        !r.deleted &&
        typeof r.values?.emailaddress1 === 'string' &&
        r.values.emailaddress1 === r.values.emailaddress1.trim(),
    )
    .map((r) => ({
      id: r.id,
      email: String(r.values?.emailaddress1).trim(),
      externalId: String(r.values?.tide_externalid),
    }));
});
afterAll(() => t.sim.close());

beforeEach(async () => {
  warehouse = await memoryWarehouse();
  await t.sim.control.resetStats();
  await t.sim.control.clearFaults();
  return () => warehouse.close();
});

/** analytics.customer_scores for contacts [from, from + n): score = (i * 7) % 100, a tier. */
async function scores(
  n: number,
  from = 0,
  extra: (i: number) => Record<string, string | number | null> = () => ({}),
): Promise<typeof live> {
  const picked = live.slice(from, from + n);
  await createTable(
    warehouse,
    'analytics.customer_scores',
    picked.map((c, i) => ({
      dynamics_id: c.id,
      email: c.email,
      external_id: c.externalId,
      score: (i * 7) % 100,
      tier: ['Bronze', 'Silver', 'Gold'][i % 3]!,
      ...extra(i),
    })),
    { dynamics_id: 'VARCHAR', email: 'VARCHAR', external_id: 'VARCHAR', score: 'DOUBLE', tier: 'VARCHAR' },
  );
  return picked;
}

const sync: SyncInput = {
  name: 'dyn_scores',
  from: 'analytics.customer_scores',
  to: { crm: 'dynamics', object: 'contacts' },
  match: { by: 'id', column: 'dynamics_id' },
  fields: { score: 'tide_score', tier: 'tide_tier' },
};

function run(
  overrides: Partial<SyncInput> = {},
  destination: Destination = t.destination('batch'),
): Promise<SyncReport> {
  return runTestSync({ warehouse, destination, sync: { ...sync, ...overrides } });
}

async function values(): Promise<Map<string, Readonly<Record<string, unknown>>>> {
  return new Map((await truthRows(t.sim, 'contacts')).map((r) => [r.id, r.values ?? {}]));
}

const BATCH = 'POST /api/data/v9.2/$batch';

describe('Dynamics destination against the Dynamics simulator', () => {
  it('describes the columns from metadata: types, options, ranges, lengths, writability, keys', async () => {
    const fields = await t.destination().fields('contacts');
    const byName = new Map(fields.map((f) => [f.name, f]));
    expect(byName.get('tide_score')).toMatchObject({
      type: 'number',
      min: 0,
      max: 100,
      scale: 0,
      readOnlyReason: null,
    });
    expect(byName.get('tide_tier')).toMatchObject({
      type: 'enumeration',
      options: [
        { value: '100000000', label: 'Bronze' },
        { value: '100000001', label: 'Silver' },
        { value: '100000002', label: 'Gold' },
      ],
    });
    expect(byName.get('emailaddress1')).toMatchObject({ type: 'email', maxLength: 100 });
    expect(byName.get('tide_externalid')).toMatchObject({ type: 'string', unique: true });
    expect(byName.get('fullname')?.readOnlyReason).toMatch(/not valid for update/);
    expect(byName.get('parentcustomerid')).toMatchObject({ type: 'unsupported', vendorType: 'Customer' });
    expect(byName.has('parentcustomeridname')).toBe(false);
  });

  it('one $batch per 100 changed records, choices sent as their numbers; no call when nothing changed', async () => {
    const picked = await scores(250);
    const first = await run();
    expect(first.error).toBeNull();
    expect(first.counts).toMatchObject({ written: 250, rejected: 0, writeCalls: 3 });
    const stats = await t.sim.control.stats();
    expect(stats.byEndpoint[BATCH]).toBe(3);
    expect(stats.writes).toBe(3);
    const after = await values();
    expect(after.get(picked[4]!.id)).toMatchObject({ tide_score: 28, tide_tier: 100000001 });
    await t.sim.control.resetStats();
    const second = await run();
    expect(second.plan).toMatchObject({ unchanged: 250 });
    expect((await t.sim.control.stats()).writes).toBe(0);
  });

  it('an id Dataverse does not have is rejected with its reason, never created; the rest of the batch is written', async () => {
    await scores(40, 300);
    const missing = 'dddddddd-0000-4000-8000-000000000001';
    await warehouse.execute(
      `UPDATE analytics.customer_scores SET dynamics_id = '${missing}' WHERE score = 21`,
    );
    const report = await run({ name: 'dyn_missing' });
    expect(report.counts).toMatchObject({ written: 39, rejected: 1, writeCalls: 1 });
    expect(report.rejections).toEqual([
      {
        key: missing,
        reason: expect.stringMatching(/^no contacts row .* \(updates never create rows\): 404/),
      },
    ]);
    expect((await truthRows(t.sim, 'contacts')).some((r) => r.id === missing)).toBe(false);
  });

  it('validates against the metadata before any call: out of range, not a whole number, not an option', async () => {
    const bad: readonly Readonly<Record<string, string | number>>[] = [
      { score: 150 },
      { score: 12.5 },
      { tier: 'Platinum' },
    ];
    await scores(12, 400, (i) => bad[i] ?? {});
    const report = await run({ name: 'dyn_invalid' });
    expect(report.counts).toMatchObject({ written: 9, invalid: 3 });
    expect(report.rejections.map((r) => r.reason).sort()).toEqual([
      'tide_score: 12.5 is not a whole number (the field stores no decimals)',
      'tide_score: 150 is above the maximum 100',
      'tide_tier: "Platinum" is not an option (allowed: 100000000, 100000001, 100000002)',
    ]);
    expect((await t.sim.control.stats()).byEndpoint[BATCH]).toBe(1);
  });

  it('upserts by the alternate key: missing rows are created, existing ones updated', async () => {
    const picked = await scores(5, 500);
    await warehouse.execute(
      `INSERT INTO analytics.customer_scores VALUES ('', 'new.one@example.com', 'ext-brand-new-1', 64, 'Gold')`,
    );
    const report = await run({
      name: 'dyn_upsert',
      mode: 'upsert',
      match: { by: 'external-id', column: 'external_id', field: 'tide_externalid' },
    });
    expect(report.error).toBeNull();
    expect(report.counts).toMatchObject({ written: 6, created: 1 });
    const rows = await truthRows(t.sim, 'contacts');
    expect(rows.find((r) => r.values?.tide_externalid === 'ext-brand-new-1')?.values).toMatchObject({
      tide_score: 64,
      tide_tier: 100000002,
    });
    expect(rows.find((r) => r.id === picked[1]!.id)?.values?.tide_score).toBe(7);
  });

  it('matches by email: ids are looked up first, an unknown email is rejected', async () => {
    const picked = await scores(20, 260);
    await warehouse.execute(
      `UPDATE analytics.customer_scores SET email = 'nobody@nowhere.example.com' WHERE score = 14`,
    );
    const report = await run({ name: 'dyn_email', match: { by: 'email', column: 'email' } });
    expect(report.counts).toMatchObject({ written: 19, rejected: 1 });
    expect(report.rejections[0]?.reason).toMatch(/no contacts row has emailaddress1/);
    expect((await values()).get(picked[5]!.id)?.tide_score).toBe(35);
  });

  it('parallel mode: one PATCH per record, the same outcomes', async () => {
    const picked = await scores(60, 340);
    const report = await run({ name: 'dyn_parallel' }, t.destination('parallel'));
    expect(report.counts).toMatchObject({ written: 60, rejected: 0 });
    expect((await t.sim.control.stats()).byEndpoint['PATCH /api/data/v9.2/contacts({key})']).toBe(60);
    expect((await values()).get(picked[59]!.id)?.tide_score).toBe((59 * 7) % 100);
  });

  it('fill-empty reads the batch current values with one query and writes only empty fields', async () => {
    const picked = await scores(30, 412);
    const before = await values();
    const hadTier = picked.filter((c) => before.get(c.id)?.tide_tier !== null);
    expect(hadTier.length).toBeGreaterThan(0);
    const report = await run({ name: 'dyn_fill', mode: 'fill-empty', fields: { tier: 'tide_tier' } });
    expect(report.counts).toMatchObject({
      written: 30 - hadTier.length,
      skipped: hadTier.length,
      readCalls: 1,
    });
    const after = await values();
    for (const c of hadTier) expect(after.get(c.id)?.tide_tier).toBe(before.get(c.id)?.tide_tier);
  });
});
