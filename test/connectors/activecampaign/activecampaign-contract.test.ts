import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrmField, WriteRecord, WriteTarget } from '../../../core/destination.js';
import { isTideError } from '../../../core/tide-error.js';
import {
  type StartedActiveCampaignSimulator,
  startActiveCampaignSimulator,
} from '../../../simulators/activecampaign/start-activecampaign-simulator.js';
import { readStream } from '../../conformance/read-stream.js';
import { activecampaignOn, mutate, TOKEN_ENV, truthRows } from './activecampaign-harness.js';
import { checkExchange, ENDPOINTS, endpointOf } from './activecampaign-reference.js';
import { type Exchange, RecordingProxy } from './recording-proxy.js';

/**
 * The proof of fidelity ActiveCampaign allows (no official v3 SDK exists): Tide runs its whole
 * repertoire (every stream, first and incremental, reconciliation, every write path, the error
 * answers) through a recording proxy in front of the simulator, and every request it sent and every
 * answer it got is held against the schemas written from the API reference
 * (activecampaign-reference.ts, each with its page).
 */
let sim: StartedActiveCampaignSimulator;
let proxy: RecordingProxy;

beforeAll(async () => {
  sim = await startActiveCampaignSimulator({
    seed: 3,
    scale: 500,
    share: 0.5,
    rateLimit: 1000,
    busy503Share: 0,
    importDelayMs: 10,
  });
  proxy = new RecordingProxy(sim.baseUrl);
  await proxy.start();
});
afterAll(async () => {
  await proxy.close();
  await sim.close();
});

function bed(configOverrides: Readonly<Record<string, unknown>> = {}, env?: Record<string, string>) {
  const b = activecampaignOn({ ...sim, baseUrl: proxy.url }, configOverrides, {}, env);
  return b;
}

function target(
  operation: 'update' | 'upsert',
  by: 'id' | 'email',
  fields: readonly CrmField[],
  names: readonly string[],
): WriteTarget {
  return {
    object: 'contacts',
    match: by === 'id' ? { by: 'id', column: 'ac_id' } : { by: 'email', column: 'email' },
    matchField: by === 'id' ? null : (fields.find((f) => f.name === 'email') ?? null),
    operation,
    fields: new Map(names.map((n) => [n, fields.find((f) => f.name === n)!])),
  };
}

const rec = (key: string, values: WriteRecord['values']): WriteRecord => ({ key, matchValue: key, values });

