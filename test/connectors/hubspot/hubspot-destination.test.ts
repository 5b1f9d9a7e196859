import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HubspotSourceSchema } from '../../../connectors/hubspot/hubspot-config.js';
import { hubspotClientFor } from '../../../connectors/hubspot/hubspot-connection.js';
import { HubspotDestination } from '../../../connectors/hubspot/hubspot-destination.js';
import type { Destination, WriteTarget } from '../../../core/destination.js';
import type { Warehouse } from '../../../load/warehouse.js';
import type { SyncReport } from '../../../reverse/run-sync.js';
import type { SyncInput } from '../../../reverse/sync-config.js';
import {
  type StartedHubspotSimulator,
  startHubspotSimulator,
} from '../../../simulators/hubspot/start-hubspot-simulator.js';
import { killedAfterWrites, runTestSync } from '../../reverse/sync-harness.js';
import { createTable, memoryWarehouse, rowsOf } from '../../reverse/warehouse-fixture.js';

interface Contact {
  readonly id: string;
  readonly archived?: boolean;
  readonly properties: Readonly<Record<string, string | null>>;
}

let sim: StartedHubspotSimulator;
let contacts: Contact[];
let warehouse: Warehouse;

beforeAll(async () => {
  sim = await startHubspotSimulator({ seed: 11, scale: 1200, burstLimit: 0, searchPerSecond: 0 });
  await sim.control.configure({ addProperty: { name: 'rev_score', type: 'number', label: 'Reverse score' } });
  await sim.control.configure({
    addProperty: { name: 'rev_tier', type: 'enumeration', options: ['hot', 'warm', 'cold'] },
  });
  // Only the fill-empty test writes this one, so earlier tests cannot have filled it.
  await sim.control.configure({ addProperty: { name: 'rev_fill', type: 'number' } });
  await sim.control.configure({ addProperty: { name: 'rev_only', type: 'number' } });
  contacts = ((await sim.control.truth('contacts')) as Contact[]).filter(
    (c) => c.properties.email && !c.archived,
  );
});
afterAll(() => sim.close());

beforeEach(async () => {
  warehouse = await memoryWarehouse();
  await sim.control.resetStats();
  await sim.control.clearFaults();
  return () => warehouse.close();
});

function destination(): HubspotDestination {
  const config = HubspotSourceSchema.parse({
    kind: 'hubspot',
    name: 'hubspot',
    tokenEnv: 'HS_TOKEN',
    burstLimit: 190,
  });
  return new HubspotDestination(
    'hubspot',
    hubspotClientFor(config, { env: { HS_TOKEN: sim.token }, baseUrl: sim.baseUrl }),
  );
}

/** analytics.customer_scores for the first n contacts: score = (i * 7) % 100, tier by score. */
async function scores(
  n: number,
  score: (i: number) => number | string = (i) => (i * 7) % 100,
  scoreType: 'DOUBLE' | 'VARCHAR' = 'DOUBLE',
): Promise<Contact[]> {
  const picked = contacts.slice(0, n);
  await createTable(
    warehouse,
    'analytics.customer_scores',
    picked.map((c, i) => {
      const s = score(i);
      return {
        hubspot_id: c.id,
        email: c.properties.email ?? null,
        score: s,
        tier: Number(s) >= 50 ? 'Hot' : 'cold',
      };
    }),
    { hubspot_id: 'VARCHAR', email: 'VARCHAR', score: scoreType, tier: 'VARCHAR' },
  );
  return picked;
}

const sync: SyncInput = {
  name: 'hs_scores',
  from: 'analytics.customer_scores',
  to: { crm: 'hubspot', object: 'contacts' },
  match: { by: 'id', column: 'hubspot_id' },
  fields: { score: 'rev_score', tier: 'rev_tier' },
};

function run(
  dest: Destination = destination(),
  overrides: Partial<SyncInput> = {},
  extra: { dryRun?: boolean; signal?: AbortSignal } = {},
): Promise<SyncReport> {
  return runTestSync({
    warehouse,
    destination: dest,
    sync: { ...sync, ...overrides },
    ...extra,
  });
}

async function calls(endpoint: string): Promise<number> {
  return (await sim.control.stats()).byEndpoint[endpoint] ?? 0;
}

async function truthOf(ids: readonly string[]): Promise<Map<string, Contact['properties']>> {
  const wanted = new Set(ids);
  const all = (await sim.control.truth('contacts')) as Contact[];
  return new Map(all.filter((c) => wanted.has(c.id)).map((c) => [c.id, c.properties]));
}

const UPDATE = 'POST /crm/v3/objects/contacts/batch/update';

