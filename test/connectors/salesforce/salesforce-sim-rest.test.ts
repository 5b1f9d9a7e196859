import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedSalesforceSimulator } from '../../../simulators/salesforce/start-salesforce-simulator.js';
import { later, startSim } from './salesforce-harness.js';
import { type ErrorBody, type QueryBody, SimApi } from './sim-api.js';

describe('Salesforce simulator: OAuth, limits, SOQL query, describe, deleted', () => {
  let sim: StartedSalesforceSimulator;
  let api: SimApi;
  beforeAll(async () => {
    sim = await startSim({ scale: 4000, tokenTtlMs: 60 * 60_000 });
    api = await SimApi.login(sim);
  });
  afterAll(() => sim.close());

  it('issues tokens for client credentials and refresh tokens, and refuses wrong ones', async () => {
    const refreshed = await api.oauth({
      grant_type: 'refresh_token',
      client_id: sim.clientId,
      refresh_token: sim.refreshToken,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json).toMatchObject({ token_type: 'Bearer', instance_url: sim.baseUrl });
    expect((refreshed.json as { id: string }).id).toMatch(/\/id\/00D\w{12}\/005\w{15}$/);
    const bad = await api.oauth({
      grant_type: 'client_credentials',
      client_id: sim.clientId,
      client_secret: 'nope',
    });
    expect([bad.status, bad.json]).toEqual([
      400,
      { error: 'invalid_client', error_description: 'invalid client credentials' },
    ]);
    const badRefresh = await api.oauth({
      grant_type: 'refresh_token',
      client_id: sim.clientId,
      refresh_token: 'x',
    });
    expect(badRefresh.json).toMatchObject({ error: 'invalid_grant' });
    expect((await api.oauth({ grant_type: 'password', client_id: sim.clientId })).json).toMatchObject({
      error: 'unsupported_grant_type',
    });
  });

  it('answers 401 INVALID_SESSION_ID without a token and once the token expired on the simulator clock', async () => {
    const anonymous = await new SimApi(sim).get('/limits');
    expect(anonymous.status).toBe(401);
    expect((anonymous.json as ErrorBody)[0]?.errorCode).toBe('INVALID_SESSION_ID');
    const fresh = await SimApi.login(sim);
    expect((await fresh.get('/limits')).status).toBe(200);
    await later(sim, 61 * 60_000);
    const expired = await fresh.get('/limits');
    expect([expired.status, (expired.json as ErrorBody)[0]?.errorCode]).toEqual([401, 'INVALID_SESSION_ID']);
    api = await SimApi.login(sim);
  });

  it('counts every API call in Sforce-Limit-Info and answers 403 REQUEST_LIMIT_EXCEEDED past the allowance', async () => {
    await sim.control.configure({ apiUsage: 10, dailyApiLimit: 12 });
    expect((await api.get('/limits')).headers.get('sforce-limit-info')).toBe('api-usage=11/12');
    const last = await api.get('/sobjects');
    expect([last.status, last.headers.get('sforce-limit-info')]).toEqual([200, 'api-usage=12/12']);
    const over = await api.get('/sobjects');
    expect(over.status).toBe(403);
    expect(over.json).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    expect(over.headers.get('sforce-limit-info')).toBe('api-usage=12/12');
    await sim.control.configure({ apiUsage: 0, dailyApiLimit: 100_000 });
    const limits = await api.get('/limits');
    expect(limits.json).toMatchObject({ DailyApiRequests: { Max: 100_000, Remaining: 99_999 } });
  });

  it('pages queries by nextRecordsUrl: 2,000 per batch by default, fewer with Sforce-Query-Options', async () => {
    const first = await api.query('SELECT Id, Email FROM Contact ORDER BY Id');
    const body = first.json as QueryBody;
    expect(body.records).toHaveLength(2000);
    expect(body.done).toBe(false);
    expect(body.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g\w{15}-2000$/);
    expect(body.records[0]).toMatchObject({ attributes: { type: 'Contact' } });
    expect(Object.keys(body.records[0]!)).toEqual(['attributes', 'Id', 'Email']);
    // The locator is all the URL carries: jsforce rebuilds it from the last path segment.
    const locator = body.nextRecordsUrl!.split('/').pop();
    const rest = (await api.get(`/query/${locator}`)).json as QueryBody;
    expect(rest.done).toBe(true);
    expect(rest.nextRecordsUrl).toBeUndefined();
    expect(body.totalSize).toBe(body.records.length + rest.records.length);
    const ids = [...body.records, ...rest.records].map((r) => r.Id as string);
    expect([...ids].sort()).toEqual(ids);

    const small = (await api.query('SELECT Id FROM Contact', { batchSize: 500 })).json as QueryBody;
    expect(small.records).toHaveLength(500);
    expect(small.nextRecordsUrl).toMatch(/-500$/);
    const tiny = (await api.query('SELECT Id FROM Contact', { batchSize: 10 })).json as QueryBody;
    expect(tiny.records).toHaveLength(200);
    expect((await api.get('/query/01gTq00000000zzIAA-200')).status).toBe(400);
  });

  it('queryAll returns soft-deleted records with IsDeleted, and continues through a /query/ locator', async () => {
    const all = (await api.query('SELECT Id, IsDeleted FROM Contact', { all: true, batchSize: 1000 }))
      .json as QueryBody;
    const live = (await api.query('SELECT COUNT() FROM Contact')).json as QueryBody;
    const contacts = sim.counts.Contact!;
    expect(all.totalSize).toBe(contacts);
    expect(live.totalSize).toBeLessThan(contacts);
    expect(all.nextRecordsUrl).toContain('/query/');
    let records = [...all.records];
    let next = all.nextRecordsUrl;
    while (next) {
      const page = (await api.get(next)).json as QueryBody;
      records = records.concat(page.records);
      next = page.nextRecordsUrl;
    }
    expect(records).toHaveLength(contacts);
    expect(records.filter((r) => r.IsDeleted === true)).toHaveLength(contacts - live.totalSize);
  });

  it('reports SOQL errors as Salesforce error arrays', async () => {
    const malformed = await api.query('SELECT Id FROM Contact WHERE');
    expect(malformed.status).toBe(400);
    expect((malformed.json as ErrorBody)[0]?.errorCode).toBe('MALFORMED_QUERY');
    const field = await api.query('SELECT Id, Bogus__c FROM Contact');
    expect((field.json as ErrorBody)[0]).toMatchObject({ errorCode: 'INVALID_FIELD' });
    const object = await api.query('SELECT Id FROM Bogus__c');
    expect((object.json as ErrorBody)[0]?.errorCode).toBe('INVALID_TYPE');
  });

  it('describes standard and custom fields with types, picklists, updateable and formula flags', async () => {
    const res = await api.get('/sobjects/Contact/describe');
    const fields = (res.json as { fields: Record<string, unknown>[] }).fields;
    const byName = new Map(fields.map((f) => [f.name as string, f]));
    expect(byName.get('Id')).toMatchObject({ type: 'id', updateable: false });
    expect(byName.get('Email')).toMatchObject({ type: 'email', updateable: true, custom: false });
    expect(byName.get('SystemModstamp')).toMatchObject({ type: 'datetime', updateable: false });
    expect(byName.get('Level__c')).toMatchObject({
      type: 'picklist',
      custom: true,
      restrictedPicklist: true,
    });
    expect(
      ((byName.get('Level__c')?.picklistValues ?? []) as { value: string }[]).map((p) => p.value),
    ).toEqual(['Primary', 'Secondary', 'Tertiary']);
    expect(byName.get('Account_Industry__c')).toMatchObject({ calculated: true, updateable: false });
    expect(byName.get('MailingAddress')).toMatchObject({ type: 'address' });
    expect(byName.get('MailingCity')).toMatchObject({ compoundFieldName: 'MailingAddress' });
    expect(byName.get('External_Id__c')).toMatchObject({ externalId: true });
    expect((await api.get('/sobjects/Nope__c/describe')).status).toBe(404);
  });

  it('lists deletions in a window, moves earliestDateAvailable on purge, refuses windows over 30 days old', async () => {
    await later(sim);
    const start = new Date(Date.parse((await api.get('/limits')).headers.get('date')!) - 1000).toISOString();
    const { deleted } = (await sim.control.mutate({ object: 'Lead', delete: 3 })) as { deleted: string[] };
    await later(sim);
    const end = new Date(Date.parse((await api.get('/limits')).headers.get('date')!)).toISOString();
    const window = (await api.get(`/sobjects/Lead/deleted/?start=${start}&end=${end}`)).json as {
      deletedRecords: { id: string }[];
      earliestDateAvailable: string;
    };
    expect(window.deletedRecords.map((r) => r.id).sort()).toEqual([...deleted].sort());
    expect(Date.parse(window.earliestDateAvailable.replace('+0000', 'Z'))).toBeLessThan(Date.parse(start));

    const { purged } = (await sim.control.mutate({ object: 'Lead', purge: 1000 })) as { purged: string[] };
    expect(purged).toEqual(expect.arrayContaining(deleted));
    const after = (await api.get(`/sobjects/Lead/deleted/?start=${start}&end=${end}`)).json as {
      earliestDateAvailable: string;
    };
    expect(Date.parse(after.earliestDateAvailable.replace('+0000', 'Z'))).toBeGreaterThanOrEqual(
      Date.parse(start),
    );
    const all = (await api.query(`SELECT Id FROM Lead WHERE Id = '${deleted[0]}'`, { all: true }))
      .json as QueryBody;
    expect(all.totalSize).toBe(0);

    const old = await api.get(`/sobjects/Lead/deleted/?start=2020-01-01T00:00:00Z&end=${end}`);
    expect([old.status, (old.json as ErrorBody)[0]?.errorCode]).toEqual([400, 'INVALID_REPLICATION_DATE']);
  });
});
