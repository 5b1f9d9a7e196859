import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/models/Filter.js';
import RetryDecoratorModule from '@hubspot/api-client/lib/src/services/decorators/RetryDecorator.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type StartedHubspotSimulator,
  startHubspotSimulator,
} from '../../../simulators/hubspot/start-hubspot-simulator.js';
import { truthOf } from './hubspot-http.js';

/**
 * The official SDK (@hubspot/api-client 13.5.0) pointed at the simulator with nothing but a base
 * path and a token: if the simulator's shapes or status codes drift from HubSpot's, the SDK's own
 * deserializers and retry logic fail here.
 */
describe('HubSpot simulator through the official SDK', () => {
  let sim: StartedHubspotSimulator;
  let client: Client;

  beforeAll(async () => {
    sim = await startHubspotSimulator({ seed: 11, scale: 400, burstLimit: 0, searchPerSecond: 0 });
    client = new Client({ accessToken: sim.token, basePath: sim.baseUrl, numberOfApiCallRetries: 3 });
  });
  afterAll(() => sim.close());
  afterEach(async () => {
    vi.restoreAllMocks();
    await sim.control.clearFaults();
    await sim.control.configure({ burstLimit: 0, searchPerSecond: 0 });
  });

  it('pages every live contact with getPage and getAll, with the requested properties as strings', async () => {
    const truth = (await truthOf(sim, 'contacts')).filter((r) => !r.archived);
    const ids: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await client.crm.contacts.basicApi.getPage(100, after, ['email', 'phone', 'tide_score']);
      pages++;
      for (const r of page.results) {
        ids.push(r.id);
        expect(r.createdAt).toBeInstanceOf(Date);
        expect(Object.keys(r.properties)).toEqual(
          expect.arrayContaining(['email', 'phone', 'tide_score', 'hs_object_id']),
        );
      }
      after = page.paging?.next?.after;
    } while (after !== undefined);
    expect(pages).toBe(Math.ceil(truth.length / 100));
    expect(ids).toEqual(truth.map((r) => r.id));

    const all = await client.crm.contacts.getAll(100, undefined, ['email']);
    expect(all.map((r) => r.id)).toEqual(ids);
    const byId = new Map(truth.map((r) => [r.id, r]));
    for (const r of all) expect(r.properties['email']).toBe(byId.get(r.id)!.properties['email']);
  });

  it('searches by lastmodifieddate GTE with a sort, paging with after, oldest first', async () => {
    const truth = (await truthOf(sim, 'contacts')).filter((r) => !r.archived);
    const times = truth.map((r) => Date.parse(r.properties['lastmodifieddate']!)).sort((a, b) => a - b);
    const from = times[Math.floor(times.length / 2)]!;
    const expected = truth.filter((r) => Date.parse(r.properties['lastmodifieddate']!) >= from);

    const seen: { id: string; ms: number }[] = [];
    let after: string | undefined;
    let total = -1;
    do {
      const page = await client.crm.contacts.searchApi.doSearch({
        filterGroups: [
          {
            filters: [
              { propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Gte, value: String(from) },
            ],
          },
        ],
        sorts: ['lastmodifieddate'],
        properties: ['email', 'lastmodifieddate'],
        limit: 50,
        ...(after ? { after } : {}),
      });
      total = page.total;
      for (const r of page.results)
        seen.push({ id: r.id, ms: Date.parse(r.properties['lastmodifieddate']!) });
      after = page.paging?.next?.after;
    } while (after !== undefined);

    expect(total).toBe(expected.length);
    expect(new Set(seen.map((s) => s.id))).toEqual(new Set(expected.map((r) => r.id)));
    expect(seen.length).toBe(expected.length);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.ms).toBeGreaterThanOrEqual(seen[i - 1]!.ms);
  });

  it('batch-updates contacts: 200 when all succeed, 207 with per-record errors otherwise', async () => {
    const [a, b, c] = (await truthOf(sim, 'contacts')).filter((r) => !r.archived);
    const before = Date.parse(a!.updatedAt);
    const ok = await client.crm.contacts.batchApi.update({
      inputs: [
        { id: a!.id, properties: { tide_score: '87.5', customer_tier: 'gold' } },
        { id: b!.id, properties: { tide_score: '12' } },
      ],
    });
    expect(ok.status).toBe('COMPLETE');
    expect(ok.results.map((r) => r.properties['tide_score']).sort()).toEqual(['12', '87.5']);
    expect('numErrors' in ok).toBe(false);

    const partial = await client.crm.contacts.batchApi.update({
      inputs: [
        { id: c!.id, properties: { tide_score: '3' } },
        { id: '999999999', properties: { tide_score: '1' } },
        { id: b!.id, properties: { customer_tier: 'diamond' } },
      ],
    });
    expect(partial.results.map((r) => r.id)).toEqual([c!.id]);
    expect('numErrors' in partial && partial.numErrors).toBe(2);
    const errors = 'errors' in partial ? (partial.errors ?? []) : [];
    expect(errors.map((e) => [e.category, e.context?.['ids']])).toEqual(
      expect.arrayContaining([
        ['OBJECT_NOT_FOUND', ['999999999']],
        ['VALIDATION_ERROR', [b!.id]],
      ]),
    );

    const after = new Map((await truthOf(sim, 'contacts')).map((r) => [r.id, r]));
    expect(after.get(a!.id)!.properties['tide_score']).toBe('87.5');
    expect(after.get(a!.id)!.properties['customer_tier']).toBe('gold');
    expect(Date.parse(after.get(a!.id)!.updatedAt)).toBeGreaterThan(before);
    expect(after.get(a!.id)!.properties['lastmodifieddate']).toBe(after.get(a!.id)!.updatedAt);
    expect(after.get(b!.id)!.properties['customer_tier']).not.toBe('diamond');
    expect(after.get(c!.id)!.properties['tide_score']).toBe('3');
  });

  it('backs off from a TEN_SECONDLY_ROLLING 429 the way the SDK does for HubSpot, then succeeds', async () => {
    // The SDK sleeps 10 s × attempt for this policy; the sleep is recorded instead of waited.
    // CommonJS interop: the class is the default export or sits under `.default`, depending on the loader.
    const loaded = RetryDecoratorModule as unknown as { default?: { prototype: object }; prototype: object };
    const RetryDecorator = loaded.default ?? loaded;
    const waits = vi
      .spyOn(
        RetryDecorator.prototype as { _waitAfterRequestFailure: () => Promise<void> },
        '_waitAfterRequestFailure',
      )
      .mockResolvedValue(undefined);
    await sim.control.resetStats();
    await sim.control.faults({ rateLimit: 1 });
    const page = await client.crm.contacts.basicApi.getPage(5);
    expect(page.results).toHaveLength(5);
    expect(waits).toHaveBeenCalledTimes(1);
    expect(waits).toHaveBeenCalledWith(429, 1, 10_000);
    const stats = await sim.control.stats();
    expect(stats.byEndpointStatus).toMatchObject({
      'GET /crm/v3/objects/contacts 429': 1,
      'GET /crm/v3/objects/contacts 200': 1,
    });
  });

  it('really waits out the search secondly limit (1 s) and succeeds', async () => {
    await sim.control.configure({ searchPerSecond: 1 });
    await sim.control.resetStats();
    const search = () => client.crm.contacts.searchApi.doSearch({ limit: 1 });
    const started = Date.now();
    const [first, second] = await Promise.all([search(), search()]);
    expect(first.results).toHaveLength(1);
    expect(second.results).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const stats = await sim.control.stats();
    expect(stats.byEndpointStatus['POST /crm/v3/objects/contacts/search 429']).toBe(1);
    expect(stats.byEndpointStatus['POST /crm/v3/objects/contacts/search 200']).toBe(2);
  });

  it('retries a 5xx from the simulator and gets the page', async () => {
    await sim.control.faults({ serverErrors: 1 });
    const page = await client.crm.companies.basicApi.getPage(3, undefined, ['domain']);
    expect(page.results).toHaveLength(3);
    expect(page.results[0]!.properties).toHaveProperty('domain');
  });
});