describe('HubSpot destination against the HubSpot simulator', () => {
  it('reads writability from the properties API', async () => {
    const fields = await destination().fields('contacts');
    expect(fields.find((f) => f.name === 'rev_score')).toMatchObject({
      type: 'number',
      readOnlyReason: null,
    });
    expect(fields.find((f) => f.name === 'rev_tier')?.options?.map((o) => o.value)).toEqual([
      'hot',
      'warm',
      'cold',
    ]);
    expect(fields.find((f) => f.name === 'email')).toMatchObject({ type: 'email', unique: true });
    expect(fields.find((f) => f.name === 'hs_object_id')?.readOnlyReason).not.toBeNull();
  });

  it('updates ⌈changed/100⌉ batches, then makes zero calls when nothing changed', async () => {
    const picked = await scores(250);
    const first = await run();
    expect(first.error).toBeNull();
    expect(first.counts).toMatchObject({ written: 250, rejected: 0, writeCalls: 3 });
    expect(await calls(UPDATE)).toBe(3);
    const truth = await truthOf(picked.map((c) => c.id));
    expect(truth.get(picked[3]!.id)).toMatchObject({ rev_score: '21', rev_tier: 'cold' });
    expect(truth.get(picked[8]!.id)).toMatchObject({ rev_score: '56', rev_tier: 'hot' });

    await sim.control.resetStats();
    const second = await run();
    expect(second.plan).toMatchObject({ unchanged: 250 });
    expect((await sim.control.stats()).writes).toBe(0);
    expect(await calls(UPDATE)).toBe(0);
  });

  it('maps 207 per-record errors back to their records; they are sent again next run', async () => {
    const picked = await scores(120);
    await warehouse.execute(
      `UPDATE analytics.customer_scores SET hubspot_id = '999999991' WHERE hubspot_id = '${picked[5]!.id}'`,
    );
    const report = await run();
    expect(report.counts).toMatchObject({ written: 119, rejected: 1, writeCalls: 2 });
    expect(report.rejections).toEqual([
      {
        key: '999999991',
        reason: expect.stringMatching(/^OBJECT_NOT_FOUND: Could not get some CONTACT objects/),
      },
    ]);
    const log = await rowsOf(
      warehouse,
      `SELECT status, reason FROM tide.push_log WHERE record_key = '999999991'`,
    );
    expect(log).toEqual([{ status: 'rejected', reason: expect.stringContaining('OBJECT_NOT_FOUND') }]);

    await sim.control.resetStats();
    const again = await run();
    expect(again.plan).toMatchObject({ unchanged: 119, changedNew: 1, repeatedlyFailing: 1 });
    expect(await calls(UPDATE)).toBe(1);
  });

  it('rejects invalid values before any call and never sends them', async () => {
    await scores(30, (i) => (i === 2 ? 'lots' : i), 'VARCHAR');
    await warehouse.execute(`UPDATE analytics.customer_scores SET tier = 'lukewarm' WHERE score = '4'`);
    const report = await run();
    expect(report.counts).toMatchObject({ written: 28, invalid: 2, writeCalls: 1 });
    expect(report.rejections.map((r) => r.reason)).toEqual([
      'rev_score: "lots" is not a number',
      'rev_tier: "lukewarm" is not an option (allowed: hot, warm, cold)',
    ]);
  });

  it('a dry run leaves the write counters at zero', async () => {
    await scores(50);
    const report = await run(destination(), {}, { dryRun: true });
    expect(report.plan).toMatchObject({ changedNew: 50 });
    expect(report.estimatedCalls).toBe(1);
    const stats = await sim.control.stats();
    expect(stats.writes).toBe(0);
    expect(Object.keys(stats.byEndpoint).filter((e) => e.includes('batch'))).toEqual([]);
  });

  it('upsert by email creates the contacts HubSpot does not have, keyed natively (no search)', async () => {
    await createTable(
      warehouse,
      'analytics.customer_scores',
      [
        { email: contacts[0]!.properties.email!.toUpperCase(), score: 11 },
        { email: 'new.person.tide@example.org', score: 12 },
      ],
      { email: 'VARCHAR', score: 'DOUBLE' },
    );
    const report = await run(destination(), {
      name: 'hs_upsert',
      mode: 'upsert',
      match: { by: 'email', column: 'email' },
      fields: { score: 'rev_score' },
    });
    expect(report.counts).toMatchObject({ written: 2, created: 1, writeCalls: 1 });
    expect(await calls('POST /crm/v3/objects/contacts/batch/upsert')).toBe(1);
    expect(await calls('POST /crm/v3/objects/contacts/search')).toBe(0);
    const all = (await sim.control.truth('contacts')) as Contact[];
    expect(all.find((c) => c.properties.email === 'new.person.tide@example.org')?.properties.rev_score).toBe(
      '12',
    );
    expect(all.find((c) => c.id === contacts[0]!.id)?.properties.rev_score).toBe('11');
  });

  it('fill-empty reads current values in batches and never overwrites', async () => {
    const picked = await scores(150);
    const dest = destination();
    // Three contacts already have a score in HubSpot.
    const target: WriteTarget = {
      object: 'contacts',
      match: { by: 'id', column: 'hubspot_id' },
      matchField: null,
      operation: 'update',
      fields: new Map(),
    };
    const preset = picked.slice(0, 3).map((c) => ({ key: c.id, matchValue: c.id, values: { rev_fill: 99 } }));
    expect((await dest.write(target, preset)).map((o) => o.status)).toEqual([
      'written',
      'written',
      'written',
    ]);
    await sim.control.resetStats();

    const report = await run(dest, { name: 'hs_fill', mode: 'fill-empty', fields: { score: 'rev_fill' } });
    expect(report.counts).toMatchObject({ written: 147, skipped: 3, readCalls: 2, writeCalls: 2 });
    expect(await calls('POST /crm/v3/objects/contacts/batch/read')).toBe(2);
    const truth = await truthOf(picked.map((c) => c.id));
    expect(truth.get(picked[0]!.id)?.rev_fill).toBe('99');
    expect(truth.get(picked[4]!.id)?.rev_fill).toBe('28');
  });

  it('rides out a 429 storm by waiting for HubSpot’s signal; every record is written once', async () => {
    await scores(400);
    // Slow answers put all four batches in flight before the first 429 comes back: one shared wait.
    await sim.control.faults({ rateLimit: 4, latencyMs: 100, pathContains: '/batch/update' });
    const report = await run(destination(), { concurrency: 4 });
    expect(report.error).toBeNull();
    expect(report.counts).toMatchObject({ written: 400, rejected: 0, writeCalls: 4 });
    const stats = await sim.control.stats();
    expect(stats.byEndpointStatus[`${UPDATE} 429`]).toBe(4);
    expect(stats.byEndpointStatus[`${UPDATE} 200`]).toBe(4);
  }, 60_000);

  it('retries 5xx answers with backoff and writes each record once', async () => {
    await scores(200);
    await sim.control.faults({ serverErrors: 2, pathContains: '/batch/update' });
    const report = await run(destination(), { name: 'hs_5xx', concurrency: 1 });
    expect(report.error).toBeNull();
    expect(report.counts).toMatchObject({ written: 200, writeCalls: 2 });
    const stats = await sim.control.stats();
    expect(Object.entries(stats.byEndpointStatus).filter(([k]) => k.startsWith(`${UPDATE} 5`))).toHaveLength(
      1,
    );
    expect(stats.byEndpointStatus[`${UPDATE} 200`]).toBe(2);
  });

  it('never writes an unmapped property and never archives', async () => {
    const picked = await scores(20);
    const before = await truthOf(picked.map((c) => c.id));
    await run(destination(), { name: 'hs_mapped_only', fields: { score: 'rev_only' } });
    const after = await truthOf(picked.map((c) => c.id));
    for (const c of picked) {
      const was = before.get(c.id)!;
      const now = after.get(c.id)!;
      const changed = Object.keys(now).filter((k) => now[k] !== was[k] && !/lastmodifieddate$/.test(k));
      // Only the mapped property changes (besides HubSpot's own modification stamps).
      expect(changed).toEqual(['rev_only']);
    }
    const stats = await sim.control.stats();
    expect(Object.keys(stats.byEndpoint).filter((e) => /archive|DELETE|gdpr/.test(e))).toEqual([]);
  });

  it('killed mid-push and run again: confirmed batches are not resent, none is lost', async () => {
    const picked = await scores(1000);
    const controller = new AbortController();
    const real = destination();
    const killing = killedAfterWrites(real, 4, controller);
    const first = await run(killing, { concurrency: 2 }, { signal: controller.signal });
    expect(first.status).toBe('failed');
    const [{ n }] = (await rowsOf(
      warehouse,
      'SELECT count(*) AS n FROM tide.pushed WHERE value_hash IS NOT NULL',
    )) as [{ n: number }];
    expect(n).toBeGreaterThanOrEqual(300);
    expect(n).toBeLessThan(1000);

    await sim.control.resetStats();
    const second = await run();
    expect(second.error).toBeNull();
    expect(second.plan?.unchanged).toBe(n);
    expect(await calls(UPDATE)).toBe(Math.ceil((1000 - n) / 100));
    const truth = await truthOf(picked.map((c) => c.id));
    for (const [i, c] of picked.entries()) expect(truth.get(c.id)?.rev_score).toBe(String((i * 7) % 100));
  });
});
