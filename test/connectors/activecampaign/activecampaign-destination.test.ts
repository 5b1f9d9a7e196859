import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../load/warehouse.js';
import type { SyncReport } from '../../../reverse/run-sync.js';
import type { SyncInput } from '../../../reverse/sync-config.js';
import { runTestSync } from '../../reverse/sync-harness.js';
import { createTable, memoryWarehouse } from '../../reverse/warehouse-fixture.js';
import {
  type ActiveCampaignTestbed,
  activecampaignDestinationHarness,
  activecampaignTestbed,
  truthRows,
} from './activecampaign-harness.js';

let bed: ActiveCampaignTestbed;
let warehouse: Warehouse;

beforeAll(async () => {
  bed = await activecampaignTestbed({ seed: 11, scale: 900, share: 0.5 });
});
afterAll(() => bed.sim.close());

beforeEach(async () => {
  warehouse = await memoryWarehouse();
  await bed.sim.control.resetStats();
  await bed.sim.control.clearFaults();
  return () => warehouse.close();
});

const harness = () => activecampaignDestinationHarness(bed);

/** analytics.customer_scores for the given contacts: score = (i * 13) % 100, a job title. */
async function scores(ids: readonly string[], column = 'ac_id', salt = 0): Promise<void> {
  await createTable(
    warehouse,
    'analytics.customer_scores',
    ids.map((id, i) => ({ [column]: id, score: ((i + salt) * 13) % 100, title: `Title ${i + salt}` })),
    { [column]: 'VARCHAR', score: 'DOUBLE', title: 'VARCHAR' },
  );
}

const byId: SyncInput = {
  name: 'ac_scores',
  from: 'analytics.customer_scores',
  to: { crm: 'activecampaign', object: 'contacts' },
  match: { by: 'id', column: 'ac_id' },
  // Custom fields by the titles users see; Tide writes them by id in fieldValues.
  fields: { score: 'Tide Score', title: 'Job Title' },
};

function run(overrides: Partial<SyncInput> = {}): Promise<SyncReport> {
  return runTestSync({ warehouse, destination: bed.destination, sync: { ...byId, ...overrides } });
}

async function calls(endpoint: string): Promise<number> {
  return (await bed.sim.control.stats()).byEndpoint[endpoint] ?? 0;
}

