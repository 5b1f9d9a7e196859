import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type StartedZohoSimulator,
  startZohoSimulator,
} from '../../../simulators/zoho/start-zoho-simulator.js';
import { truthOf } from './zoho-harness.js';

/** The simulator's side of Zoho's contract (PROTOCOL-FACTS-ZOHO… §1), on the wire. */
let sim: StartedZohoSimulator;
let token: string;

async function api(
  path: string,
  init: RequestInit & { headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(`${sim.baseUrl}${path}`, {
    ...init,
    headers: { authorization: `Zoho-oauthtoken ${token}`, ...init.headers },
  });
}

async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  sim = await startZohoSimulator({ seed: 11, scale: 800, bulkJobMs: 30 });
  const res = await fetch(
    `${sim.baseUrl}/oauth/v2/token?grant_type=refresh_token&client_id=${sim.clientId}&client_secret=${sim.clientSecret}&refresh_token=${sim.refreshToken}`,
    { method: 'POST' },
  );
  token = String((await json(res)).access_token);
});
afterAll(() => sim.close());

describe('Zoho simulator', () => {
  it('issues tokens from query-string or multipart refresh grants, with api_domain; refuses bad clients', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({
      grant_type: 'refresh_token',
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
      refresh_token: sim.refreshToken,
    }))
      form.set(k, v);
    const multipart = await json(
      await fetch(`${sim.baseUrl}/oauth/v2/token`, { method: 'POST', body: form }),
    );
    expect(multipart).toMatchObject({ api_domain: sim.baseUrl, expires_in: 3600, token_type: 'Bearer' });
    const bad = await json(
      await fetch(
        `${sim.baseUrl}/oauth/v2/token?grant_type=refresh_token&client_id=x&client_secret=y&refresh_token=z`,
        {
          method: 'POST',
        },
      ),
    );
    expect(bad).toEqual({ error: 'invalid_client' });
  });

  it('takes Zoho-oauthtoken only: Bearer is an AUTHENTICATION_FAILURE, an unknown token INVALID_TOKEN', async () => {
    const bearer = await fetch(`${sim.baseUrl}/crm/v8/settings/modules`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bearer.status).toBe(401);
    expect((await json(bearer)).code).toBe('AUTHENTICATION_FAILURE');
    const stale = await fetch(`${sim.baseUrl}/crm/v8/settings/modules`, {
      headers: { authorization: 'Zoho-oauthtoken 1000.expired' },
    });
    expect(await json(stale)).toEqual({
      code: 'INVALID_TOKEN',
      details: {},
      message: 'invalid oauth token',
      status: 'error',
    });
  });

  it('lists with fields required, 19-digit string ids, lookups as {name, id}, datetimes with the org offset', async () => {
    expect((await json(await api('/crm/v8/Contacts'))).code).toBe('REQUIRED_PARAM_MISSING');
    const page = await json(
      await api('/crm/v8/Contacts?fields=Last_Name,Account_Name,Modified_Time&per_page=5'),
    );
    const [first] = page.data as Record<string, unknown>[];
    expect(first?.id).toMatch(/^\d{19}$/);
    expect(first?.Modified_Time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:30$/);
    expect(page.info).toMatchObject({ per_page: 5, count: 5, page: 1, more_records: true });
    const withAccount = (
      (await json(await api('/crm/v8/Contacts?fields=Account_Name&per_page=200'))).data as Record<
        string,
        unknown
      >[]
    ).find((r) => r.Account_Name !== null);
    expect(withAccount?.Account_Name).toEqual({
      name: expect.any(String),
      id: expect.stringMatching(/^\d{19}$/),
    });
    expect((await api('/crm/v8/Contacts?fields=Last_Name&per_page=201')).status).toBe(400);
  });

  it("answers Zoho's 400s past the reach of page (2,000) and page_token (100,000)", async () => {
    const past = await json(await api('/crm/v8/Contacts?fields=Last_Name&page=11&per_page=200'));
    expect(past).toEqual({
      code: 'DISCRETE_PAGINATION_LIMIT_EXCEEDED',
      details: { limit: 2000 },
      message: 'You can only get the first 2000 records without using page_token param',
      status: 'error',
    });
    const first = await json(await api('/crm/v8/Contacts?fields=Last_Name&per_page=100'));
    const next = String((first.info as { next_page_token: string }).next_page_token);
    expect((await api(`/crm/v8/Contacts?fields=Last_Name&per_page=100&page_token=${next}`)).status).toBe(200);
    expect(
      (await api(`/crm/v8/Contacts?fields=Last_Name&per_page=100&page=2&page_token=${next}`)).status,
    ).toBe(400);
    // A token whose offset lies at the 100,000-row edge (tokens are opaque to clients; crafted here).
    const decoded = JSON.parse(Buffer.from(next, 'base64url').toString()) as Record<string, unknown>;
    const edge = Buffer.from(JSON.stringify({ ...decoded, offset: 99_950 })).toString('base64url');
    expect(
      (await json(await api(`/crm/v8/Contacts?fields=Last_Name&per_page=100&page_token=${edge}`))).code,
    ).toBe('PAGINATION_LIMIT_EXCEEDED');
  });

  it('If-Modified-Since: rows modified after it; 304 when none; ties at one Modified_Time', async () => {
    const { now } = (await sim.control.advanceClock(5_000)) as { now: string };
    const changed = (await sim.control.mutate({ object: 'Leads', update: 30, sameTimestamp: true })) as {
      updated: string[];
    };
    const since = new Date(Date.parse(now) - 1000).toISOString();
    const res = await json(
      await api('/crm/v8/Leads?fields=Modified_Time&sort_by=Modified_Time&sort_order=asc&per_page=200', {
        headers: { 'if-modified-since': since },
      }),
    );
    const rows = res.data as { id: string; Modified_Time: string }[];
    expect(rows.map((r) => r.id).sort()).toEqual([...changed.updated].sort());
    expect(new Set(rows.map((r) => r.Modified_Time)).size).toBe(1);
    const later = await api('/crm/v8/Leads?fields=Last_Name', {
      headers: { 'if-modified-since': '2099-01-01T00:00:00+00:00' },
    });
    expect(later.status).toBe(304);
    expect(await later.text()).toBe('');
  });

  it('lists recycle-bin and permanent deletions', async () => {
    const gone = (await sim.control.mutate({ object: 'Deals', delete: 3, purge: 1 })) as {
      deleted: string[];
      purged: string[];
    };
    const res = await json(await api('/crm/v8/Deals/deleted?type=all'));
    const rows = res.data as { id: string; type: string; deleted_by: unknown }[];
    expect(rows.map((r) => r.id).sort()).toEqual([...gone.deleted].sort());
    expect(rows.filter((r) => r.type === 'permanent').map((r) => r.id)).toEqual(gone.purged);
    expect((await api('/crm/v8/Calls/deleted')).status).toBe(204);
  });

  it('serves custom fields through settings/fields and answers COQL', async () => {
    const fields = (await json(await api('/crm/v8/settings/fields?module=Contacts'))).fields as Record<
      string,
      unknown
    >[];
    expect(fields.find((f) => f.api_name === 'Tide_Score')).toMatchObject({
      data_type: 'integer',
      custom_field: true,
    });
    const contacts = (await truthOf(sim, 'Contacts'))
      .filter((r) => !r.deleted && typeof r.Email === 'string')
      .slice(0, 3);
    const list = contacts.map((c) => `'${String(c.Email).trim().toUpperCase()}'`).join(', ');
    const res = await json(
      await api('/crm/v8/coql', {
        method: 'POST',
        body: JSON.stringify({
          select_query: `select id, Email from Contacts where Email in (${list}) limit 10`,
        }),
      }),
    );
    expect((res.data as { id: string }[]).map((r) => r.id).sort()).toEqual(contacts.map((c) => c.id).sort());
    const wrong = await json(
      await api('/crm/v8/coql', { method: 'POST', body: JSON.stringify({ select_query: 'select from' }) }),
    );
    expect(wrong).toMatchObject({ code: 'SYNTAX_ERROR', details: { line: 1 } });
  });

  it('runs Bulk Read jobs through their states to a ZIP holding one CSV', async () => {
    // An hour-long job on the simulator's clock, moved on through /_sim/clock/advance: each state is
    // seen once, in order, however slowly the machine runs the test.
    await sim.control.configure({ bulkJobMs: 3_600_000 });
    const created = await api('/crm/bulk/v8/read', {
      method: 'POST',
      body: JSON.stringify({
        query: { module: { api_name: 'Accounts' }, fields: ['Account_Name', 'Modified_Time'] },
      }),
    }).finally(() => sim.control.configure({ bulkJobMs: 30 }));
    expect(created.status).toBe(201);
    const id = ((await json(created)).data as { details: { id: string; state: string } }[])[0]!.details.id;
    const job = async () =>
      (
        (await json(await api(`/crm/bulk/v8/read/${id}`))).data as {
          state: string;
          result?: { count: number; download_url: string };
        }[]
      )[0]!;
    const states = [(await job()).state];
    for (let i = 0; i < 3; i++) {
      await sim.control.advanceClock(20 * 60_000);
      states.push((await job()).state);
    }
    expect(states).toEqual(['ADDED', 'QUEUED', 'IN PROGRESS', 'COMPLETED']);
    const result = (await job()).result;
    const zip = unzipSync(new Uint8Array(await (await api(result!.download_url)).arrayBuffer()));
    const names = Object.keys(zip);
    expect(names).toEqual([`${id}.csv`]);
    const lines = new TextDecoder().decode(zip[names[0]!]).trim().split('\n');
    expect(lines[0]).toBe('"id","Account_Name","Modified_Time"');
    expect(lines.length - 1).toBe(result!.count);
    expect(result!.count).toBe((await truthOf(sim, 'Accounts')).filter((r) => !r.deleted).length);
  });

  it('writes 1–100 records with per-record results in input order: 207, mandatory fields, stale 412', async () => {
    const [a, b] = (await truthOf(sim, 'Contacts')).filter((r) => !r.deleted);
    const mixed = await api('/crm/v8/Contacts', {
      method: 'PUT',
      body: JSON.stringify({
        data: [
          { id: a!.id, Tide_Score: 5 },
          { id: b!.id, Tide_Score: 'high' },
        ],
      }),
    });
    expect(mixed.status).toBe(207);
    const items = (await json(mixed)).data as { code: string; details: Record<string, unknown> }[];
    expect(items.map((i) => i.code)).toEqual(['SUCCESS', 'INVALID_DATA']);
    expect(items[1]!.details).toMatchObject({ api_name: 'Tide_Score', json_path: '$.data[1].Tide_Score' });
    const insert = await json(
      await api('/crm/v8/Leads', { method: 'POST', body: JSON.stringify({ data: [{ First_Name: 'No' }] }) }),
    );
    expect((insert.data as { code: string }[])[0]!.code).toBe('MANDATORY_NOT_FOUND');
    const tooMany = await api('/crm/v8/Contacts', {
      method: 'PUT',
      body: JSON.stringify({ data: Array.from({ length: 101 }, () => ({ id: a!.id })) }),
    });
    expect((await json(tooMany)).code).toBe('LIMIT_EXCEEDED');
    const stale = await api('/crm/v8/Contacts', {
      method: 'PUT',
      headers: { 'if-unmodified-since': '2020-01-01T00:00:00+00:00' },
      body: JSON.stringify({ data: [{ id: a!.id, Tide_Score: 6 }] }),
    });
    expect(stale.status).toBe(412);
    expect(((await json(stale)).data as { code: string }[])[0]!.code).toBe('ALREADY_MODIFIED');
  });

  it('refuses with 429 TOO_MANY_REQUESTS past the credits and the concurrency limit', async () => {
    await sim.control.configure({ concurrency: 1, latencyMs: 150 });
    const statuses = await Promise.all(
      [1, 2, 3].map(() => api('/crm/v8/settings/modules').then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses).toContain(200);
    await sim.control.configure({ concurrency: 20, latencyMs: 0, dailyCredits: 1 });
    await api('/crm/v8/settings/modules');
    const spent = await api('/crm/v8/settings/modules');
    expect(spent.status).toBe(429);
    expect(spent.headers.get('x-api-credits-remaining')).toBe('0');
    await sim.control.configure({ dailyCredits: 0 });
  });
});
