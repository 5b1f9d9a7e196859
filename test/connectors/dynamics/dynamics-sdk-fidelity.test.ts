import { DynamicsWebApi, type RequestError } from 'dynamics-web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type StartedDynamicsSimulator,
  startDynamicsSimulator,
} from '../../../simulators/dynamics/start-dynamics-simulator.js';
import { truthRows } from './dynamics-harness.js';
import { tokenFor } from './dynamics-http.js';

/**
 * The standard Dataverse client on npm, `dynamics-web-api` 2.5.0, pointed at the simulator
 * (PROTOCOL-FACTS-ZOHO-DYNAMICS-ACTIVECAMPAIGN.md §4: serverUrl = base URL, a token callback, Web API
 * 9.2). What it sends is what it sends to Dataverse, so the simulator answering it right is evidence
 * the simulator speaks the protocol, not only Tide's reading of it.
 */
let sim: StartedDynamicsSimulator;
let dwa: DynamicsWebApi;

beforeAll(async () => {
  sim = await startDynamicsSimulator({ seed: 11, scale: 500 });
  const token = ((await (await tokenFor(sim)).json()) as { access_token: string }).access_token;
  dwa = new DynamicsWebApi({
    serverUrl: sim.baseUrl,
    onTokenRefresh: async () => token,
    dataApi: { version: '9.2' },
    propagateErrors: true,
  });
});
afterAll(() => sim.close());

describe('dynamics-web-api against the Dynamics simulator', () => {
  it('retrieveAll pages through every contact with maxPageSize', async () => {
    const all = await dwa.retrieveAll<{ contactid: string }>({
      collection: 'contacts',
      select: ['fullname', 'emailaddress1'],
      maxPageSize: 60,
    });
    const live = (await truthRows(sim, 'contacts')).filter((r) => !r.deleted).map((r) => r.id);
    expect(all.value.map((r) => r.contactid)).toEqual(live);
    expect(live.length).toBeGreaterThan(120);
  });

  it('tracks changes through two delta links, the second one with a deletion', async () => {
    const snapshot = await dwa.retrieveAll<{ accountid: string }>({
      collection: 'accounts',
      select: ['name'],
      trackChanges: true,
      maxPageSize: 25,
    });
    expect(snapshot.value.length).toBe((await truthRows(sim, 'accounts')).filter((r) => !r.deleted).length);
    expect(snapshot.oDataDeltaLink).toContain('$deltatoken=');

    await sim.control.advanceClock(1000);
    const first = (await sim.control.mutate({ object: 'accounts', update: 2 })) as { updated: string[] };
    const delta1 = await dwa.retrieveMultiple<{ accountid: string }>(
      { collection: 'accounts' },
      snapshot.oDataDeltaLink,
    );
    expect(delta1.value.map((r) => r.accountid).sort()).toEqual([...first.updated].sort());
    expect(delta1.oDataDeltaLink).toBeDefined();

    await sim.control.advanceClock(1000);
    const second = (await sim.control.mutate({ object: 'accounts', update: 1, delete: 1 })) as {
      updated: string[];
      deleted: string[];
    };
    const delta2 = await dwa.retrieveMultiple<Record<string, unknown>>(
      { collection: 'accounts' },
      delta1.oDataDeltaLink,
    );
    expect(delta2.value).toHaveLength(2);
    expect(delta2.value[0]?.accountid).toBe(second.updated[0]);
    expect(delta2.value[1]).toMatchObject({ id: second.deleted[0], reason: 'deleted' });
  });

  it('updates with If-Match: * (a missing id is a 404, never created)', async () => {
    const [contact] = (await truthRows(sim, 'contacts')).filter((r) => !r.deleted);
    await dwa.update({ collection: 'contacts', key: contact!.id, data: { tide_score: 77 } });
    expect((await truthRows(sim, 'contacts')).find((r) => r.id === contact!.id)?.values?.tide_score).toBe(77);
    const missing = '33333333-2222-4333-8444-555555555555';
    const error = (await dwa
      .update({ collection: 'contacts', key: missing, data: { tide_score: 1 } })
      .catch((e: unknown) => e)) as RequestError;
    expect(error.status).toBe(404);
    expect((await truthRows(sim, 'contacts')).some((r) => r.id === missing)).toBe(false);
  });

  it('runs a $batch with continueOnError: the bad part fails, the others are written', async () => {
    const rows = (await truthRows(sim, 'contacts')).filter((r) => !r.deleted).slice(5, 8);
    dwa.startBatch();
    void dwa.update({ collection: 'contacts', key: rows[0]!.id, data: { tide_score: 10 } });
    void dwa.update({ collection: 'contacts', key: rows[1]!.id, data: { tide_score: 1000 } });
    void dwa.update({ collection: 'contacts', key: rows[2]!.id, data: { tide_score: 12 } });
    const results = await dwa.executeBatch({ continueOnError: true, inChangeSet: false });
    expect(results).toHaveLength(3);
    expect((results[1] as RequestError).status).toBe(400);
    // Inside a batch the client hands the part's error body through as is: `{ error: { code, message } }`.
    expect((results[1] as { error: { code: string; message: string } }).error).toMatchObject({
      code: '0x80044331',
      message: expect.stringContaining('outside the valid range'),
    });
    const after = new Map((await truthRows(sim, 'contacts')).map((r) => [r.id, r.values?.tide_score]));
    expect([after.get(rows[0]!.id), after.get(rows[1]!.id), after.get(rows[2]!.id)]).toEqual([10, null, 12]);
  });

  it('gets a 429 with Retry-After once the request window is spent', async () => {
    await sim.control.configure({ requestsPerWindow: 1 });
    try {
      await dwa.retrieveMultiple({ collection: 'contacts', select: ['fullname'], top: 1 });
      const error = (await dwa
        .retrieveMultiple({ collection: 'contacts', select: ['fullname'], top: 1 })
        .catch((e: unknown) => e)) as RequestError;
      expect(error.status).toBe(429);
      expect(Number(error.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(error.code).toBe('0x80072322');
    } finally {
      await sim.control.configure({ requestsPerWindow: 0 });
    }
  });
});