describe('ActiveCampaign destination against the simulator', () => {
  it('describes contact fields: standard ones by API name, custom ones by perstag with their titles', async () => {
    const fields = await bed.destination.fields('contacts');
    expect(fields.find((f) => f.name === 'firstName')).toMatchObject({
      type: 'string',
      readOnlyReason: null,
    });
    expect(fields.find((f) => f.name === 'email')).toMatchObject({ type: 'email', unique: true });
    expect(fields.find((f) => f.label === 'Tide Score')).toMatchObject({
      name: 'TIDE_SCORE',
      type: 'string',
    });
    expect(fields.find((f) => f.label === 'Country')).toMatchObject({
      type: 'enumeration',
      options: expect.arrayContaining([{ value: 'US', label: 'US' }]),
    });
    await expect(bed.destination.fields('deals')).rejects.toThrow(/contacts only/);
  });

  it('writes one PUT per changed contact in batches of at most 100, then no call when nothing changed', async () => {
    const ids = await harness().existingIds(105);
    await scores(ids);
    const report = await run();
    expect(report.counts).toMatchObject({ written: 105, rejected: 0, writeCalls: 2 });
    expect(await calls('PUT /api/3/contacts/{id}')).toBe(105);
    const truth = new Map((await truthRows(bed.sim, 'contacts')).map((c) => [c.id, c]));
    ids.forEach((id, i) => {
      expect(truth.get(id)?.fields?.['TIDE_SCORE']).toBe(String((i * 13) % 100));
      expect(truth.get(id)?.fields?.['JOB_TITLE']).toBe(`Title ${i}`);
    });
    await bed.sim.control.resetStats();
    expect((await run()).counts).toMatchObject({ written: 0, writeCalls: 0 });
    expect((await bed.sim.control.stats()).writes).toBe(0);
  });

  it('a contact deleted meanwhile is rejected with ActiveCampaign’s 404; the others are written', async () => {
    const h = harness();
    const ids = await h.existingIds(5);
    const gone = await h.unwritableId();
    await scores([...ids, gone], 'ac_id', 3);
    const report = await run();
    expect(report.counts).toMatchObject({ written: 5, rejected: 1 });
    expect(report.rejections[0]).toMatchObject({
      key: gone,
      reason: expect.stringMatching(/404.*No Result found/),
    });
  });

  it('validates before any call: a value outside a dropdown’s options is never sent', async () => {
    const ids = await harness().existingIds(3);
    await createTable(
      warehouse,
      'analytics.customer_scores',
      ids.map((id, i) => ({ ac_id: id, country: i === 0 ? 'Atlantis' : 'US' })),
      { ac_id: 'VARCHAR', country: 'VARCHAR' },
    );
    const report = await run({ fields: { country: 'Country' } });
    expect(report.counts).toMatchObject({ invalid: 1, written: 2 });
    expect(await calls('PUT /api/3/contacts/{id}')).toBe(2);
  });

  it('writes only the mapped fields', async () => {
    const h = harness();
    const [id] = await h.existingIds(1);
    const before = await h.snapshot(id!);
    await scores([id!], 'ac_id', 50);
    await run({ fields: { score: 'Tide Score' } });
    const after = await h.snapshot(id!);
    expect(after).toEqual({ ...before, TIDE_SCORE: String((50 * 13) % 100) });
  });

  it('rides out 429s by Retry-After: every record written once', async () => {
    const ids = await harness().existingIds(6);
    await scores(ids, 'ac_id', 7);
    await harness().fault({ kind: 'rate-limit', count: 2 });
    const report = await run();
    expect(report.counts).toMatchObject({ written: 6, rejected: 0 });
    expect(await calls('PUT /api/3/contacts/{id}')).toBe(8);
    expect((await bed.sim.control.stats()).byStatus['429']).toBe(2);
  });

  it('upserts by email: contact/sync below 10 records, one bulk import from 10 on, each record with its outcome', async () => {
    const existing = (await truthRows(bed.sim, 'contacts'))
      .slice(0, 3)
      .map((c) => String(c['email']).toLowerCase());
    const fresh = Array.from({ length: 12 }, (_, i) => `upsert.${i}@example.com`);
    await bed.sim.control.configure({ blockEmails: ['upsert.4@example.com'] });
    const emails = [...existing, ...fresh];
    await createTable(
      warehouse,
      'analytics.customer_scores',
      emails.map((email, i) => ({ email, score: i })),
      { email: 'VARCHAR', score: 'DOUBLE' },
    );
    const upsert = {
      match: { by: 'email', column: 'email' },
      mode: 'upsert',
      fields: { score: 'Tide Score' },
    } as const;
    // Small batches go through contact/sync (created vs updated from 201 / 200).
    const small = await run({ ...upsert, batchSize: 5 });
    expect(small.counts).toMatchObject({ written: 14, created: 11, rejected: 1 });
    expect(await calls('POST /api/3/contact/sync')).toBe(15);
    expect(await calls('POST /api/3/import/bulk_import')).toBe(0);
    // A batch of 15 changed records goes through one import; its result names the blocked email.
    await createTable(
      warehouse,
      'analytics.customer_scores',
      emails.map((email, i) => ({ email, score: i + 100 })),
      { email: 'VARCHAR', score: 'DOUBLE' },
    );
    await bed.sim.control.resetStats();
    const bulk = await run(upsert);
    expect(bulk.counts).toMatchObject({ written: 14, rejected: 1 });
    expect(bulk.rejections[0]).toMatchObject({
      key: 'upsert.4@example.com',
      reason: expect.stringMatching(/failure/),
    });
    expect(await calls('POST /api/3/import/bulk_import')).toBe(1);
    expect((await bed.sim.control.stats()).writes).toBe(1);
    const truth = new Map(
      (await truthRows(bed.sim, 'contacts')).map((c) => [String(c['email']).toLowerCase(), c]),
    );
    emails.forEach((email, i) => {
      if (email !== 'upsert.4@example.com')
        expect(truth.get(email)?.fields?.['TIDE_SCORE'], email).toBe(String(i + 100));
    });
  });

  it('fill-empty reads current values first and writes only the empty ones', async () => {
    const truth = await truthRows(bed.sim, 'contacts');
    const withTitle = truth
      .filter((c) => c.fields?.['JOB_TITLE'] !== undefined)
      .slice(0, 3)
      .map((c) => c.id);
    const without = truth
      .filter((c) => c.fields?.['JOB_TITLE'] === undefined)
      .slice(0, 3)
      .map((c) => c.id);
    await createTable(
      warehouse,
      'analytics.customer_scores',
      [...withTitle, ...without].map((id) => ({ ac_id: id, title: 'Filled by Tide' })),
      { ac_id: 'VARCHAR', title: 'VARCHAR' },
    );
    const report = await run({ mode: 'fill-empty', fields: { title: 'Job Title' } });
    expect(report.counts).toMatchObject({ written: 3, skipped: 3 });
    const after = new Map((await truthRows(bed.sim, 'contacts')).map((c) => [c.id, c.fields?.['JOB_TITLE']]));
    for (const id of without) expect(after.get(id)).toBe('Filled by Tide');
    for (const id of withTitle) expect(after.get(id)).not.toBe('Filled by Tide');
  });
});
