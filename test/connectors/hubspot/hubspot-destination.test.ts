import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HubspotSourceSchema } from '../../../connectors/hubspot/hubspot-config.js';
import { hubspotClientFor } from '../../../connectors/hubspot/hubspot-connection.js';
import { HubspotDestination } from '../../../connectors/hubspot/hubspot-destination.js';
import type { Destination } from '../../../core/destination.js';
import type { Warehouse } from '../../../load/warehouse.js';
import type { SyncReport } from '../../../reverse/run-sync.js';
import type { SyncInput } from '../../../reverse/sync-config.js';
import {
  type StartedHubspotSimulator,
  startHubspotSimulator,
} from '../../../simulators/hubspot/start-hubspot-simulator.js';
import { runTestSync } from '../../reverse/sync-harness.js';
import { createTable, memoryWarehouse } from '../../reverse/warehouse-fixture.js';

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
});
