import { describe, expect, it } from 'vitest';
import {
  BatchSchema,
  ErrorSchema,
  ListPageSchema,
  RateLimitSchema,
  SearchPageSchema,
  simulatorFixture,
  truthOf,
} from './hubspot-http.js';

const RATE_HEADERS = [
  'x-hubspot-ratelimit-max',
  'x-hubspot-ratelimit-remaining',
  'x-hubspot-ratelimit-interval-milliseconds',
  'x-hubspot-ratelimit-daily',
  'x-hubspot-ratelimit-daily-remaining',
];

const gte = (propertyName: string, value: string) => ({
  filterGroups: [{ filters: [{ propertyName, operator: 'GTE', value }] }],
});

describe('HubSpot simulator protocol: auth, lists, search', () => {
  const f = simulatorFixture({ seed: 3, scale: 500 });

  it('answers 401 INVALID_AUTHENTICATION for a missing or wrong token, before anything else', async () => {
    for (const token of [null, 'wrong-token']) {
      const res = await f.http.get('/crm/v3/objects/contacts', token);
      expect(res.status).toBe(401);
      const body = res.as(ErrorSchema);
      expect(body.category).toBe('INVALID_AUTHENTICATION');
      expect(body.message).toMatch(/^Authentication credentials not found/);
      expect(res.headers.get('x-hubspot-ratelimit-remaining')).toBeNull();
    }
  });

  it('rejects limit above 100 with VALIDATION_ERROR and defaults to 10', async () => {
    const over = await f.http.get('/crm/v3/objects/contacts?limit=101');
    expect(over.status).toBe(400);
    expect(over.as(ErrorSchema).category).toBe('VALIDATION_ERROR');
    expect((await f.http.get('/crm/v3/objects/contacts?limit=100')).as(ListPageSchema).results).toHaveLength(
      100,
    );
    expect((await f.http.get('/crm/v3/objects/contacts')).as(ListPageSchema).results).toHaveLength(10);
  });

  it('accepts properties repeated and comma-separated, returns unknown ones not at all and empty ones as null', async () => {
    const repeated = (
      await f.http.get(
        '/crm/v3/objects/contacts?limit=5&properties=email&properties=tide_score&properties=nope',
      )
    ).as(ListPageSchema);
    const joined = (await f.http.get('/crm/v3/objects/contacts?limit=5&properties=email,tide_score,nope')).as(
      ListPageSchema,
    );
    expect(joined.results).toEqual(repeated.results);
    expect(joined.paging?.next.after).toBe(repeated.paging?.next.after);
    for (const r of repeated.results) {
      expect(Object.keys(r.properties).sort()).toEqual(
        ['createdate', 'email', 'hs_object_id', 'lastmodifieddate', 'tide_score'].sort(),
      );
      expect(r.properties['tide_score']).toBeNull();
    }
    const defaults = (await f.http.get('/crm/v3/objects/companies?limit=1')).as(ListPageSchema).results[0]!;
    expect(Object.keys(defaults.properties).sort()).toEqual(
      ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'].sort(),
    );
  });

  it('pages with an opaque after and a working link; the last page has no paging', async () => {
    const first = (await f.http.get('/crm/v3/objects/deals?limit=7&properties=amount')).as(ListPageSchema);
    const link = new URL(first.paging!.next.link);
    expect(link.searchParams.get('after')).toBe(first.paging!.next.after);
    const viaLink = (await f.http.get(`${link.pathname}${link.search}`)).as(ListPageSchema);
    const viaAfter = (
      await f.http.get(`/crm/v3/objects/deals?limit=7&properties=amount&after=${first.paging!.next.after}`)
    ).as(ListPageSchema);
    expect(viaLink).toEqual(viaAfter);
    expect(viaLink.results[0]!.id).not.toBe(first.results[0]!.id);
    const all = await f.http.listAll('deals');
    const truth = (await truthOf(f.sim, 'deals')).filter((r) => !r.archived);
    expect(all.map((r) => r.id)).toEqual(truth.map((r) => r.id));
  });

  it('lists archived records only with archived=true, each with archivedAt', async () => {
    await f.sim.control.mutate({ object: 'contacts', archive: 3 });
    const truth = await truthOf(f.sim, 'contacts');
    const live = await f.http.listAll('contacts');
    const archived = await f.http.listAll('contacts', '&archived=true');
    expect(live.every((r) => !r.archived && r.archivedAt === undefined)).toBe(true);
    expect(archived.length).toBeGreaterThanOrEqual(3);
    expect(archived.every((r) => r.archived && r.archivedAt !== undefined)).toBe(true);
    expect(new Set([...live, ...archived].map((r) => r.id))).toEqual(new Set(truth.map((r) => r.id)));
    expect(archived.map((r) => r.id).sort()).toEqual(
      truth
        .filter((r) => r.archived)
        .map((r) => r.id)
        .sort(),
    );
  });

  it('enforces the filter limits: 5 groups, 6 filters per group, 18 in total, one sort', async () => {
    const filter = { propertyName: 'hs_object_id', operator: 'GT', value: '0' };
    const groups = (sizes: number[]) =>
      sizes.map((n) => ({ filters: Array.from({ length: n }, () => filter) }));
    const search = (body: unknown) => f.http.post('/crm/v3/objects/contacts/search', body);
    expect((await search({ filterGroups: groups([4, 4, 4, 3, 3]) })).status).toBe(200);
    for (const bad of [groups([1, 1, 1, 1, 1, 1]), groups([7]), groups([4, 4, 4, 4, 3])]) {
      const res = await search({ filterGroups: bad });
      expect(res.status).toBe(400);
      expect(res.as(ErrorSchema).category).toBe('VALIDATION_ERROR');
    }
    const twoSorts = await search({ sorts: ['createdate', 'hs_object_id'] });
    expect(twoSorts.status).toBe(400);
    expect((await search({ limit: 201 })).status).toBe(400);
    expect(
      (
        await search({
          filterGroups: [{ filters: [{ propertyName: 'no_such', operator: 'EQ', value: 'x' }] }],
        })
      ).status,
    ).toBe(400);
  });

  it('accepts both sort forms and epoch-ms or ISO dates, and compares hs_object_id as a number', async () => {
    const truth = (await truthOf(f.sim, 'contacts')).filter((r) => !r.archived);
    const mid = truth[Math.floor(truth.length / 2)]!.properties['lastmodifieddate']!;
    const objectForm = await f.http.searchAll('contacts', {
      ...gte('lastmodifieddate', String(Date.parse(mid))),
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'DESCENDING' }],
    });
    const stringForm = await f.http.searchAll('contacts', {
      ...gte('lastmodifieddate', mid),
      sorts: ['-lastmodifieddate'],
    });
    expect(stringForm.map((r) => r.id)).toEqual(objectForm.map((r) => r.id));
    const ms = objectForm.map((r) => Date.parse(r.properties['lastmodifieddate']!));
    for (let i = 1; i < ms.length; i++) expect(ms[i]).toBeLessThanOrEqual(ms[i - 1]!);
    expect(objectForm.length).toBe(truth.filter((r) => r.properties['lastmodifieddate']! >= mid).length);

    // Contact ids step by 50 ("51", "101", …): as strings "101" < "51", as numbers it is greater.
    const page = (
      await f.http.post('/crm/v3/objects/contacts/search', {
        filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: '51' }] }],
        sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
        limit: 3,
      })
    ).as(SearchPageSchema);
    expect(page.results.map((r) => Number(r.id))).toEqual(
      truth
        .map((r) => Number(r.id))
        .filter((id) => id > 51)
        .slice(0, 3),
    );
  });

  it('orders ties by id so offsets are deterministic (one timestamp shared by many records)', async () => {
    await f.sim.control.advanceClock(60_000);
    const touched = (await f.sim.control.mutate({ object: 'contacts', update: 45, sameTimestamp: true })) as {
      updated: string[];
      at: string;
    };
    const at = String(Date.parse(touched.at));
    const body = {
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'EQ', value: at }] }],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
      limit: 10,
    };
    const ids: string[] = [];
    for (let after = 0; after < 45; after += 10) {
      const page = (
        await f.http.post('/crm/v3/objects/contacts/search', { ...body, after: String(after) })
      ).as(SearchPageSchema);
      expect(page.total).toBe(45);
      ids.push(...page.results.map((r) => r.id));
    }
    expect(ids).toHaveLength(45);
    expect(ids.map(Number)).toEqual([...touched.updated].map(Number).sort((a, b) => a - b));
  });

  it('never returns archived records from search', async () => {
    const { archived } = (await f.sim.control.mutate({ object: 'companies', archive: 2 })) as {
      archived: string[];
    };
    const res = (
      await f.http.post('/crm/v3/objects/companies/search', {
        filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'IN', values: archived }] }],
      })
    ).as(SearchPageSchema);
    expect(res.total).toBe(0);
    const all = await f.http.searchAll('companies', gte('hs_lastmodifieddate', '0'));
    expect(all.some((r) => archived.includes(r.id))).toBe(false);
  });

  it('hides records modified within searchLagMs from search but not from list', async () => {
    await f.sim.control.configure({ searchLagMs: 60_000 });
    try {
      const { updated } = (await f.sim.control.mutate({
        object: 'contacts',
        update: 1,
        setProperties: { favorite_color: 'lag-test' },
      })) as {
        updated: string[];
      };
      const find = () =>
        f.http.post('/crm/v3/objects/contacts/search', {
          filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'EQ', value: updated[0] }] }],
        });
      expect((await find()).as(SearchPageSchema).total).toBe(0);
      const listed = (await f.http.get(`/crm/v3/objects/contacts/${updated[0]}?properties=favorite_color`))
        .json as {
        properties: Record<string, string>;
      };
      expect(listed.properties['favorite_color']).toBe('lag-test');
      await f.sim.control.advanceClock(61_000);
      expect((await find()).as(SearchPageSchema).total).toBe(1);
    } finally {
      await f.sim.control.configure({ searchLagMs: 0 });
    }
  });
});

