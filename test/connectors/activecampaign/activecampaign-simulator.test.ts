import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type StartedActiveCampaignSimulator,
  startActiveCampaignSimulator,
} from '../../../simulators/activecampaign/start-activecampaign-simulator.js';

/** The simulator's own protocol rules, asked directly over HTTP (PROTOCOL-FACTS §3). */
let sim: StartedActiveCampaignSimulator;
beforeAll(async () => {
  sim = await startActiveCampaignSimulator({
    seed: 5,
    scale: 700,
    share: 0.5,
    rateLimit: 0,
    importDelayMs: 10,
  });
});
afterAll(() => sim.close());

async function call(method: string, path: string, body?: unknown, token = sim.apiToken) {
  const res = await fetch(`${sim.baseUrl}/api/3/${path}`, {
    method,
    headers: { 'Api-Token': token, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {}
  return {
    status: res.status,
    headers: res.headers,
    json: json as Record<string, unknown> & { [k: string]: never },
  };
}

describe('ActiveCampaign simulator', () => {
  it('answers resource-keyed pages of at most 100 with a string total, ids as strings, times in the account offset', async () => {
    const { status, json } = await call('GET', 'contacts?limit=500');
    expect(status).toBe(200);
    const contacts = json['contacts'] as unknown as { id: unknown; cdate: string }[];
    expect(contacts).toHaveLength(100);
    expect(typeof (json['meta'] as unknown as { total: unknown }).total).toBe('string');
    expect(typeof contacts[0]?.id).toBe('string');
    expect(contacts[0]?.cdate).toMatch(/-05:00$/);
  });

  it('walks by id_greater, ignores orders[udate] (there is none), and refuses a filter that is not a date', async () => {
    const first = (await call('GET', 'contacts?limit=3&orders[id]=ASC')).json['contacts'] as unknown as {
      id: string;
    }[];
    const next = (await call('GET', `contacts?limit=3&orders[id]=ASC&id_greater=${first[2]!.id}`)).json[
      'contacts'
    ] as unknown as { id: string }[];
    expect(Number(next[0]!.id)).toBeGreaterThan(Number(first[2]!.id));
    const byUdate = (await call('GET', 'contacts?limit=5&orders[udate]=DESC')).json[
      'contacts'
    ] as unknown as { id: string }[];
    expect(byUdate.map((c) => Number(c.id))).toEqual(
      [...byUdate.map((c) => Number(c.id))].sort((a, b) => a - b),
    );
    expect((await call('GET', 'contacts?filters[updated_after]=yesterday')).status).toBe(400);
  });

  it('authenticates with Api-Token: 403 for a bad token, 402 while the account has a payment problem', async () => {
    expect((await call('GET', 'contacts', undefined, 'nope')).status).toBe(403);
    await sim.control.configure({ paymentRequired: true });
    expect((await call('GET', 'contacts')).status).toBe(402);
    await sim.control.configure({ paymentRequired: false });
  });

  it('writes: 404 for an unknown id, 422 errors with pointers, sync upserts by email', async () => {
    expect(await call('PUT', 'contacts/999999', { contact: { firstName: 'X' } })).toMatchObject({
      status: 404,
      json: { message: 'No Result found for Subscriber with id 999999' },
    });
    const bad = await call('POST', 'contact/sync', { contact: { email: 'not an email' } });
    expect(bad).toMatchObject({
      status: 422,
      json: { errors: [{ code: 'email_invalid', source: { pointer: '/data/attributes/email' } }] },
    });
    const created = await call('POST', 'contact/sync', {
      contact: { email: 'Sim.Test@Example.com', fieldValues: [{ field: '5', value: '77' }] },
    });
    const again = await call('POST', 'contact/sync', {
      contact: { email: 'sim.test@example.com', lastName: 'Again' },
    });
    expect([created.status, again.status]).toEqual([201, 200]);
    const id = (created.json['contact'] as unknown as { id: string }).id;
    expect((again.json['contact'] as unknown as { id: string }).id).toBe(id);
    expect(await call('POST', 'contacts', { contact: { email: 'sim.test@example.com' } })).toMatchObject({
      status: 422,
      json: { errors: [{ code: 'duplicate' }] },
    });
  });

  it('bulk import: one bad row refuses the request, more than 250 too; accepted imports complete with per-row results', async () => {
    const rows = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ email: `imp.${i}@example.com`, first_name: `I${i}` }));
    const refused = await call('POST', 'import/bulk_import', { contacts: [...rows(3), { email: 'broken' }] });
    expect(refused).toMatchObject({ status: 400, json: { success: 0, failureReasons: [{ contact: 3 }] } });
    expect((await call('POST', 'import/bulk_import', { contacts: rows(251) })).status).toBe(400);
    expect(
      (await call('POST', 'import/bulk_import', { contacts: [{ email: 'a@b.co', firstName: 'camel' }] }))
        .status,
    ).toBe(400);
    await sim.control.configure({ blockEmails: ['imp.1@example.com'] });
    const queued = await call('POST', 'import/bulk_import', { contacts: rows(3) });
    expect(queued).toMatchObject({ status: 200, json: { Success: 1, queued_contacts: 3 } });
    const batchId = String(queued.json['batchId']);
    let info = await call('GET', `import/info?batchId=${batchId}`);
    for (let i = 0; i < 50 && info.json['status'] !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      info = await call('GET', `import/info?batchId=${batchId}`);
    }
    expect(info.json).toMatchObject({ status: 'completed', failure: ['imp.1@example.com'] });
    expect(info.json['success']).toHaveLength(2);
  });

  it('limits the account to its requests per second: 429 with Retry-After and RateLimit headers, imports per minute', async () => {
    await sim.control.configure({ rateLimit: 2, busy503Share: 0, importsPerMinute: 1 });
    try {
      const answers = await Promise.all([1, 2, 3].map(() => call('GET', 'users')));
      const limited = answers.find((a) => a.status === 429)!;
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(limited.headers.get('ratelimit-limit')).toBe('2');
      expect(limited.headers.get('ratelimit-remaining')).toBe('0');
      await sim.control.configure({ rateLimit: 0 });
      const contacts = [{ email: 'once@example.com' }];
      expect((await call('POST', 'import/bulk_import', { contacts })).status).toBe(200);
      expect(await call('POST', 'import/bulk_import', { contacts })).toMatchObject({
        status: 400,
        json: { message: 'Rate limit exceeded.' },
      });
    } finally {
      await sim.control.configure({ rateLimit: 0, importsPerMinute: 100 });
    }
  });

  it('hard deletes: a deleted contact is gone from lists, its values and links with it', async () => {
    const { deleted } = (await sim.control.mutate({ object: 'contacts', delete: 1 })) as {
      deleted: string[];
    };
    const id = deleted[0]!;
    expect((await call('GET', `contacts/${id}`)).status).toBe(404);
    expect((await call('GET', `contacts?ids[]=${id}`)).json['contacts']).toEqual([]);
    expect((await call('GET', `contacts/${id}/fieldValues`)).json['fieldValues']).toEqual([]);
    expect((await call('GET', `accountContacts?filters[contact]=${id}`)).json['accountContacts']).toEqual([]);
  });
});