describe('ActiveCampaign contract: what Tide sends and gets, against the API reference', () => {
  it('every request and answer of a full workout conforms', async () => {
    const b = bed();
    await b.source.check();
    const cursors = new Map<string, Awaited<ReturnType<typeof readStream>>['cursor']>();
    for (const stream of b.source.streams()) {
      await stream.columns();
      cursors.set(stream.name, (await readStream(stream)).cursor);
    }
    // Changes of every kind, a contact without udate, a rate-limit answer, then incremental reads
    // that also list every id (reconciliation).
    await sim.control.advanceClock(2_000);
    for (const object of ['contacts', 'accounts', 'deals', 'notes', 'account_contacts'])
      await mutate(sim, { object, update: 3, delete: 1 });
    await mutate(sim, {
      object: 'contacts',
      create: 2,
      nullUdate: true,
      setFields: { 'Job Title': 'Pilot' },
    });
    await sim.control.faults({ rateLimit: 1 });
    for (const stream of b.source.streams())
      await readStream(stream, { cursor: cursors.get(stream.name) ?? null });

    const d = b.destination;
    const fields = await d.fields('contacts');
    const ids = (await truthRows(sim, 'contacts')).map((c) => c.id);
    const byId = target('update', 'id', fields, ['TIDE_SCORE', 'firstName']);
    const updated = await d.write(byId, [
      rec(ids[0]!, { TIDE_SCORE: '42', firstName: 'Ada' }),
      rec(ids[1]!, { TIDE_SCORE: '7', firstName: null }),
      rec('999999', { TIDE_SCORE: '1', firstName: 'Nobody' }),
    ]);
    expect(updated.map((o) => o.status)).toEqual(['written', 'written', 'rejected']);
    // A second contact's email on the first: 422 duplicate, with its pointer.
    const other = (await truthRows(sim, 'contacts'))[2]!;
    const duplicate = await d.write(target('update', 'id', fields, ['email']), [
      rec(ids[0]!, { email: String(other['email']) }),
    ]);
    expect(duplicate[0]).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/422.*already exists.*\/data\/attributes\/email/),
    });
    // Upsert: a few through contact/sync, a batch through bulk import (one row refused by validation).
    const upsert = target('upsert', 'email', fields, ['TIDE_SCORE', 'lastName']);
    const synced = await d.write(upsert, [
      rec('new.one@contract.example.com', { TIDE_SCORE: '3', lastName: 'One' }),
      rec(String(other['email']).toLowerCase(), { TIDE_SCORE: '4', lastName: 'Two' }),
    ]);
    expect(synced.map((o) => o.status === 'written' && o.created)).toEqual([true, false]);
    const batch = Array.from({ length: 12 }, (_, i) =>
      rec(`bulk.${i}@contract.example.com`, { TIDE_SCORE: String(i), lastName: `Bulk ${i}` }),
    );
    const imported = await d.write(upsert, [
      ...batch,
      rec('not-an-email', { TIDE_SCORE: '0', lastName: 'Bad' }),
    ]);
    expect(imported.filter((o) => o.status === 'written')).toHaveLength(12);
    expect(imported.find((o) => o.key === 'not-an-email')).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/email/),
    });
    // fill-empty reads, and update by email (lookup, then PUT).
    await d.readCurrent(byId, [rec(ids[0]!, { TIDE_SCORE: '1' }), rec(ids[1]!, { TIDE_SCORE: '1' })]);
    await d.write(target('update', 'email', fields, ['TIDE_SCORE']), [
      rec('bulk.1@contract.example.com', { TIDE_SCORE: '11' }),
    ]);

    // The account's error answers: a bad token (403) and a payment problem (402).
    const badToken = bed({}, { [TOKEN_ENV]: 'wrong-token' });
    await expect(badToken.source.check()).rejects.toMatchObject({ code: 'credentials_rejected' });
    await sim.control.configure({ paymentRequired: true });
    const failure = await bed()
      .source.check()
      .catch((e: unknown) => e);
    await sim.control.configure({ paymentRequired: false });
    expect(isTideError(failure) && failure.code).toBe('permission_denied');

    const exchanges = proxy.exchanges;
    const problems = exchanges.flatMap(checkExchange);
    expect(problems).toEqual([]);
    // Every endpoint Tide uses was exercised, and the answers Tide must handle were seen.
    expect(new Set(exchanges.map(endpointOf))).toEqual(new Set(Object.keys(ENDPOINTS)));
    const statuses = new Set(exchanges.map((e: Exchange) => `${endpointOf(e)} ${e.status}`));
    for (const seen of [
      'PUT /contacts/{id} 404',
      'PUT /contacts/{id} 422',
      'POST /contact/sync 201',
      'POST /import/bulk_import 400',
      'POST /import/bulk_import 200',
      'GET /users/me 403',
      'GET /users/me 402',
    ])
      expect(statuses, seen).toContain(seen);
    expect(exchanges.some((e) => e.status === 429)).toBe(true);
  });

  it('the checks catch requests and answers outside the reference', () => {
    const base = {
      headers: { 'api-token': 't' },
      status: 200,
      responseHeaders: new Headers(),
      body: undefined,
    };
    const contacts = { contacts: [], meta: { total: '0' } };
    const q = (s: string) => new URLSearchParams(s);
    const ok = {
      ...base,
      method: 'GET',
      path: '/api/3/contacts',
      query: q('limit=100&orders[id]=ASC'),
      response: contacts,
    };
    expect(checkExchange(ok)).toEqual([]);
    // A page larger than 100, a sort the API does not have, a filter in UTC with an offset.
    expect(checkExchange({ ...ok, query: q('limit=500') }).join()).toMatch(/limit/);
    expect(checkExchange({ ...ok, query: q('orders[udate]=ASC') }).join()).toMatch(/orders\[udate\]/);
    expect(checkExchange({ ...ok, query: q('filters[updated_after]=2026-01-01T00:00:00Z') }).join()).toMatch(
      /no offset/,
    );
    // meta.total as a number, a numeric id, a timestamp without the account offset.
    expect(checkExchange({ ...ok, response: { contacts: [], meta: { total: 0 } } }).join()).toMatch(
      /meta.total/,
    );
    const contact = {
      id: 1,
      email: 'a@b.co',
      firstName: '',
      lastName: '',
      phone: '',
      cdate: '2026-01-01T00:00:00-05:00',
      udate: null,
      links: {},
    };
    expect(checkExchange({ ...ok, response: { contacts: [contact], meta: { total: '1' } } }).join()).toMatch(
      /contacts\.0\.id/,
    );
    expect(
      checkExchange({
        ...ok,
        response: {
          contacts: [{ ...contact, id: '1', cdate: '2026-01-01T00:00:00Z' }],
          meta: { total: '1' },
        },
      }).join(),
    ).toMatch(/cdate/);
    // camelCase rows in a bulk import; no Api-Token.
    const bulk = {
      ...base,
      method: 'POST',
      path: '/api/3/import/bulk_import',
      query: q(''),
      headers: { 'api-token': 't', 'content-type': 'application/json' },
      body: { contacts: [{ email: 'a@b.co', firstName: 'A' }] },
      response: { Success: 1, queued_contacts: 1, batchId: 'x', message: 'm' },
    };
    expect(checkExchange(bulk).join()).toMatch(/firstName/);
    expect(checkExchange({ ...ok, headers: {} }).join()).toMatch(/Api-Token/);
    // A 429 without Retry-After.
    expect(checkExchange({ ...ok, status: 429, response: {} }).join()).toMatch(/Retry-After/);
  });
});