describe('HubSpot simulator protocol: the 10,000-result search window', () => {
  const f = simulatorFixture({ seed: 5, scale: 11_500 });

  it('pages to 10,000 and answers 400 past it, with total still counting everything', async () => {
    const body = {
      ...gte('lastmodifieddate', '0'),
      sorts: ['lastmodifieddate'],
      limit: 200,
      properties: ['email'],
    };
    const first = (await f.http.post('/crm/v3/objects/contacts/search', body)).as(SearchPageSchema);
    expect(first.total).toBeGreaterThan(10_000);
    const last = (await f.http.post('/crm/v3/objects/contacts/search', { ...body, after: '9800' })).as(
      SearchPageSchema,
    );
    expect(last.results).toHaveLength(200);
    expect(last.paging?.next.after).toBe('10000');
    const beyond = await f.http.post('/crm/v3/objects/contacts/search', { ...body, after: '10000' });
    expect(beyond.status).toBe(400);
    const error = beyond.as(ErrorSchema);
    expect(error.category).toBe('VALIDATION_ERROR');
    expect(error.message).toContain('10,000');
    expect(
      (await f.http.post('/crm/v3/objects/contacts/search', { ...body, after: '9900', limit: 101 })).status,
    ).toBe(400);
  });
});

describe('HubSpot simulator protocol: batch endpoints', () => {
  const f = simulatorFixture({ seed: 8, scale: 300 });

  const liveContacts = async () => (await truthOf(f.sim, 'contacts')).filter((r) => !r.archived);

  it('rejects more than 100 inputs and duplicate ids with 400, changing nothing', async () => {
    const ids = (await liveContacts()).slice(0, 101).map((r) => r.id);
    await f.sim.control.resetStats();
    for (const action of ['read', 'update', 'create', 'upsert', 'archive']) {
      const inputs = ids.map((id) => ({ id, idProperty: 'email', properties: { tide_score: '1' } }));
      const res = await f.http.post(`/crm/v3/objects/contacts/batch/${action}`, { inputs });
      expect(res.status, action).toBe(400);
      expect(res.as(ErrorSchema).category).toBe('VALIDATION_ERROR');
    }
    const dup = await f.http.post('/crm/v3/objects/contacts/batch/update', {
      inputs: [ids[0], ids[0]].map((id) => ({ id, properties: { tide_score: '1' } })),
    });
    expect(dup.status).toBe(400);
    expect((await f.sim.control.stats()).writes).toBe(0);
    expect((await liveContacts()).every((r) => r.properties['tide_score'] === null)).toBe(true);
  });

  it('reads by id with 207 OBJECT_NOT_FOUND naming the missing ids', async () => {
    const [a, b] = await liveContacts();
    const res = await f.http.post('/crm/v3/objects/contacts/batch/read', {
      inputs: [{ id: a!.id }, { id: '424242' }, { id: b!.id }],
      properties: ['email', 'favorite_color'],
    });
    expect(res.status).toBe(207);
    const body = res.as(BatchSchema);
    expect(body.results.map((r) => r.id).sort()).toEqual([a!.id, b!.id].sort());
    expect(body.numErrors).toBe(1);
    expect(body.errors![0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['424242'] } });
    expect(body.results[0]!.properties).toHaveProperty('favorite_color');
    const ok = await f.http.post('/crm/v3/objects/contacts/batch/read', { inputs: [{ id: a!.id }] });
    expect(ok.status).toBe(200);
  });

  it('fails only the bad records of an update: read-only, unknown, bad option, non-numeric', async () => {
    const [a, b, c, d, e] = await liveContacts();
    const res = await f.http.post('/crm/v3/objects/contacts/batch/update', {
      inputs: [
        { id: a!.id, properties: { tide_score: '99' } },
        { id: b!.id, properties: { hs_object_id: '5' } },
        { id: c!.id, properties: { no_such_property: 'x' } },
        { id: d!.id, properties: { customer_tier: 'diamond' } },
        { id: e!.id, properties: { tide_score: 'ninety' } },
      ],
    });
    expect(res.status).toBe(207);
    const body = res.as(BatchSchema);
    expect(body.results.map((r) => r.id)).toEqual([a!.id]);
    const byId = new Map(body.errors!.map((err) => [err.context['ids']![0], err]));
    expect(byId.get(b!.id)!.message).toContain('READ_ONLY_VALUE');
    expect(byId.get(c!.id)!.message).toContain('PROPERTY_DOESNT_EXIST');
    expect(byId.get(d!.id)!.message).toContain('INVALID_OPTION');
    expect(byId.get(e!.id)!.message).toContain('INVALID_FLOAT');
    for (const err of body.errors!) expect(err.category).toBe('VALIDATION_ERROR');
    const after = new Map((await truthOf(f.sim, 'contacts')).map((r) => [r.id, r]));
    expect(after.get(a!.id)!.properties['tide_score']).toBe('99');
    expect(after.get(a!.id)!.updatedAt > a!.updatedAt).toBe(true);
    for (const r of [b, c, d, e]) expect(after.get(r!.id)!.updatedAt).toBe(r!.updatedAt);
  });

  it('clears a value with an empty string and bumps hs_lastmodifieddate on other objects', async () => {
    const company = (await truthOf(f.sim, 'companies')).find(
      (r) => !r.archived && r.properties['domain'] !== null,
    )!;
    const res = await f.http.post('/crm/v3/objects/companies/batch/update', {
      inputs: [{ id: company.id, properties: { domain: '', tide_score: '7' } }],
    });
    expect(res.status).toBe(200);
    const updated = res.as(BatchSchema).results[0]!;
    expect(updated.properties['domain']).toBeNull();
    expect(updated.properties['hs_lastmodifieddate']).toBe(updated.updatedAt);
    expect(updated.updatedAt > company.updatedAt).toBe(true);
  });

  it('upserts by email case-insensitively, flagging new records', async () => {
    const existing = (await liveContacts()).find((r) =>
      /^[a-z0-9.]+@[a-z0-9.]+$/.test(r.properties['email'] ?? ''),
    )!;
    const res = await f.http.post('/crm/v3/objects/contacts/batch/upsert', {
      inputs: [
        {
          id: existing.properties['email']!.toUpperCase(),
          idProperty: 'email',
          properties: { tide_score: '5' },
        },
        { id: 'brand.new@tide-test.example', idProperty: 'email', properties: { firstname: 'Brand' } },
      ],
    });
    expect(res.status).toBe(200);
    const body = res.as(BatchSchema);
    const old = body.results.find((r) => r.id === existing.id)!;
    expect(old.new).toBe(false);
    const fresh = body.results.find((r) => r.id !== existing.id)!;
    expect(fresh.new).toBe(true);
    expect(fresh.properties['email']).toBe('brand.new@tide-test.example');
    const truth = await truthOf(f.sim, 'contacts');
    expect(truth.find((r) => r.id === fresh.id)!.properties['firstname']).toBe('Brand');
  });

  it('creates with 201, archives with 204, and counts only writes as writes', async () => {
    await f.sim.control.resetStats();
    const created = await f.http.post('/crm/v3/objects/notes/batch/create', {
      inputs: [{ properties: { hs_note_body: 'hello', hs_timestamp: '1735689600000' } }],
    });
    expect(created.status).toBe(201);
    const note = created.as(BatchSchema).results[0]!;
    expect(note.properties['hs_note_body']).toBe('hello');
    const archived = await f.http.post('/crm/v3/objects/notes/batch/archive', { inputs: [{ id: note.id }] });
    expect(archived.status).toBe(204);
    await f.http.post('/crm/v3/objects/notes/search', {});
    await f.http.post('/crm/v3/objects/notes/batch/read', { inputs: [{ id: note.id }] });
    expect((await f.sim.control.stats()).writes).toBe(2);
    const truth = (await truthOf(f.sim, 'notes')).find((r) => r.id === note.id)!;
    expect(truth.archived).toBe(true);
    expect(truth.properties['hs_timestamp']).toBe('2025-01-01T00:00:00.000Z');
  });
});

