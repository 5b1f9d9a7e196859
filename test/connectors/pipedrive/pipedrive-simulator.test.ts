import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type StartedPipedriveSimulator,
  startPipedriveSimulator,
} from '../../../simulators/pipedrive/start-pipedrive-simulator.js';
import { mutate, truthOf } from './pipedrive-harness.js';

interface Page {
  readonly success: boolean;
  readonly data: Record<string, unknown>[];
  readonly additional_data: { next_cursor?: string | null; pagination?: Record<string, unknown> };
  readonly error?: string;
}

function client(sim: StartedPipedriveSimulator) {
  return async (
    path: string,
    init: { method?: string; body?: unknown; token?: string } = {},
  ): Promise<{ status: number; headers: Headers; body: Page }> => {
    const res = await fetch(`${sim.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'x-api-token': init.token ?? sim.apiToken, 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Page };
  };
}

describe('Pipedrive simulator', () => {
  let sim: StartedPipedriveSimulator;
  let get: ReturnType<typeof client>;
  beforeAll(async () => {
    sim = await startPipedriveSimulator({ seed: 21, scale: 1500, burstLimit: 0 });
    get = client(sim);
  });
  afterAll(() => sim?.close());

  it('is deterministic for a seed and overlaps the shared universe', async () => {
    const twin = await startPipedriveSimulator({ seed: 21, scale: 1500, burstLimit: 0 });
    try {
      const a = (await get('/api/v2/persons?limit=50')).body.data;
      const b = (await client(twin)('/api/v2/persons?limit=50')).body.data;
      expect(b).toEqual(a);
    } finally {
      await twin.close();
    }
    // About a third of the universe, as the universe's `holds` decides.
    expect(sim.persons).toBeGreaterThan(1500 * 0.25);
    expect(sim.persons).toBeLessThan(1500 * 0.45);
  });

  it('keeps cursor paging exact while records change between pages', async () => {
    const seen = new Map<number, number>();
    let cursor: string | null | undefined;
    let page = 0;
    do {
      const q = `/api/v2/persons?limit=100&sort_by=update_time&updated_since=2000-01-01T00:00:00Z${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await get(q);
      for (const p of res.body.data) seen.set(p['id'] as number, (seen.get(p['id'] as number) ?? 0) + 1);
      cursor = res.body.additional_data.next_cursor;
      // Records edited mid-walk move to the end of the update_time order: they are served again there.
      if (page++ === 1) await mutate(sim, { object: 'persons', update: 5 });
    } while (cursor);
    const live = [...(await truthOf(sim, 'persons'))].filter(([, d]) => !d).length;
    expect(seen.size).toBe(live);
    expect([...seen.values()].filter((n) => n > 1).length).toBeLessThanOrEqual(5);
  });

  it('rejects what Pipedrive rejects, with its error envelope', async () => {
    const tooBig = await get('/api/v2/persons?limit=501');
    expect(tooBig.status).toBe(400);
    expect(tooBig.body).toMatchObject({ success: false, error: expect.stringContaining('500'), data: null });
    expect((await get('/api/v2/persons?cursor=bm9wZQ==')).status).toBe(400);
    expect((await get('/api/v2/persons', { token: 'wrong' })).status).toBe(401);
    const badField = await get('/api/v2/persons/1', {
      method: 'PATCH',
      body: { custom_fields: { ['0'.repeat(40)]: 1 } },
    });
    expect(badField.status).toBe(400);
    const fields = (await get('/v1/personFields')).body.data;
    const interests = fields.find((f) => f['name'] === 'Interests')!;
    const emptySet = await get('/api/v2/persons/1', {
      method: 'PATCH',
      body: { custom_fields: { [interests['key'] as string]: [] } },
    });
    expect(emptySet.status).toBe(400);
    expect(emptySet.body.error).toMatch(/use null/);
  });

  it('shows deleted records only to updated_since lists (deals: status=deleted) and forgets them after 30 days', async () => {
    await sim.control.advanceClock(10_000);
    const gone = await mutate(sim, { object: 'persons', delete: 1 });
    const goneDeal = await mutate(sim, { object: 'deals', delete: 1 });
    const id = gone.deleted[0]!;
    const since = encodeURIComponent(gone.at);
    const plain = (await get(`/api/v2/persons?ids=${id}`)).body.data;
    expect(plain).toEqual([]);
    const incremental = (await get(`/api/v2/persons?updated_since=${since}`)).body.data;
    expect(incremental.find((p) => String(p['id']) === id)).toMatchObject({ is_deleted: true });
    const dealsDefault = (await get(`/api/v2/deals?updated_since=${since}`)).body.data;
    expect(dealsDefault.some((d) => String(d['id']) === goneDeal.deleted[0])).toBe(false);
    const deletedDeals = (await get('/api/v2/deals?status=deleted')).body.data;
    expect(deletedDeals.map((d) => String(d['id']))).toContain(goneDeal.deleted[0]);

    await sim.control.advanceClock(31 * 86_400_000);
    expect(
      (await get(`/api/v2/persons?updated_since=${since}`)).body.data.some((p) => String(p['id']) === id),
    ).toBe(false);
    expect((await get(`/api/v2/persons/${id}`)).status).toBe(404);
    expect((await truthOf(sim, 'persons')).has(id)).toBe(false);
  });

  it('caps /v1/recents at one month of history', async () => {
    await sim.control.advanceClock(1_000);
    const changed = await mutate(sim, { object: 'organizations', update: 2 });
    const res = await get('/v1/recents?since_timestamp=2020-01-01%2000:00:00&items=organization&limit=500');
    const ids = res.body.data.map((r) => String(r['id']));
    expect(ids).toEqual(expect.arrayContaining(changed.updated));
    // Seeded history ends in January 2026: none of it is within a month of the simulator's now.
    expect(ids.length).toBeLessThan(10);
  });

  it('renames a custom field: same hash, new name, newer update_time', async () => {
    const before = (await get('/v1/organizationFields')).body.data.find((f) => f['name'] === 'Tier')!;
    await sim.control.advanceClock(1_000);
    await mutate(sim, {
      renameField: { object: 'organizations', key: before['key'], newName: 'Customer tier' },
    });
    const after = (await get('/v1/organizationFields')).body.data.find((f) => f['key'] === before['key'])!;
    expect(after['name']).toBe('Customer tier');
    expect(String(after['update_time']) > String(before['update_time'])).toBe(true);
    expect(after['add_time']).toBe(before['add_time']);
  });

  it('counts tokens per endpoint and reports them in headers; writes carry x-daily-requests-left', async () => {
    await sim.control.configure({ dailyTokenBudget: 100, resetDailyUsage: true });
    const list = await get('/api/v2/persons?limit=1');
    expect(list.headers.get('x-daily-ratelimit-token-remaining')).toBe('90');
    expect(list.headers.get('x-daily-requests-left')).toBeNull();
    const patch = await get('/api/v2/persons/2', { method: 'PATCH', body: { job_title: 'Buyer' } });
    expect(patch.headers.get('x-daily-requests-left')).toBe('85');
    // v1 leads cost 20: four fit in the 85 left, the fifth does not.
    for (let i = 0; i < 4; i++) expect((await get('/v1/leads')).status).toBe(200);
    const refused = await get('/v1/leads');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ success: false, error: expect.stringMatching(/daily/i) });
    expect(refused.headers.get('x-daily-ratelimit-token-remaining')).toBe('0');
    await sim.control.configure({ dailyTokenBudget: 0 });
  });

  it('answers bursts over the 2-second window with 429 and x-ratelimit-* headers', async () => {
    await sim.control.configure({ burstLimit: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push(await get('/api/v2/organizations?limit=1'));
    expect(statuses.map((s) => s.status)).toEqual([200, 200, 200, 429, 429]);
    expect(statuses[2]!.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(statuses[3]!.body.error).toBe('Request over limit');
    expect(Number(statuses[3]!.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(1);
    await sim.control.configure({ burstLimit: 0 });
  });

  it('loads NDJSON records, replacing same ids', async () => {
    const n = await sim.control.loadNdjson('persons', [
      { id: 1, name: 'Loaded Person', emails: [], phones: [], update_time: '2026-02-01T00:00:00Z' },
      { id: 100_000, name: 'Far Away', emails: [{ value: 'far@example.org', primary: true }], phones: [] },
    ]);
    expect(n).toEqual({ loaded: 2 });
    const one = (await get('/api/v2/persons/1')).body as unknown as { data: Record<string, unknown> };
    expect(one.data).toMatchObject({ name: 'Loaded Person', update_time: '2026-02-01T00:00:00Z' });
    expect((await get('/api/v2/persons/100000')).status).toBe(200);
  });
});
