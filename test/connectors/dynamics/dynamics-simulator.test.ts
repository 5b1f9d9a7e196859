import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type StartedDynamicsSimulator,
  startDynamicsSimulator,
} from '../../../simulators/dynamics/start-dynamics-simulator.js';
import { truthRows } from './dynamics-harness.js';
import { batchBody, partStatuses, patch, type RawApi, rawApi, tokenFor } from './dynamics-http.js';

let sim: StartedDynamicsSimulator;
let api: RawApi;
let ids: string[];

beforeAll(async () => {
  sim = await startDynamicsSimulator({ seed: 5, scale: 400 });
  api = await rawApi(sim);
  ids = (await truthRows(sim, 'contacts')).map((r) => r.id);
});
afterAll(() => sim.close());

type Rows = { value: Record<string, unknown>[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };

describe('Dynamics simulator: Entra ID token endpoint', () => {
  it('issues a Bearer token for the environment scope and refuses wrong tenant, secret and scope', async () => {
    const ok = await tokenFor(sim);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: expect.any(String),
    });
    const tenant = await tokenFor(sim, { tenant: 'contoso.onmicrosoft.com' });
    expect(tenant.status).toBe(400);
    expect(((await tenant.json()) as { error_description: string }).error_description).toMatch(
      /^AADSTS90002/,
    );
    const secret = await tokenFor(sim, { client_secret: 'wrong' });
    expect(secret.status).toBe(401);
    expect(await secret.json()).toMatchObject({ error: 'invalid_client' });
    const scope = await tokenFor(sim, { scope: 'https://other.crm.dynamics.com/.default' });
    expect(await scope.json()).toMatchObject({ error: 'invalid_resource' });
  });

  it('answers 401 without a token and after the token expired on the simulator clock', async () => {
    expect((await fetch(`${sim.baseUrl}/api/data/v9.2/WhoAmI`)).status).toBe(401);
    const fresh = await rawApi(sim);
    expect((await fresh.get('WhoAmI')).status).toBe(200);
    await sim.control.advanceClock(3_601_000);
    const expired = await fresh.get('WhoAmI');
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer authorization_uri=/);
    api = await rawApi(sim);
  });
});

