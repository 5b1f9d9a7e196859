import { Client } from '@hubspot/api-client';
import { v1, v2 } from 'pipedrive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Source } from '../../core/source.js';
import { runExtract } from '../../extract/run-extract.js';
import type { DuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import { MemoryLogger } from '../../log/console-logger.js';
import { hubspotTestbed } from '../connectors/hubspot/hubspot-harness.js';
import { simNow as pipedriveNow, pipedriveTestbed } from '../connectors/pipedrive/pipedrive-harness.js';
import {
  simNow as salesforceNow,
  salesforceSource,
  startSim,
} from '../connectors/salesforce/salesforce-harness.js';
import { buildModels, idText, openFixtureWarehouse, rows } from './model-fixture.js';

/**
 * CRM merges, end to end on each CRM: the simulator merges as the vendor does, Tide's connector
 * extracts the result through the vendor's API, and the models follow the merge — the merged-away
 * records point to their survivor, the customer keeps its id, and no other customer's id moves.
 */
async function extract(warehouse: DuckdbWarehouse, source: Source, streams: readonly string[], now?: Date) {
  const summary = await runExtract({
    runId: `run-${Math.random()}`,
    warehouse,
    plan: source
      .streams()
      .filter((s) => streams.includes(s.name))
      .map((stream) => ({ source, stream, startDate: null, fullRefresh: false })),
    concurrency: 2,
    checkpointEvery: 10_000,
    log: new MemoryLogger(),
    progress: { page: () => {} },
    ...(now ? { now: () => now } : {}),
  });
  expect(summary.status).toBe('ok');
}

type Row = Record<string, unknown>;
const byKey = async (warehouse: DuckdbWarehouse): Promise<Map<string, Row>> =>
  new Map(
    (await rows(warehouse, 'select * from analytics.customer_sources')).map((r) => [
      String(r['record_key']),
      r,
    ]),
  );

/** Every record outside `touched` keeps its customer id. */
function expectOthersStable(before: Map<string, Row>, after: Map<string, Row>, touched: ReadonlySet<string>) {
  let checked = 0;
  for (const [key, row] of before) {
    if (touched.has(String(row['customer_id']))) continue;
    expect(after.get(key)?.['customer_id'], key).toBe(row['customer_id']);
    checked++;
  }
  expect(checked).toBeGreaterThan(50);
}

describe('HubSpot merges: a new record with a new id replaces both', () => {
  let warehouse: DuckdbWarehouse;
  let bed: Awaited<ReturnType<typeof hubspotTestbed>>;
  beforeAll(async () => {
    bed = await hubspotTestbed({ scale: 200 });
    warehouse = await openFixtureWarehouse();
  });
  afterAll(async () => {
    await warehouse.close();
    await bed.sim.close();
  });

  it('old ids read as the new record and are listed nowhere; the customer keeps its id', async () => {
    const sources = [{ name: bed.source.name, kind: 'hubspot' }];
    await extract(warehouse, bed.source, ['contacts']);
    await buildModels(warehouse, { sources, runId: 'before' });
    const before = await byKey(warehouse);
    // Two live contacts of one person (same email in another case): one customer already.
    const [pair] = await rows(
      warehouse,
      `select min(s.crm_id) as a, max(s.crm_id) as b, min(s.customer_id) as customer
       from analytics.customer_sources as s join staging.int_person_records as p using (record_key)
       where not p.is_merged and p.email is not null group by p.email having count(*) = 2 order by 1 limit 1`,
    );
    const [a, b, customer] = [String(pair!['a']), String(pair!['b']), String(pair!['customer'])];

    const client = new Client({ accessToken: bed.sim.token, basePath: bed.sim.baseUrl });
    await bed.sim.control.advanceClock(60_000);
    const merged = await client.crm.contacts.basicApi.merge({ primaryObjectId: a, objectIdToMerge: b });
    expect([a, b]).not.toContain(merged.id);
    const fresh = await client.crm.contacts.basicApi.getById(merged.id, ['hs_merged_object_ids']);
    expect(fresh.properties['hs_merged_object_ids']?.split(';').sort()).toEqual([a, b].sort());
    for (const old of [a, b]) expect((await client.crm.contacts.basicApi.getById(old)).id).toBe(merged.id);
    const read = await client.crm.contacts.batchApi.read({
      inputs: [{ id: a }],
      properties: ['email'],
      propertiesWithHistory: [],
    });
    expect(read.results.map((r) => r.id)).toEqual([merged.id]);
    const listed = (await client.crm.contacts.getAll(100)).map((r) => r.id);
    const archived = (
      await client.crm.contacts.getAll(100, undefined, undefined, undefined, undefined, true)
    ).map((r) => r.id);
    expect(listed).toContain(merged.id);
    for (const old of [a, b]) {
      expect(listed).not.toContain(old);
      expect(archived).not.toContain(old);
    }

    await extract(warehouse, bed.source, ['contacts']);
    await buildModels(warehouse, { sources, runId: 'after' });
    const after = await byKey(warehouse);
    const key = (id: string) => `${bed.source.name}:contacts:${id}`;
    expect(after.get(key(merged.id))).toMatchObject({ customer_id: customer, is_merged: false });
    for (const old of [a, b])
      expect(after.get(key(old))).toMatchObject({
        customer_id: customer,
        is_merged: true,
        match_rule: 'crm_merge',
        merged_into_id: after.get(key(merged.id))!['record_id'],
      });
    const [row] = await rows(
      warehouse,
      `select hubspot_contact_id from analytics.customers where customer_id = '${customer}'`,
    );
    expect(row).toEqual({ hubspot_contact_id: merged.id });
    // The new record's id is no customer id: the customer keeps the one its old records gave it.
    expect(customer).toBe(
      [
        idText(key(a)),
        idText(key(b)),
        ...[...before.values()]
          .filter((r) => r['customer_id'] === customer)
          .map((r) => idText(String(r['record_key']))),
      ].sort()[0],
    );
    expectOthersStable(before, after, new Set([customer]));
  });
});

describe('Salesforce merges: the merged-away record is deleted with MasterRecordId', () => {
  it('queryAll brings the deleted record with its master; it follows it into the same customer', async () => {
    const sim = await startSim({ scale: 200 });
    const warehouse = await openFixtureWarehouse();
    try {
      const sf = salesforceSource(sim, { streams: ['Contact'] });
      const sources = [{ name: sf.source.name, kind: 'salesforce' }];
      // A duplicate of an existing contact (same email and name), entered later.
      const [original] = (await sim.control.truth('Contact')) as Record<string, unknown>[];
      const created = (await sim.control.mutate({ object: 'Contact', create: 1 })) as { created: string[] };
      const copy = created.created[0]!;
      await sim.control.mutate({
        object: 'Contact',
        updateIds: [copy],
        fields: {
          Email: String(original!['Email']).toUpperCase(),
          LastName: original!['LastName'],
          FirstName: original!['FirstName'],
        },
      });
      await extract(warehouse, sf.source, ['Contact'], await salesforceNow(sim));
      await buildModels(warehouse, { sources, runId: 'before' });
      const before = await byKey(warehouse);
      const key = (id: unknown) => `${sf.source.name}:Contact:${String(id)}`;
      const customer = String(before.get(key(original!['Id']))!['customer_id']);
      expect(before.get(key(copy))!['customer_id']).toBe(customer);

      await sim.control.advanceClock(60_000);
      const result = (await sim.control.mutate({
        object: 'Contact',
        mergeIds: [{ master: String(original!['Id']), victims: [copy] }],
      })) as { merged: { master: string; victims: string[] }[] };
      expect(result.merged).toEqual([{ master: original!['Id'], victims: [copy] }]);
      const truth = new Map(
        ((await sim.control.truth('Contact')) as Record<string, unknown>[]).map((r) => [String(r['Id']), r]),
      );
      expect(truth.get(copy)).toMatchObject({ IsDeleted: true, MasterRecordId: original!['Id'] });

      await extract(warehouse, sf.source, ['Contact'], await salesforceNow(sim));
      await buildModels(warehouse, { sources, runId: 'after' });
      const after = await byKey(warehouse);
      expect(after.get(key(copy))).toMatchObject({
        customer_id: customer,
        is_merged: true,
        match_rule: 'crm_merge',
        merged_into_id: after.get(key(original!['Id']))!['record_id'],
      });
      expect(after.get(key(original!['Id']))).toMatchObject({ customer_id: customer, is_merged: false });
      expectOthersStable(before, after, new Set([customer]));
    } finally {
      await warehouse.close();
      await sim.close();
    }
  });
});

describe('Pipedrive merges: the merged-away person is deleted and named nowhere', () => {
  it('the survivor keeps its emails, so the deleted person follows it into the same customer', async () => {
    const bed = await pipedriveTestbed({ scale: 200 });
    const warehouse = await openFixtureWarehouse();
    try {
      const sources = [{ name: bed.source.name, kind: 'pipedrive' }];
      const config = { apiKey: bed.sim.apiToken };
      const persons = new v2.PersonsApi(
        new v2.Configuration({ ...config, basePath: `${bed.sim.baseUrl}/api/v2` }),
      );
      const survivor = (await persons.getPerson({ id: 5 })).data!;
      const email = survivor.emails?.find((e) => e.primary)?.value ?? survivor.emails?.[0]?.value;
      expect(email).toBeDefined();
      // The same person entered again by a colleague, with another address too.
      const copy = (
        await persons.addPerson({
          AddPersonRequest: {
            name: survivor.name!,
            emails: [
              { value: email!.toUpperCase(), primary: true },
              { value: 'second.address@example.org', primary: false },
            ],
          },
        })
      ).data!;
      await extract(warehouse, bed.source, ['persons'], await pipedriveNow(bed.sim));
      await buildModels(warehouse, { sources, runId: 'before' });
      const before = await byKey(warehouse);
      const key = (id: unknown) => `${bed.source.name}:persons:${String(id)}`;
      const customer = String(before.get(key(5))!['customer_id']);
      expect(before.get(key(copy.id))!['customer_id']).toBe(customer);

      await bed.sim.control.advanceClock(60_000);
      const merged = await new v1.PersonsApi(
        new v1.Configuration({ ...config, basePath: `${bed.sim.baseUrl}/v1` }),
      ).mergePersons({ id: copy.id!, MergePersonsRequest: { merge_with_id: 5 } });
      expect(merged.data).toMatchObject({ id: 5, merge_what_id: copy.id });
      const kept = (await persons.getPerson({ id: 5 })).data!;
      expect(kept.emails?.map((e) => e.value?.toLowerCase())).toContain('second.address@example.org');
      await expect(persons.getPerson({ id: copy.id! })).resolves.toMatchObject({
        data: { is_deleted: true },
      });

      await extract(warehouse, bed.source, ['persons'], await pipedriveNow(bed.sim));
      await buildModels(warehouse, { sources, runId: 'after' });
      const after = await byKey(warehouse);
      expect(after.get(key(copy.id))).toMatchObject({
        customer_id: customer,
        is_merged: true,
        match_rule: 'crm_merge',
        merged_into_id: after.get(key(5))!['record_id'],
      });
      expectOthersStable(before, after, new Set([customer]));
    } finally {
      await warehouse.close();
      await bed.sim.close();
    }
  });
});
