import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SalesforceSourceSchema } from '../../../connectors/salesforce/salesforce-config.js';
import { salesforceConnectionFor } from '../../../connectors/salesforce/salesforce-connection.js';
import { SalesforceDestination } from '../../../connectors/salesforce/salesforce-destination.js';
import type { Destination } from '../../../core/destination.js';
import type { Warehouse } from '../../../load/warehouse.js';
import type { SyncReport } from '../../../reverse/run-sync.js';
import type { SyncInput } from '../../../reverse/sync-config.js';
import {
  type StartedSalesforceSimulator,
  startSalesforceSimulator,
} from '../../../simulators/salesforce/start-salesforce-simulator.js';
import { runTestSync } from '../../reverse/sync-harness.js';
import { createTable, memoryWarehouse } from '../../reverse/warehouse-fixture.js';

interface Contact {
  readonly Id: string;
  readonly Email: string | null;
  readonly IsDeleted: boolean;
  readonly [field: string]: unknown;
}

let sim: StartedSalesforceSimulator;
let contacts: Contact[];
let warehouse: Warehouse;

beforeAll(async () => {
  sim = await startSalesforceSimulator({ seed: 5, scale: 2000 });
  const emails = new Map<string, number>();
  const all = (await sim.control.truth('Contact')) as Contact[];
  for (const c of all)
    if (c.Email) emails.set(c.Email.toLowerCase(), (emails.get(c.Email.toLowerCase()) ?? 0) + 1);
  // Live contacts with an email no other contact shares (the universe has some duplicates on purpose).
  contacts = all.filter((c) => !c.IsDeleted && c.Email && emails.get(c.Email.toLowerCase()) === 1);
});
afterAll(() => sim.close());

beforeEach(async () => {
  warehouse = await memoryWarehouse();
  await sim.control.resetStats();
  await sim.control.clearFaults();
  return () => warehouse.close();
});

function destination(): SalesforceDestination {
  const config = SalesforceSourceSchema.parse({
    kind: 'salesforce',
    name: 'salesforce',
    clientIdEnv: 'SF_CLIENT_ID',
    clientSecretEnv: 'SF_CLIENT_SECRET',
  });
  const connection = salesforceConnectionFor(config, {
    env: { SF_CLIENT_ID: sim.clientId, SF_CLIENT_SECRET: sim.clientSecret },
    baseUrl: sim.baseUrl,
  });
  return new SalesforceDestination('salesforce', connection);
}

/** analytics.customer_scores for contacts [from, from + n): score = (i * 3) % 100 + 0.25. */
async function scores(n: number, from = 0): Promise<Contact[]> {
  const picked = contacts.slice(from, from + n);
  await createTable(
    warehouse,
    'analytics.customer_scores',
    picked.map((c, i) => ({
      sf_id: c.Id,
      email: c.Email,
      score: ((i * 3) % 100) + 0.25,
      level: 'secondary',
    })),
    { sf_id: 'VARCHAR', email: 'VARCHAR', score: 'DOUBLE', level: 'VARCHAR' },
  );
  return picked;
}

const sync: SyncInput = {
  name: 'sf_scores',
  from: 'analytics.customer_scores',
  to: { crm: 'salesforce', object: 'Contact' },
  match: { by: 'id', column: 'sf_id' },
  fields: { score: 'Tide_Score__c', level: 'Level__c' },
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

const QUERY = 'GET /services/data/v62.0/query';

async function calls(endpoint: string): Promise<number> {
  const stats = await sim.control.stats();
  return Object.entries(stats.byEndpoint)
    .filter(([e]) => e === endpoint || e.startsWith(`${endpoint}/`))
    .reduce((n, [, c]) => n + c, 0);
}

async function truth(): Promise<Map<string, Contact>> {
  return new Map(((await sim.control.truth('Contact')) as Contact[]).map((c) => [c.Id, c]));
}

describe('Salesforce destination against the Salesforce simulator', () => {
  it('reads types, bounds and writability from describe', async () => {
    const fields = await destination().fields('Contact');
    const byName = new Map(fields.map((f) => [f.name, f]));
    expect(byName.get('Tide_Score__c')).toMatchObject({ type: 'number', scale: 2, readOnlyReason: null });
    expect(byName.get('Level__c')?.options?.map((o) => o.value)).toEqual([
      'Primary',
      'Secondary',
      'Tertiary',
    ]);
    expect(byName.get('Email')).toMatchObject({ type: 'email', maxLength: 255, unique: false });
    expect(byName.get('External_Id__c')?.unique).toBe(true);
    expect(byName.get('Name')?.readOnlyReason).toBe('describe says it is not updateable');
    expect(byName.get('Account_Industry__c')?.readOnlyReason).toBe('a formula field');
  });

  it('rejects values outside the picklist or the field’s precision before any call', async () => {
    await scores(20);
    await warehouse.execute(`UPDATE analytics.customer_scores SET level = 'Expert' WHERE score = 3.25;
      UPDATE analytics.customer_scores SET score = 1e17 WHERE score = 6.25`);
    const report = await run();
    expect(report.counts).toMatchObject({ written: 18, invalid: 2, writeCalls: 1 });
    expect(report.rejections.map((r) => r.reason).sort()).toEqual([
      'Level__c: "Expert" is not an option (allowed: Primary, Secondary, Tertiary)',
      // 10^16 − 0.01 (16 integer digits) is not a double: it rounds to 10^16.
      'Tide_Score__c: 100000000000000000 is above the maximum 10000000000000000',
    ]);
  });

  it('upserts by an External ID field natively, creating what is missing', async () => {
    await createTable(
      warehouse,
      'analytics.customer_scores',
      [
        { ext: 'TIDE-NEW-1', last_name: 'Newperson', score: 42 },
        { ext: 'TIDE-NEW-2', last_name: 'Otherperson', score: 43 },
      ],
      { ext: 'VARCHAR', last_name: 'VARCHAR', score: 'DOUBLE' },
    );
    const report = await run(destination(), {
      name: 'sf_upsert',
      mode: 'upsert',
      match: { by: 'external-id', column: 'ext', field: 'External_Id__c' },
      fields: { last_name: 'LastName', score: 'Tide_Score__c' },
    });
    expect(report.counts).toMatchObject({ written: 2, created: 2, writeCalls: 1 });
    expect(await calls('PATCH /services/data/v62.0/composite/sobjects/Contact/External_Id__c')).toBe(1);
    const created = [...(await truth()).values()].filter((c) =>
      String(c.External_Id__c).startsWith('TIDE-NEW-'),
    );
    expect(created.map((c) => [c.LastName, c.Tide_Score__c]).sort()).toEqual([
      ['Newperson', 42],
      ['Otherperson', 43],
    ]);
  });

  it('updates by email with one SOQL lookup per batch, not one per record', async () => {
    const picked = await scores(150, 300);
    const report = await run(destination(), { name: 'sf_email', match: { by: 'email', column: 'email' } });
    expect(report.error).toBeNull();
    expect(report.counts).toMatchObject({ written: 150, writeCalls: 2 });
    expect(await calls(QUERY)).toBe(2);
    expect((await truth()).get(picked[3]!.Id)?.Tide_Score__c).toBe(9.25);
  });
});