describe('HubSpot simulator protocol: rate limits and faults', () => {
  const f = simulatorFixture({ seed: 9, scale: 200, burstLimit: 3, searchPerSecond: 2, dailyLimit: 1000 });

  it('counts down X-HubSpot-RateLimit-Remaining and answers the TEN_SECONDLY_ROLLING 429 past it', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await f.http.get('/crm/v3/objects/contacts?limit=1');
      expect(res.status).toBe(200);
      for (const h of RATE_HEADERS) expect(res.headers.get(h), h).not.toBeNull();
      expect(res.headers.get('x-hubspot-ratelimit-max')).toBe('3');
      expect(res.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
      remaining.push(res.headers.get('x-hubspot-ratelimit-remaining')!);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await f.http.get('/crm/v3/objects/contacts?limit=1');
    expect(limited.status).toBe(429);
    const body = limited.as(RateLimitSchema);
    expect(body.policyName).toBe('TEN_SECONDLY_ROLLING');
    expect(body.message).toBe('You have reached your ten_secondly_rolling limit.');
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-hubspot-ratelimit-daily-remaining'))).toBe(1000 - 3);
  });

  it('limits search per second with the SECONDLY body and sends no rate headers on search', async () => {
    const search = () => f.http.post('/crm/v3/objects/contacts/search', { limit: 1 });
    const responses = [await search(), await search(), await search()];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 429]);
    for (const r of responses) for (const h of RATE_HEADERS) expect(r.headers.get(h), h).toBeNull();
    const body = responses[2]!.as(RateLimitSchema);
    expect(body.policyName).toBe('SECONDLY');
    expect(body.message).toBe('You have reached your secondly limit.');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await search()).status).toBe(200);
  });

  it('turns limits off with 0 and answers DAILY once the day is spent', async () => {
    await f.sim.control.configure({ burstLimit: 0, searchPerSecond: 0, dailyLimit: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await f.http.get('/crm/v3/owners')).status);
    expect(statuses).toEqual([200, 200, 429]);
    const last = await f.http.get('/crm/v3/owners');
    expect(last.as(RateLimitSchema).policyName).toBe('DAILY');
    await f.sim.control.configure({ dailyLimit: 0 });
    const free = await f.http.get('/crm/v3/owners');
    expect(free.status).toBe(200);
    expect(free.headers.get('x-hubspot-ratelimit-max')).toBeNull();
  });

  it('serves injected 429 storms and 5xx with HubSpot bodies', async () => {
    await f.sim.control.faults({ rateLimit: 2, pathContains: '/crm/v3/objects/deals' });
    const storm = [await f.http.get('/crm/v3/objects/deals'), await f.http.get('/crm/v3/objects/deals')];
    for (const r of storm) expect(r.as(RateLimitSchema).policyName).toBe('TEN_SECONDLY_ROLLING');
    expect((await f.http.get('/crm/v3/objects/deals')).status).toBe(200);
    await f.sim.control.faults({ serverErrors: 1 });
    const failed = await f.http.get('/crm/v3/objects/deals');
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.as(ErrorSchema).status).toBe('error');
    await f.sim.control.clearFaults();
  });
});