describe('Dynamics simulator: reads', () => {
  it('pages by Prefer odata.maxpagesize (at most 5,000, echoed) and @odata.nextLink, each row once', async () => {
    const first = await api.get('contacts?$select=fullname,emailaddress1', {
      prefer: 'odata.maxpagesize=70',
    });
    expect(first.headers.get('preference-applied')).toBe('odata.maxpagesize=70');
    let page = first.json as Rows;
    const seen: string[] = page.value.map((r) => String(r.contactid));
    expect(page.value[0]).toEqual({
      '@odata.etag': expect.stringMatching(/^W\/"\d+"$/),
      contactid: expect.any(String),
      fullname: expect.any(String),
      emailaddress1: expect.anything(),
    });
    while (page['@odata.nextLink'] !== undefined) {
      expect(page['@odata.nextLink']).toContain('$skiptoken=');
      page = (await api.get(page['@odata.nextLink'], { prefer: 'odata.maxpagesize=70' })).json as Rows;
      seen.push(...page.value.map((r) => String(r.contactid)));
    }
    expect(seen).toEqual(ids);
    const big = await api.get('contacts?$select=fullname', { prefer: 'odata.maxpagesize=9000' });
    expect(big.headers.get('preference-applied')).toBe('odata.maxpagesize=5000');
  });

  it('refuses a paging cookie it did not write (tampered, or of another shape) with 400, not a crash', async () => {
    const cookie = (state: unknown) =>
      `<cookie pagenumber="2" pagingcookie="${Buffer.from(JSON.stringify(state)).toString('base64url')}" />`;
    for (const state of [
      { m: 'list', page: 2, after: 5 },
      { m: 'delta', page: 1, from: 0, to: 'later', offset: 0 },
      { m: 'other', page: 1 },
      'list',
    ]) {
      const res = await api.get(`contacts?$select=fullname&$skiptoken=${encodeURIComponent(cookie(state))}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.json)).toContain('The $skiptoken is not valid.');
    }
    expect((await api.get('contacts?$select=fullname')).status).toBe(200);
  });

  it('filters on modifiedon and ids, orders, and refuses unknown columns like Dataverse', async () => {
    const since = '2025-06-01T00:00:00Z';
    const res = await api.get(
      `contacts?$select=modifiedon&$filter=modifiedon ge ${since}&$orderby=modifiedon asc,contactid asc`,
    );
    const rows = (res.json as Rows).value;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => String(r.modifiedon) >= since)).toBe(true);
    expect(rows.map((r) => r.modifiedon)).toEqual([...rows.map((r) => r.modifiedon)].sort());
    const one = await api.get(`contacts?$select=fullname&$filter=contactid eq ${ids[3]}`);
    expect((one.json as Rows).value.map((r) => r.contactid)).toEqual([ids[3]]);
    const bad = await api.get('contacts?$select=nosuchcolumn');
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      error: {
        code: '0x80060888',
        message: "Could not find a property named 'nosuchcolumn' on type 'Microsoft.Dynamics.CRM.contact'.",
      },
    });
  });

  it('returns lookups as _x_value GUIDs and formatted values and lookup names on request', async () => {
    const res = await api.get(`contacts(${ids[0]})?$select=_parentcustomerid_value,statecode,fullname`, {
      prefer: 'odata.include-annotations="*"',
    });
    expect(res.json).toMatchObject({
      statecode: 0,
      'statecode@OData.Community.Display.V1.FormattedValue': 'Active',
    });
    const row = res.json as Record<string, unknown>;
    if (row._parentcustomerid_value !== null) {
      expect(row['_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname']).toBe('account');
      expect(row['_parentcustomerid_value@OData.Community.Display.V1.FormattedValue']).toEqual(
        expect.any(String),
      );
    }
  });

  it('change tracking: snapshot → delta link; the delta has changed rows, then deletions, then a new link', async () => {
    const refused = await api.get('contacts?$select=fullname&$filter=statecode eq 0', {
      prefer: 'odata.track-changes',
    });
    expect(refused.status).toBe(400);
    expect((refused.json as { error: { message: string } }).error.message).toBe(
      'The "$filter" query parameter isn\'t supported when Change Tracking is enabled.',
    );
    expect((await api.get('phonecalls?$select=subject', { prefer: 'odata.track-changes' })).status).toBe(400);

    let page = (
      await api.get('accounts?$select=name', { prefer: 'odata.track-changes,odata.maxpagesize=20' })
    ).json as Rows;
    let n = page.value.length;
    while (page['@odata.nextLink'] !== undefined) {
      expect(page['@odata.deltaLink']).toBeUndefined();
      page = (await api.get(page['@odata.nextLink'])).json as Rows;
      n += page.value.length;
    }
    expect(n).toBe((await truthRows(sim, 'accounts')).filter((r) => !r.deleted).length);
    const link = page['@odata.deltaLink']!;
    expect(link).toMatch(/\$deltatoken=\d+%21\d\d%2F\d\d%2F\d{4}%20\d\d%3A\d\d%3A\d\d$/);

    await sim.control.advanceClock(1000);
    const changed = (await sim.control.mutate({ object: 'accounts', update: 2, delete: 1 })) as {
      updated: string[];
      deleted: string[];
    };
    const delta = await api.get(link);
    const rows = (delta.json as Rows & { '@odata.context': string }).value;
    expect((delta.json as { '@odata.context': string })['@odata.context']).toMatch(/\/\$delta$/);
    expect(rows.slice(0, 2).map((r) => r.accountid)).toEqual(expect.arrayContaining(changed.updated));
    expect(rows[2]).toEqual({
      '@odata.context': expect.stringMatching(/\$metadata#accounts\/\$deletedEntity$/),
      id: changed.deleted[0],
      reason: 'deleted',
    });
    const next = (delta.json as Rows)['@odata.deltaLink']!;
    expect(next).not.toBe(link);
    expect(((await api.get(next)).json as Rows).value).toEqual([]);

    await sim.control.configure({ expireChangeTrackingInDays: 1 });
    await sim.control.advanceClock(2 * 86_400_000);
    api = await rawApi(sim);
    const expired = await api.get(next);
    expect(expired.status).toBe(400);
    expect(expired.json).toMatchObject({
      error: { message: 'Version stamp associated with the client has expired. Please perform a full sync.' },
    });
    await sim.control.configure({ expireChangeTrackingInDays: 7 });
  });

  it('metadata: definitions, base attribute properties only without a cast, options through the cast', async () => {
    const def = await api.get(
      "EntityDefinitions(LogicalName='contact')?$select=EntitySetName,PrimaryIdAttribute,ChangeTrackingEnabled&$expand=Keys($select=KeyAttributes)",
    );
    expect(def.json).toMatchObject({
      EntitySetName: 'contacts',
      PrimaryIdAttribute: 'contactid',
      ChangeTrackingEnabled: true,
      Keys: [{ KeyAttributes: ['tide_externalid'] }],
    });
    const attrs = (
      await api.get(
        "EntityDefinitions(LogicalName='contact')/Attributes?$select=LogicalName,AttributeTypeName,AttributeOf",
      )
    ).json as Rows;
    expect(attrs.value.find((a) => a.LogicalName === 'parentcustomeridname')).toMatchObject({
      AttributeOf: 'parentcustomerid',
    });
    expect(
      (await api.get("EntityDefinitions(LogicalName='contact')/Attributes?$select=LogicalName,MaxLength"))
        .status,
    ).toBe(400);
    const picklists = (
      await api.get(
        "EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)",
      )
    ).json as Rows;
    const tier = picklists.value.find((a) => a.LogicalName === 'tide_tier') as {
      OptionSet: { Options: { Value: number }[] };
    };
    expect(tier.OptionSet.Options.map((o) => o.Value)).toEqual([100000000, 100000001, 100000002]);
  });
});

describe('Dynamics simulator: writes', () => {
  it('PATCH with If-Match: * updates or 404s; without it a missing id is created (upsert)', async () => {
    const updated = await api.send('PATCH', `contacts(${ids[10]})`, { tide_score: 55 }, { 'if-match': '*' });
    expect(updated.status).toBe(204);
    expect(updated.headers.get('odata-entityid')).toBe(`${sim.baseUrl}/api/data/v9.2/contacts(${ids[10]})`);
    const missing = '11111111-2222-4333-8444-555555555555';
    const refused = await api.send('PATCH', `contacts(${missing})`, { tide_score: 1 }, { 'if-match': '*' });
    expect(refused.status).toBe(404);
    expect(JSON.parse(refused.text)).toEqual({
      error: { code: '', message: `contact With Id = ${missing} Does Not Exist` },
    });
    expect((await api.send('PATCH', `contacts(${missing})`, { lastname: 'Upserted' })).status).toBe(204);
    expect((await truthRows(sim, 'contacts')).find((r) => r.id === missing)?.values).toMatchObject({
      lastname: 'Upserted',
    });
  });

  it('upsert by alternate key, If-None-Match: * (412 when it exists), ETag mismatch 412, validation 400', async () => {
    const created = await api.send(
      'PATCH',
      "contacts(tide_externalid='ext-new-1')",
      { lastname: 'Keyed' },
      { prefer: 'return=representation' },
    );
    expect(created.status).toBe(201);
    const again = await api.send(
      'PATCH',
      "contacts(tide_externalid='ext-new-1')",
      { jobtitle: 'CTO' },
      { prefer: 'return=representation' },
    );
    expect(again.status).toBe(200);
    expect(JSON.parse(again.text)).toMatchObject({
      lastname: 'Keyed',
      jobtitle: 'CTO',
      tide_externalid: 'ext-new-1',
    });
    const exists = await api.send(
      'PATCH',
      "contacts(tide_externalid='ext-new-1')",
      { jobtitle: 'x' },
      { 'if-none-match': '*' },
    );
    expect(exists.status).toBe(412);
    expect(JSON.parse(exists.text).error.message).toBe('A record with matching key values already exists.');
    const stale = await api.send('PATCH', `contacts(${ids[11]})`, { jobtitle: 'x' }, { 'if-match': 'W/"1"' });
    expect(stale.status).toBe(412);
    const long = await api.send(
      'PATCH',
      `contacts(${ids[11]})`,
      { jobtitle: 'x'.repeat(101) },
      { 'if-match': '*' },
    );
    expect(JSON.parse(long.text).error).toMatchObject({ code: '0x80044331' });
    const typed = await api.send(
      'PATCH',
      `contacts(${ids[11]})`,
      { tide_score: 'high' },
      { 'if-match': '*' },
    );
    expect(JSON.parse(typed.text).error.code).toBe('0x80048d19');
  });

  it('$batch: stops at the first failure, or continues with odata.continue-on-error; change sets are atomic', async () => {
    const missing = '22222222-2222-4333-8444-555555555555';
    const parts = [
      patch(ids[20]!, { tide_score: 20 }),
      patch(missing, { tide_score: 1 }),
      patch(ids[21]!, { tide_score: 21 }),
    ];
    const stop = await api.send('POST', '$batch', batchBody('batch_a', parts), {
      'content-type': 'multipart/mixed; boundary="batch_a"',
    });
    expect(stop.status).toBe(404);
    expect(partStatuses(stop.text)).toEqual([204, 404]);
    const go = await api.send('POST', '$batch', batchBody('batch_b', parts), {
      'content-type': 'multipart/mixed; boundary=batch_b',
      prefer: 'odata.continue-on-error',
    });
    expect(go.status).toBe(200);
    expect(partStatuses(go.text)).toEqual([204, 404, 204]);
    const values = new Map((await truthRows(sim, 'contacts')).map((r) => [r.id, r.values?.tide_score]));
    expect([values.get(ids[20]!), values.get(ids[21]!)]).toEqual([20, 21]);

    const atomic = await api.send(
      'POST',
      '$batch',
      batchBody('batch_c', [[patch(ids[22]!, { tide_score: 22 }), patch(missing, { tide_score: 1 })]]),
      {
        'content-type': 'multipart/mixed; boundary=batch_c',
        prefer: 'odata.continue-on-error',
      },
    );
    expect(partStatuses(atomic.text)).toEqual([404]);
    expect((await truthRows(sim, 'contacts')).find((r) => r.id === ids[22])?.values?.tide_score).toBeNull();

    const tooMany = batchBody(
      'batch_d',
      Array.from({ length: 1001 }, (_, i) => patch(ids[i % ids.length]!, { tide_score: 1 })),
    );
    expect(
      (await api.send('POST', '$batch', tooMany, { 'content-type': 'multipart/mixed; boundary=batch_d' }))
        .status,
    ).toBe(400);
  });

  it('UpdateMultiple rolls the whole request back on one bad target', async () => {
    const body = {
      Targets: [
        { '@odata.type': 'Microsoft.Dynamics.CRM.contact', contactid: ids[30], tide_score: 30 },
        { '@odata.type': 'Microsoft.Dynamics.CRM.contact', contactid: ids[31], tide_score: 300 },
      ],
    };
    const refused = await api.send('POST', 'contacts/Microsoft.Dynamics.CRM.UpdateMultiple', body);
    expect(refused.status).toBe(400);
    expect((await truthRows(sim, 'contacts')).find((r) => r.id === ids[30])?.values?.tide_score).toBeNull();
    body.Targets[1]!.tide_score = 31;
    expect((await api.send('POST', 'contacts/Microsoft.Dynamics.CRM.UpdateMultiple', body)).status).toBe(204);
  });
});

describe('Dynamics simulator: service protection', () => {
  it('429 with Retry-After and the documented codes for requests, execution time, concurrency and the entitlement', async () => {
    const limited = await startDynamicsSimulator({ seed: 5, scale: 50, requestsPerWindow: 3 });
    try {
      const own = await rawApi(limited);
      for (let i = 0; i < 3; i++)
        expect((await own.get('WhoAmI')).headers.get('x-ms-ratelimit-burst-remaining-xrm-requests')).toBe(
          String(2 - i),
        );
      const over = await own.get('WhoAmI');
      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(over.json).toEqual({
        error: {
          code: '0x80072322',
          message: 'Number of requests exceeded the limit of 3 over time window of 300 seconds.',
        },
      });

      await limited.control.configure({
        requestsPerWindow: 0,
        executionMsPerWindow: 5,
        executionMsPerRequest: 10,
      });
      await own.get('WhoAmI');
      expect((await own.get('WhoAmI')).json).toMatchObject({ error: { code: '0x80072321' } });

      await limited.control.configure({
        executionMsPerWindow: 0,
        concurrentRequests: 2,
        responseDelayMs: 150,
      });
      const statuses = await Promise.all([1, 2, 3, 4].map(async () => (await own.get('WhoAmI')).status));
      expect(statuses.filter((s) => s === 429)).toHaveLength(2);

      await limited.control.configure({ concurrentRequests: 0, responseDelayMs: 0, dailyEntitlement: 1 });
      const day = await own.get('WhoAmI');
      expect(day.status).toBe(429);
      expect(Number(day.headers.get('retry-after'))).toBeGreaterThan(3600);
    } finally {
      await limited.close();
    }
  });
});
